import {
  addDays,
  evolveCommittee,
  fold,
  initialCommitteeState,
  seatsOn,
  type PlainDate,
  type RecordedEvent,
} from '@cogov/domain';
import {
  committeeScenario,
  driveCommittee,
  driveGrid,
  driveIssue,
  gridPlan,
  issuePlan,
} from '@cogov/testkit';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database, Key } from 'lmdb';
import { afterAll, describe, expect, it } from 'vitest';
import { ReadModelStore } from '../runtime/readModelStore.ts';
import { statisticsProjection, STATISTICS_DATABASES } from '../statistics/projection.ts';
import { StatisticsQueries } from '../statistics/queries.ts';
import { cut, datesIn, interleave, record } from './log.ts';

const dir = mkdtempSync(join(tmpdir(), 'cogov-stats-prop-'));
const readModels = ReadModelStore.open({ path: dir });
afterAll(async () => {
  await readModels.close();
  rmSync(dir, { recursive: true, force: true });
});

const projection = statisticsProjection();
const clear = (dbs: Record<string, Database>) =>
  readModels.write(() => Object.values(dbs).forEach((db) => db.clearSync()));
/** Projects a log into one of two reused slots, one transaction per batch. */
const project = async (mine: 1 | 2, batches: readonly (readonly RecordedEvent[])[]) => {
  const dbs = Object.fromEntries(
    STATISTICS_DATABASES.map((n) => [n, readModels.database('statistics', mine, n)]),
  ) as Record<(typeof STATISTICS_DATABASES)[number], Database>;
  // Cleared first, not last: a failing run (and fast-check's shrinking after it) must not see its leftovers.
  await clear(dbs);
  for (const batch of batches) await readModels.write(() => projection.apply(dbs, batch));
  return dbs;
};
const contents = (db: Database) =>
  [...db.getRange({})].map(({ key, value }) => [key, value] as [Key, unknown]);

describe('the statistics read model (properties)', () => {
  it('equals the fold of the log computed independently, however the log is cut into batches', async () => {
    let sittingChecks = 0;
    await fc.assert(
      fc.asyncProperty(
        committeeScenario,
        issuePlan,
        gridPlan,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: -1, max: 1 })), { minLength: 4, maxLength: 4 }),
        async ({ world, plan }, issueSteps, gridSteps, cuts, probes) => {
          const committee = driveCommittee(world, plan);
          const log = interleave(
            record('committee', 'prop-committee', committee.events, { gap: (i) => 1_000 + (i % 7) * 300 }),
            record('issue', 'issue-1', driveIssue(issueSteps).events, { gap: (i) => 1_500 + (i % 5) * 200 }),
            record('grid', 'grid-1', driveGrid(gridSteps).events, { gap: () => 2_100 }),
          );
          const whole = await project(1, [log]);
          const pieces = await project(2, cut(log, cuts));
          for (const name of STATISTICS_DATABASES)
            expect(contents(pieces[name])).toEqual(contents(whole[name]));

          // An independent fold of the same log.
          const queries = new StatisticsQueries(whole);
          const from = '1990-01-01' as PlainDate;
          const to = '2100-12-31' as PlainDate;
          const all = (metric: Parameters<StatisticsQueries['total']>[0], scope: string) =>
            queries.total(metric, { scope }, from, to);
          expect(all('partTime.appointed', 'c:prop-committee')).toBe(
            log.filter((e) => e.type === 'MemberAppointed').length,
          );
          expect(all('meetings.attendances', 'c:prop-committee')).toBe(
            log
              .flatMap((e) =>
                e.type === 'JointMeetingHeld' ? [(e.data as { attendees: unknown[] }).attendees.length] : [],
              )
              .reduce((a, b) => a + b, 0),
          );
          expect(all('issues.resolved', 'c:ledger')).toBe(
            log.filter((e) => e.type === 'IssueResolved').length,
          );
          const state = fold(evolveCommittee, initialCommitteeState, committee.events);
          const dates = datesIn(committee.events);
          for (const [index, offset] of probes) {
            const on = addDays(dates[index % dates.length] as PlainDate, offset);
            const expected = seatsOn(state, on).filter((seat) => seat.kind === 'part-time').length;
            expect(
              queries.levelOn('partTime.sitting', { scope: 'c:prop-committee' }, on),
              `sitting on ${on}`,
            ).toBe(expected);
            if (expected > 0) sittingChecks++;
          }
        },
      ),
      { numRuns: 200 },
    );
    expect(sittingChecks).toBeGreaterThan(50);
  }, 300_000);
});
