/**
 * @cogov/domain: the event-sourcing kernel and the pure model of community co-governance.
 * Depends on zod alone; no I/O beyond the EventStore port.
 */
export * from './kernel/index.ts';

export * from './shared/ids.ts';
export { Name, Text, DocumentRef } from './shared/text.ts';
export { REJECTIONS, refuse, type RejectionCode } from './shared/rejections.ts';
export type { DecideContext, ContextWith } from './shared/context.ts';
export type { FactRequest } from './shared/facts.ts';
export { placeIn, type Place } from './shared/place.ts';

export {
  Policy,
  PipelineStage,
  Authority,
  ActivityKind,
  parsePolicy,
  type PolicyInput,
  type PolicyIssue,
} from './policy/schema.ts';
export { workingCalendar, type WorkingCalendar } from './policy/calendar.ts';
export { LIUYANG_2013, HUITONG_2022, POLICY_PRESETS, CHINA_CALENDAR } from './policy/presets.ts';

export * from './region/index.ts';
export * from './committee/index.ts';
export * from './member/index.ts';
export * from './unit/index.ts';
export * from './grid/index.ts';
export * from './issue/index.ts';
export * from './project/index.ts';
export * from './activity/index.ts';

export {
  AGGREGATES,
  COMMAND_TYPES,
  aggregateOfCommand,
  domainEvents,
  type AggregateModule,
  type AggregateName,
  type DomainCommand,
  type DomainEvent,
} from './application/aggregates.ts';
export { DOMAIN_UPCASTERS, domainSchemaVersion, withDomainUpcasting } from './application/upcasters.ts';
export {
  ADMIN_ONLY_COMMANDS,
  domainPersonalData,
  memberSubject,
  withDomainPersonalData,
} from './application/personalData.ts';
export { commandScope, referencesOf, type CommandScope, type RecordReference } from './application/scope.ts';
export {
  CogovService,
  type CogovServiceOptions,
  type ExecuteOptions,
  type ExecuteResult,
  type ResolvedPlace,
} from './application/service.ts';
export {
  pointsFor,
  POINTS_TRIGGERS,
  POINTS_SETTLED_CODES,
  type ProcessCommand,
} from './application/points.ts';
