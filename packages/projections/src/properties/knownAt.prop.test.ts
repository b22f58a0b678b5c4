import type { PlainDate, RecordedEvent } from '@cogov/domain';
import { committeeScenario, driveCommittee, driveIssue, issuePlan } from '@cogov/testkit';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database, Key } from 'lmdb';
import { afterAll, describe, expect, it } from 'vitest';
import { ReadModelStore } from '../runtime/readModelStore.ts';
import { METRICS, type MetricName } from '../statistics/metrics.ts';
import { statisticsProjection, STATISTICS_DATABASES } from '../statistics/projection.ts';
import { StatisticsQueries } from '../statistics/queries.ts';
import { resolveKnownAt, SLOT_MS, valuesAt } from '../statistics/tally.ts';
import { cut, datesIn, interleave, record } from './log.ts';

const dir = mkdtempSync(join(tmpdir(), 'cogov-known-prop-'));
const readModels = ReadModelStore.open({ path: dir });
afterAll(async () => {
  await readModels.close();
  rmSync(dir, { recursive: true, force: true });
});

const projection = statisticsProjection();
type Dbs = Record<(typeof STATISTICS_DATABASES)[number], Database>;
const project = async (mine: 1 | 2, batches: readonly (readonly RecordedEvent[])[]): Promise<Dbs> => {
  const dbs = Object.fromEntries(
    STATISTICS_DATABASES.map((n) => [n, readModels.database('statistics', mine, n)]),
  ) as Dbs;
  await readModels.write(() => Object.values(dbs).forEach((db) => db.clearSync()));
  for (const batch of batches) await readModels.write(() => projection.apply(dbs, batch));
  return dbs;
};

const SCOPES = ['c:prop-committee', 'c:ledger', 'r:dongmen', 'r:lincheng'];
const START = Date.parse('2020-01-01T00:00:00Z');
const FROM = '1990-01-01' as PlainDate;
const TO = '2100-12-31' as PlainDate;

describe('statistics as known at an instant (property)', () => {
  it('equal the statistics of only the events recorded by then, for every counter, figure and summary', async () => {
    let differing = 0;
    await fc.assert(
      fc.asyncProperty(
        committeeScenario,
        issuePlan,
        // Recording gaps from a few seconds to half a day, and some of days: several events share an
        // hour, others do not, and a log spans several blocks of history (ADR 0020) or one.
        fc.array(
          fc.oneof(
            fc.integer({ min: 5_000, max: 12 * SLOT_MS }),
            fc.integer({ min: 12 * SLOT_MS, max: 400 * SLOT_MS }),
          ),
          { minLength: 1, maxLength: 20 },
        ),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
        fc.array(fc.double({ min: 0, max: 1.05, noNaN: true }), { minLength: 3, maxLength: 3 }),
        async ({ world, plan }, issueSteps, gaps, cuts, instants) => {
          const gap = (i: number) => gaps[i % gaps.length] as number;
          const log = interleave(
            record('committee', 'prop-committee', driveCommittee(world, plan).events, { gap }),
            record('issue', 'issue-1', driveIssue(issueSteps).events, { gap: (i) => gap(i + 3) }),
          );
          const last = log.at(-1)?.recordedAt.getTime() ?? START;
          const everything = await project(1, cut(log, cuts));
          const now = new StatisticsQueries(everything);
          for (const fraction of instants) {
            const knownAt = new Date(START + Math.floor(fraction * (last - START)));
            const { resolved } = resolveKnownAt(knownAt);
            const recordedBy = log.filter((e) => e.recordedAt.getTime() <= resolved.getTime());
            const prefixDbs = await project(2, [recordedBy]);
            const then = new StatisticsQueries(prefixDbs);
            const asKnown = now.asKnownAt(knownAt);
            expect(asKnown.knownAt?.getTime()).toBe(resolved.getTime());
            expect(asKnown.knownAt!.getTime()).toBeLessThanOrEqual(knownAt.getTime());

            // Every series-year as known by then (its last block of history) is the prefix's.
            const nonZero = (values: readonly number[], from: number) => {
              const days: number[] = [];
              for (let i = from; i < values.length; i += 2)
                if (values[i + 1] !== 0) days.push(values[i] as number, values[i + 1] as number);
              return days;
            };
            const prefix = new Map<string, number[]>();
            for (const { key, value } of prefixDbs.counters.getRange({})) {
              const days = nonZero(value as number[], 1);
              if (days.length > 0) prefix.set(JSON.stringify(key), days);
            }
            const asKnownThen = new Map<string, number[]>();
            for (const key of everything.counters.getKeys({})) {
              const values = valuesAt(everything.known, key as Key[], resolveKnownAt(knownAt).slot);
              const days = values === undefined ? [] : nonZero(values, 0);
              if (days.length > 0) asKnownThen.set(JSON.stringify(key), days);
            }
            expect(asKnownThen).toEqual(prefix);

            // The queries: every metric's total and level, on the dates the log mentions, and the summaries.
            const dates = [...datesIn(log), '2100-12-31'] as PlainDate[];
            for (const scope of SCOPES) {
              expect(asKnown.summary(scope, FROM, TO)).toEqual({
                ...then.summary(scope, FROM, TO),
                knownAt: resolved.toISOString(),
              });
              for (const metric of Object.keys(METRICS) as MetricName[]) {
                if (METRICS[metric].kind === 'flow')
                  expect(asKnown.total(metric, { scope }, FROM, TO)).toBe(
                    then.total(metric, { scope }, FROM, TO),
                  );
                else
                  for (const on of dates.filter((_, i) => i % 3 === 0)) {
                    const value = asKnown.levelOn(metric, { scope }, on);
                    expect(value, `${metric} ${scope} on ${on}`).toBe(then.levelOn(metric, { scope }, on));
                    if (value !== now.levelOn(metric, { scope }, on)) differing++;
                  }
              }
            }
          }
        },
      ),
      { numRuns: 60 },
    );
    // The property is not vacuous: figures as known earlier often differ from today's.
    expect(differing).toBeGreaterThan(50);
  }, 300_000);
});
