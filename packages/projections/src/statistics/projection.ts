import { AGGREGATES, categoryOf, type DomainEvent, type RecordedEvent } from '@cogov/domain';
import type { Projection, SlotDatabases } from '../runtime/projection.ts';
import { applyCommittee } from './applyCommittee.ts';
import { applyMember, applyRegion, applyUnit } from './applyPeople.ts';
import { applyActivity, applyGrid, applyIssue, applyProject } from './applyWork.ts';
import type { Granularity } from './buckets.ts';
import { ApplyContext } from './context.ts';
import { StateOverlay } from './state.ts';
import { HistogramTally, Tally } from './tally.ts';

export const STATISTICS_DATABASES = ['counters', 'histograms', 'known', 'knownHistograms', 'state'] as const;
export type StatisticsDatabases = SlotDatabases<(typeof STATISTICS_DATABASES)[number]>;

/** The latest recording hour applied (statistics as known at an instant; recording hours never go back). */
const LAST_SLOT = ['clock', 'lastSlot'] as const;

const known = new Set<string>(Object.values(AGGREGATES).flatMap((a) => [...a.events.types]));

/**
 * The statistics read model: counters by metric × scope (region and every region above it,
 * committee, unit, member, grid) × facet × day, month and year, each fact counted on its business
 * date. See ADR 0008 for why the rollups are stored rather than summed on read.
 */
export const statisticsProjection = (
  options: { readonly granularities?: readonly Granularity[] } = {},
): Projection<(typeof STATISTICS_DATABASES)[number]> => ({
  name: 'statistics',
  // 3: each counter's value at the end of every recording hour it changed in (`known`,
  // `knownHistograms`), for figures as known at an instant.
  version: 3,
  databases: STATISTICS_DATABASES,
  apply(dbs, events) {
    const state = new StateOverlay(dbs.state);
    const lastSlot = state.get<number>(LAST_SLOT) ?? 0;
    const ctx = new ApplyContext(
      state,
      new Tally(options.granularities ?? ['d', 'm', 'y'], lastSlot),
      new HistogramTally(lastSlot),
    );
    for (const recorded of events) applyEvent(ctx, recorded);
    if (ctx.tally.slot !== lastSlot) state.set(LAST_SLOT, ctx.tally.slot);
    ctx.state.flush();
    ctx.tally.flush(dbs.counters, dbs.known);
    ctx.histograms.flush(dbs.histograms, dbs.knownHistograms);
  },
});

const applyEvent = (ctx: ApplyContext, recorded: RecordedEvent): void => {
  // Events of other systems sharing a KurrentDB cluster, or types this version does not know, are not ours to count.
  if (!known.has(recorded.type)) return;
  ctx.tally.at(recorded.recordedAt);
  ctx.histograms.at(recorded.recordedAt);
  const event = recorded as unknown as DomainEvent;
  switch (categoryOf(recorded.streamId)) {
    case 'region':
      return applyRegion(ctx, event as never);
    case 'committee':
      return applyCommittee(ctx, event as never);
    case 'member':
      return applyMember(ctx, event as never);
    case 'unit':
      return applyUnit(ctx, event as never);
    case 'grid':
      return applyGrid(ctx, event as never);
    case 'issue':
      return applyIssue(ctx, event as never);
    case 'project':
      return applyProject(ctx, event as never);
    case 'activity':
      return applyActivity(ctx, event as never);
    default:
      return;
  }
};
