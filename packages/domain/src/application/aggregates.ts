import { z } from 'zod';
import {
  activityPlace,
  activityDecider,
  activityFacts,
  ActivityCommand,
  activityEvents,
  activityStream,
} from '../activity/index.ts';
import {
  committeePlace,
  committeeDecider,
  committeeFacts,
  CommitteeCommand,
  committeeEvents,
  committeeStream,
} from '../committee/index.ts';
import { gridDecider, gridFacts, GridCommand, gridEvents, gridPlace, gridStream } from '../grid/index.ts';
import {
  issueDecider,
  issueFacts,
  IssueCommand,
  issueEvents,
  issuePlace,
  issueStream,
} from '../issue/index.ts';
import type { Decider } from '../kernel/decider.ts';
import { mergeCatalogs, type Event, type EventCatalog } from '../kernel/events.ts';
import type { StreamId } from '../kernel/ids.ts';
import {
  memberDecider,
  memberFacts,
  MemberCommand,
  memberEvents,
  memberPlace,
  memberStream,
} from '../member/index.ts';
import {
  projectPlace,
  projectDecider,
  projectFacts,
  ProjectCommand,
  projectEvents,
  projectStream,
} from '../project/index.ts';
import {
  regionDecider,
  regionFacts,
  RegionCommand,
  regionEvents,
  regionPlace,
  regionStream,
} from '../region/index.ts';
import type { ContextWith } from '../shared/context.ts';
import type { FactRequest } from '../shared/facts.ts';
import type { Place } from '../shared/place.ts';
import type { RejectionCode } from '../shared/rejections.ts';
import { unitDecider, unitFacts, UnitCommand, unitEvents, unitPlace, unitStream } from '../unit/index.ts';
import type { ActivityEvent } from '../activity/events.ts';
import type { CommitteeEvent } from '../committee/events.ts';
import type { GridEvent } from '../grid/events.ts';
import type { IssueEvent } from '../issue/events.ts';
import type { MemberEvent } from '../member/events.ts';
import type { ProjectEvent } from '../project/events.ts';
import type { RegionEvent } from '../region/events.ts';
import type { UnitEvent } from '../unit/events.ts';

export type AggregateName =
  'region' | 'committee' | 'member' | 'unit' | 'grid' | 'issue' | 'project' | 'activity';

/** One command of an aggregate, as a transport (HTTP) offers it. */
export interface CommandDefinition {
  readonly type: string;
  /** The schema of the id of the record it is addressed to (`committeeId` of a committee's command). */
  readonly target: z.ZodType<string>;
  /** The command's own fields: all but its `type` and the id of the record it is addressed to. */
  readonly fields: z.ZodObject;
}

/** Everything the application layer needs to know about one aggregate. */
export interface AggregateModule<C extends { readonly type: string }, E extends Event, S> {
  readonly name: AggregateName;
  /** The stream category: streams are `{category}-{id}`. */
  readonly category: AggregateName;
  readonly decider: Decider<C, E, S, ContextWith<never>>;
  readonly events: EventCatalog<E>;
  /** The zod schema of the aggregate's commands (a discriminated union on `type`). */
  readonly commands: z.ZodType<C>;
  readonly commandTypes: readonly C['type'][];
  /** Each command's definition, in the order of `commands`. */
  readonly commandDefinitions: readonly CommandDefinition[];
  /** Validates a command of this aggregate (throws a ZodError when it is not one). */
  readonly parseCommand: (input: unknown) => C;
  readonly streamOf: (command: C) => StreamId;
  readonly facts: (command: C, state: S) => FactRequest;
  /** Where a record is in the region tree (null while it does not exist): who may reach it. */
  readonly placeOf: (state: S) => Place | null;
  /** The commands that begin a record: its id must not be taken. */
  readonly creates: readonly C['type'][];
  /** What a command that begins a record answers when its id is taken. */
  readonly idTaken: RejectionCode;
}

type CommandSchema = z.ZodObject<{ readonly type: z.ZodLiteral<string> } & z.ZodRawShape>;

const typesOf = (schema: { readonly options: readonly CommandSchema[] }) =>
  schema.options.map((o) => o.shape.type.value);

const definitionsOf = (name: AggregateName, options: readonly CommandSchema[]): CommandDefinition[] =>
  options.map((schema) => {
    const idField = `${name}Id`;
    const target = schema.shape[idField];
    if (target === undefined) throw new Error(`${schema.shape.type.value} has no ${idField}`);
    const { type: _type, [idField]: _id, ...fields } = schema.shape;
    return {
      type: schema.shape.type.value,
      target: target as z.ZodType<string>,
      fields: z.strictObject(fields),
    };
  });

