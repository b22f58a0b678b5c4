import {
  committeeScenario,
  driveActivity,
  driveCommittee,
  driveGrid,
  driveIssue,
  driveMember,
  driveProject,
  driveRegion,
  driveUnit,
  gridPlan,
  issuePlan,
  memberPlan,
  projectPlan,
  smallPlan,
} from '@cogov/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Decider } from '../kernel/decider.ts';
import type { Event } from '../kernel/events.ts';
import { AGGREGATES } from './aggregates.ts';

const RUNS = 1000;

/** Each aggregate's driver, run under a live region chain or a retired one. */
const drivers = {
  region: {
    plan: smallPlan,
    run: (p: never, retired: boolean) => driveRegion(p, { retiredRegion: retired }),
  },
  unit: { plan: smallPlan, run: (p: never, retired: boolean) => driveUnit(p, { retiredRegion: retired }) },
  grid: { plan: gridPlan, run: (p: never, retired: boolean) => driveGrid(p, { retiredRegion: retired }) },
  issue: { plan: issuePlan, run: (p: never, retired: boolean) => driveIssue(p, { retiredRegion: retired }) },
  project: {
    plan: projectPlan,
    run: (p: never, retired: boolean) => driveProject(p, { retiredRegion: retired }),
  },
  activity: {
    plan: smallPlan,
    run: (p: never, retired: boolean) => driveActivity(p, { retiredRegion: retired }),
  },
} as const;

describe('Invariants across aggregates (properties)', () => {
  for (const [name, driver] of Object.entries(drivers)) {
    it(`invariant 9: nothing is accepted for a ${name} under a retired region`, () => {
      fc.assert(
        fc.property(driver.plan, (plan) => {
          const { events, rejected } = driver.run(plan as never, true);
          expect(events).toEqual([]);
          expect(rejected.length).toBeGreaterThan(0);
        }),
        { numRuns: RUNS },
      );
    });
  }

  const replays: [
    string,
    fc.Arbitrary<{ events: readonly Event[]; state: unknown }>,
    Decider<never, Event, unknown, never>,
  ][] = [
    [
      'committee',
      committeeScenario.map(({ world, plan }) => driveCommittee(world, plan)),
      AGGREGATES.committee.decider as never,
    ],
    ['member', memberPlan.map((p) => driveMember(p)), AGGREGATES.member.decider as never],
    ['grid', gridPlan.map((p) => driveGrid(p)), AGGREGATES.grid.decider as never],
    ['issue', issuePlan.map((p) => driveIssue(p)), AGGREGATES.issue.decider as never],
    ['project', projectPlan.map((p) => driveProject(p)), AGGREGATES.project.decider as never],
    ['activity', smallPlan.map((p) => driveActivity(p)), AGGREGATES.activity.decider as never],
    ['unit', smallPlan.map((p) => driveUnit(p)), AGGREGATES.unit.decider as never],
    ['region', smallPlan.map((p) => driveRegion(p)), AGGREGATES.region.decider as never],
  ];
  for (const [name, arbitrary, decider] of replays) {
    it(`invariant 10: replaying a ${name} stream from the start yields the same state, also after a JSON round trip, and every recorded event is valid`, () => {
      fc.assert(
        fc.property(arbitrary, ({ events, state }) => {
          const fold = (log: readonly Event[]) =>
            log.reduce((s, e) => decider.evolve(s as never, e as never), decider.initialState);
          expect(fold(events)).toEqual(state);
          expect(fold(JSON.parse(JSON.stringify(events)) as Event[])).toEqual(state);
          const catalog = AGGREGATES[name as keyof typeof AGGREGATES].events;
          for (const event of events) expect(catalog.validate(event).ok, event.type).toBe(true);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('evolve is total: every recorded event folds onto any state without throwing', () => {
    fc.assert(
      fc.property(committeeScenario, fc.nat(), ({ world, plan }, cut) => {
        const { events } = driveCommittee(world, plan);
        // Fold a suffix onto the initial state: events arriving "out of place" must not break evolve.
        const suffix = events.slice(cut % Math.max(events.length, 1));
        expect(() =>
          suffix.reduce(
            AGGREGATES.committee.decider.evolve as never,
            AGGREGATES.committee.decider.initialState,
          ),
        ).not.toThrow();
      }),
      { numRuns: RUNS },
    );
  });
});
