import {
  addDays,
  evolveCommittee,
  initialCommitteeState,
  seatsOn,
  type CommitteeEvent,
  type CommitteeState,
  type PlainDate,
  type RecordedEvent,
} from '@cogov/domain';
import { committeeScenario, driveCommittee } from '@cogov/testkit';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'lmdb';
import { afterAll, describe, expect, it } from 'vitest';
import {
  MEMBERSHIP_DATABASES,
  membershipProjection,
  type MembershipDatabases,
} from '../membership/projection.ts';
import { MembershipQueries } from '../membership/queries.ts';
import { ReadModelStore } from '../runtime/readModelStore.ts';
import { cut, datesIn, record } from './log.ts';

const dir = mkdtempSync(join(tmpdir(), 'cogov-membership-prop-'));
const readModels = ReadModelStore.open({ path: dir });
afterAll(async () => {
  await readModels.close();
  rmSync(dir, { recursive: true, force: true });
});
const projection = membershipProjection();

/** Brute force: replay what was recorded by `knownAt`, then take who sat on `asOf`. */
const bruteForce = (log: readonly RecordedEvent[], asOf: PlainDate, knownAt: number) => {
  let state: CommitteeState = initialCommitteeState;
  for (const event of log)
    if (event.recordedAt.getTime() <= knownAt)
      state = evolveCommittee(state, event as unknown as CommitteeEvent);
  // The four roles: the last set recorded by `knownAt` among those assigned on or before `asOf`.
  const duties = (seatId: string): string => {
    let latest: { on: string; duties: readonly string[] } | undefined;
    for (const event of log) {
      const e = event as unknown as CommitteeEvent;
      if (event.recordedAt.getTime() > knownAt || e.type !== 'DutiesAssigned') continue;
      if (e.data.candidateId === seatId && e.data.assignedOn <= asOf)
        if (latest === undefined || e.data.assignedOn >= latest.on)
          latest = { on: e.data.assignedOn, duties: e.data.duties };
    }
    return (latest?.duties ?? []).join(',');
  };
  return seatsOn(state, asOf)
    .map((seat) => `${seat.personId}|${seat.kind}|${seat.role ?? ''}|${seat.from}|${duties(seat.id)}`)
    .sort();
};

describe('bitemporal rosters (properties)', () => {
  it('answer "as of D, as known at K" exactly as a replay filtered by effective and recorded time', async () => {
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(
        committeeScenario,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }),
        fc.array(
          fc.tuple(fc.nat(), fc.integer({ min: -1, max: 1 }), fc.double({ min: 0, max: 1.1, noNaN: true })),
          { minLength: 6, maxLength: 6 },
        ),
        async ({ world, plan }, cuts, probes) => {
          const { events } = driveCommittee(world, plan);
          // Recorded times rise unevenly: some facts are recorded long after others (backdating).
          const log = record('committee', 'prop-committee', events, {
            gap: (i) => (i % 11 === 0 ? 86_400_000 * 40 : 60_000),
          });
          const dbs = Object.fromEntries(
            MEMBERSHIP_DATABASES.map((n) => [n, readModels.database('membership', 1, n)]),
          ) as unknown as MembershipDatabases;
          // Cleared first, not last: a failing run (and fast-check's shrinking after it) must not see its leftovers.
          await readModels.write(() =>
            Object.values(dbs as unknown as Record<string, Database>).forEach((db) => db.clearSync()),
          );
          for (const batch of cut(log, cuts)) await readModels.write(() => projection.apply(dbs, batch));
          const queries = new MembershipQueries(dbs);
          const first = log[0]!.recordedAt.getTime();
          const last = log[log.length - 1]!.recordedAt.getTime();
          const dates = datesIn(events);
          // Random pairs (asOf, knownAt), plus every date the log mentions as known now.
          const pairs: [PlainDate, number][] = [
            ...probes.map(([index, offset, when]): [PlainDate, number] => [
              addDays(dates[index % dates.length] as PlainDate, offset),
              Math.round(first + when * (last - first)),
            ]),
            ...dates.map((date): [PlainDate, number] => [date as PlainDate, last]),
          ];
          for (const [asOf, knownAt] of pairs) {
            const roster = queries.roster('prop-committee', { asOf, knownAt: new Date(knownAt) });
            const actual = roster.members
              .map((m) => `${m.personId}|${m.kind}|${m.role ?? ''}|${m.since}|${m.duties.join(',')}`)
              .sort();
            expect(actual, `as of ${asOf}, known at ${new Date(knownAt).toISOString()}`).toEqual(
              bruteForce(log, asOf, knownAt),
            );
            if (actual.length > 0) nonEmpty++;
          }
        },
      ),
      { numRuns: 200 },
    );
    expect(nonEmpty).toBeGreaterThan(200);
  }, 300_000);
});
