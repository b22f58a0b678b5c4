export {
  IDENTIFIER_PATTERN,
  identifier,
  StreamId,
  EventId,
  GlobalPosition,
  StreamRevision,
  streamIdOf,
  categoryOf,
  unsafe,
} from './ids.ts';
export {
  PlainDate,
  toEpochDay,
  fromEpochDay,
  addDays,
  addYears,
  daysBetween,
  termEnd,
  dayOfWeek,
  yearOf,
  monthOf,
  quarterOf,
  minDate,
  maxDate,
  dateInZone,
} from './plainDate.ts';
export type {
  Event,
  EventMetadata,
  EventToAppend,
  RecordedEnvelope,
  RecordedEvent,
  EventDefinition,
  EventOf,
  EventCatalog,
} from './events.ts';
export { defineEvent, eventCatalog, mergeCatalogs } from './events.ts';
export { PersistentSet } from './persistentSet.ts';
export { DigestSet } from './digestSet.ts';
export { RecentCache } from './recentCache.ts';
export type { Decider, Decision, Rejection } from './decider.ts';
export { reject, isRejection, assertNever, fold } from './decider.ts';
export {
  CogovError,
  WrongExpectedRevisionError,
  isWrongExpectedRevision,
  DuplicateEventIdError,
  isDuplicateEventId,
  StoreUnavailableError,
  isStoreUnavailable,
  StoreClosedError,
  isStoreClosed,
  InvalidAppendError,
  isInvalidAppend,
  ConcurrencyExhaustedError,
  isConcurrencyExhausted,
  CommandIdReusedError,
  isCommandIdReused,
  DamagedRecordError,
  isDamagedRecord,
} from './errors.ts';
export type {
  ExpectedRevision,
  AppendOptions,
  AppendResult,
  ReadStreamOptions,
  ReadAllOptions,
  SubscribeAllOptions,
  SubscriptionMessage,
  Subscription,
  EventStore,
} from './eventStore.ts';
export { checkExpectedRevision, replayedAppend, withEventIds, type RecordedLocation } from './appendRules.ts';
export {
  pullSubscription,
  AppendSignal,
  type PageSource,
  type PullSubscriptionOptions,
} from './pullSubscription.ts';
export { newEventId } from './uuid.ts';
export { InMemoryEventStore, type InMemoryEventStoreOptions } from './inMemoryEventStore.ts';
export { UpcasterRegistry, UnknownSchemaVersionError, type Upcaster } from './upcasting.ts';
export { withUpcasting } from './upcastingStore.ts';
export {
  withPersonalData,
  ERASED,
  type PersonalDataCipher,
  type PersonalDataPolicy,
  type PersonalField,
} from './personalDataStore.ts';
export {
  CommandHandler,
  InvalidEventError,
  type CommandHandlerConfig,
  type HandleOptions,
  type HandleResult,
} from './commandHandler.ts';
