/**
 * @cogov/projections: the projector runtime (rxjs over the store's subscription) and the read
 * models it keeps in LMDB: statistics, bitemporal membership, lookups; their query functions.
 */
export { ReadModelStore, type SlotInfo } from './runtime/readModelStore.ts';
export type { FileStamp } from '@cogov/storage';
export type { Projection, SlotDatabases } from './runtime/projection.ts';
export {
  ProjectionFeed,
  ProjectionRunner,
  type RunnerStatus,
  type RunnerState,
  type PoisonEvent,
  type FeedOptions,
} from './runtime/runner.ts';
export { DEFAULT_RETRY, type RetryPolicy, type Stall } from './runtime/storageRetry.ts';
export {
  Projector,
  RebuildFailedError,
  type ProjectorOptions,
  type ValidationReport,
} from './runtime/projector.ts';
export { batches, Gate, type Batch, type BatchOptions } from './runtime/batchSource.ts';
export { ProcessManagerRunner, type ProcessManagerStatus } from './runtime/processManager.ts';

export {
  statisticsProjection,
  STATISTICS_DATABASES,
  type StatisticsDatabases,
} from './statistics/projection.ts';
export {
  StatisticsQueries,
  StatisticsQueryError,
  KnownAtUnavailableError,
  type ScopeQuery,
  type SeriesGranularity,
  type StatisticsSummary,
} from './statistics/queries.ts';
export {
  METRICS,
  isMetric,
  facetProblem,
  facetValues,
  type MetricName,
  type MetricDefinition,
} from './statistics/metrics.ts';
export { decompose, type Granularity } from './statistics/buckets.ts';

export {
  membershipProjection,
  MEMBERSHIP_DATABASES,
  type MembershipDatabases,
  type SeatVersion,
  type HistoryEntry,
} from './membership/projection.ts';
export {
  MembershipQueries,
  type HistoryRecord,
  type Roster,
  type RosterEntry,
} from './membership/queries.ts';

export {
  lookupsProjection,
  LOOKUP_DATABASES,
  type LookupDatabases,
  type Entity,
  type EntityKind,
  type CommandRecord,
} from './lookups/projection.ts';
export { LookupQueries, InvalidCursorError, type Page } from './lookups/queries.ts';

export { ReadModels, openReadModels, type ReadModelsOptions } from './readModels.ts';

export {
  annualSheet,
  annualSheetGrid,
  ANNUAL_SHEET_COLUMNS,
  NOT_FILLED,
  type AnnualSheet,
  type SheetRow,
  type SheetColumnKey,
} from './reports/annualSheet.ts';
export { regionTree, childrenOf, type RegionNode } from './reports/regionTree.ts';
export type { Cell, Column, Grid, Table } from './reports/table.ts';
export {
  issueLedger,
  issueLedgerGrid,
  rosterGrid,
  pointsLedger,
  pointsLedgerGrid,
  ISSUE_LEDGER_COLUMNS,
  ROSTER_COLUMNS,
  POINTS_LEDGER_COLUMNS,
  type IssueLedgerRow,
  type IssueLedgerStatus,
  type PointsLedgerRow,
} from './reports/ledgers.ts';
export {
  meetingCadence,
  cadencePeriods,
  type Cadence,
  type CadencePeriod,
  type CommitteeCadence,
  type MeetingCadence,
} from './reports/cadence.ts';
export { dutiesOn, dutySpans, type DutyAssignment } from './membership/duties.ts';