const module = <C extends { readonly type: string }, E extends Event, S, F>(m: {
  name: AggregateName;
  decider: Decider<C, E, S, ContextWith<F>>;
  events: EventCatalog<E>;
  commands: z.ZodType<C> & { readonly options: readonly CommandSchema[] };
  streamOf: (command: C) => StreamId;
  facts: (command: C, state: S) => FactRequest;
  placeOf: (state: S) => Place | null;
  creates: readonly C['type'][];
  idTaken: RejectionCode;
}): AggregateModule<C, E, S> => ({
  ...m,
  category: m.name,
  decider: m.decider,
  commandTypes: typesOf(m.commands),
  commandDefinitions: definitionsOf(m.name, m.commands.options),
  parseCommand: (input) => m.commands.parse(input),
});

export const AGGREGATES = {
  region: module({
    name: 'region',
    decider: regionDecider,
    events: regionEvents,
    commands: RegionCommand,
    streamOf: (c) => regionStream(c.regionId),
    facts: regionFacts,
    placeOf: regionPlace,
    creates: ['DefineRegion'],
    idTaken: 'REGION_ALREADY_DEFINED',
  }),
  committee: module({
    name: 'committee',
    decider: committeeDecider,
    events: committeeEvents,
    commands: CommitteeCommand,
    streamOf: (c) => committeeStream(c.committeeId),
    facts: committeeFacts,
    placeOf: committeePlace,
    creates: ['EstablishCommittee'],
    idTaken: 'COMMITTEE_ALREADY_ESTABLISHED',
  }),
  member: module({
    name: 'member',
    decider: memberDecider,
    events: memberEvents,
    commands: MemberCommand,
    streamOf: (c) => memberStream(c.memberId),
    facts: memberFacts,
    placeOf: memberPlace,
    creates: ['RegisterMember'],
    idTaken: 'MEMBER_ALREADY_REGISTERED',
  }),
  unit: module({
    name: 'unit',
    decider: unitDecider,
    events: unitEvents,
    commands: UnitCommand,
    streamOf: (c) => unitStream(c.unitId),
    facts: unitFacts,
    placeOf: unitPlace,
    creates: ['RegisterUnit'],
    idTaken: 'UNIT_ALREADY_REGISTERED',
  }),
  grid: module({
    name: 'grid',
    decider: gridDecider,
    events: gridEvents,
    commands: GridCommand,
    streamOf: (c) => gridStream(c.gridId),
    facts: gridFacts,
    placeOf: gridPlace,
    creates: ['DrawGridCell'],
    idTaken: 'GRID_ALREADY_DRAWN',
  }),
  issue: module({
    name: 'issue',
    decider: issueDecider,
    events: issueEvents,
    commands: IssueCommand,
    streamOf: (c) => issueStream(c.issueId),
    facts: issueFacts,
    placeOf: issuePlace,
    creates: ['RegisterIssue'],
    idTaken: 'ISSUE_EXISTS',
  }),
  project: module({
    name: 'project',
    decider: projectDecider,
    events: projectEvents,
    commands: ProjectCommand,
    streamOf: (c) => projectStream(c.projectId),
    facts: projectFacts,
    placeOf: projectPlace,
    creates: ['ListNeed', 'PostMicroWish'],
    idTaken: 'PROJECT_EXISTS',
  }),
  activity: module({
    name: 'activity',
    decider: activityDecider,
    events: activityEvents,
    commands: ActivityCommand,
    streamOf: (c) => activityStream(c.activityId),
    facts: activityFacts,
    placeOf: activityPlace,
    creates: ['PlanActivity'],
    idTaken: 'ACTIVITY_EXISTS',
  }),
} as const;

export type DomainCommand =
  | RegionCommand
  | CommitteeCommand
  | MemberCommand
  | UnitCommand
  | GridCommand
  | IssueCommand
  | ProjectCommand
  | ActivityCommand;

export type DomainEvent =
  | RegionEvent
  | CommitteeEvent
  | MemberEvent
  | UnitEvent
  | GridEvent
  | IssueEvent
  | ProjectEvent
  | ActivityEvent;

/** Every event type of the domain, with its schema. */
export const domainEvents: EventCatalog<DomainEvent> = mergeCatalogs(
  Object.values(AGGREGATES).map((a) => a.events as EventCatalog<Event>),
);

/** Any aggregate's module, seen through the unions of every command, event and state. */
export type AnyModule = AggregateModule<DomainCommand, DomainEvent, unknown>;

// Each module is typed by its own commands, events and state; together they are seen through the
// domain's unions. The one place that says so.
const MODULES = AGGREGATES as unknown as Readonly<Record<AggregateName, AnyModule>>;

/** An aggregate's module, as code that handles every aggregate alike sees it. */
export const aggregateModule = (name: AggregateName): AnyModule => MODULES[name];

const byCommandType = new Map<string, AnyModule>();
for (const aggregate of Object.values(MODULES)) {
  for (const type of aggregate.commandTypes) byCommandType.set(type, aggregate);
}

/** The aggregate that handles a command type. */
export const aggregateOfCommand = (type: string): AnyModule | undefined => byCommandType.get(type);

/** Every command type, by aggregate. */
export const COMMAND_TYPES: Readonly<Record<AggregateName, readonly string[]>> = Object.fromEntries(
  Object.values(AGGREGATES).map((a) => [a.name, a.commandTypes]),
) as Record<AggregateName, readonly string[]>;
