import { AGGREGATES, categoryOf, type RecordedEvent } from '@cogov/domain';
import type { Projection, SlotDatabases } from '../runtime/projection.ts';
import { applyCommittee } from './applyCommittee.ts';
import { applyMember, applyRegion, applyUnit } from './applyPeople.ts';
import { applyActivity, applyGrid, applyIssue, applyProject } from './applyWork.ts';
import { ApplyContext } from './context.ts';
import { StateOverlay } from './state.ts';
import { HistogramTally, Tally } from './tally.ts';

export const STATISTICS_DATABASES = ['counters', 'histograms', 'known', 'knownHistograms', 'state'] as const;
export type StatisticsDatabases = SlotDatabases<(typeof STATISTICS_DATABASES)[number]>;

/** The latest recording hour applied (statistics as known at an instant; recording hours never go back). */
const LAST_SLOT = ['clock', 'lastSlot'] as const;

/** The version of the statistics read model this code builds. */
export const STATISTICS_VERSION = 5;

const known = new Set<string>(Object.values(AGGREGATES).flatMap((a) => [...a.events.types]));

/**
 * The statistics read model: series by metric × scope (region and every region above it,
 * committee, unit, member, grid) × facet, one value per year holding its days, each fact counted
 * on its business date, and each year's history by recording hour in blocks. See ADR 0020.
 */
export const statisticsProjection = (): Projection<(typeof STATISTICS_DATABASES)[number]> => ({
  name: 'statistics',
  // 3: each counter's value at the end of every recording hour it changed in (`known`,
  // `knownHistograms`), for figures as known at an instant. 4: partTime.withDuty (the four roles).
  // 5: one value per series and year, its history in blocks of recording hours (ADR 0020).
  version: STATISTICS_VERSION,
  databases: STATISTICS_DATABASES,
  apply(dbs, events) {
    const state = new StateOverlay(dbs.state);
    const lastSlot = state.get<number>(LAST_SLOT) ?? 0;
    const ctx = new ApplyContext(state, new Tally(lastSlot), new HistogramTally(lastSlot));
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
  const { region, committee, member, unit, grid, issue, project, activity } = AGGREGATES;
  // Each event is applied by its aggregate's handler, typed by the aggregate's catalog (no cast).
  switch (categoryOf(recorded.streamId)) {
    case 'region':
      return region.events.is(recorded) ? applyRegion(ctx, recorded) : undefined;
    case 'committee':
      return committee.events.is(recorded) ? applyCommittee(ctx, recorded) : undefined;
    case 'member':
      return member.events.is(recorded) ? applyMember(ctx, recorded) : undefined;
    case 'unit':
      return unit.events.is(recorded) ? applyUnit(ctx, recorded) : undefined;
    case 'grid':
      return grid.events.is(recorded) ? applyGrid(ctx, recorded) : undefined;
    case 'issue':
      return issue.events.is(recorded) ? applyIssue(ctx, recorded) : undefined;
    case 'project':
      return project.events.is(recorded) ? applyProject(ctx, recorded) : undefined;
    case 'activity':
      return activity.events.is(recorded) ? applyActivity(ctx, recorded) : undefined;
    default:
      return;
  }
};
