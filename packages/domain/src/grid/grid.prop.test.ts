import { driveGrid, gridPlan } from '@cogov/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const RUNS = 1000;
let refusedRecounts = 0;

describe('GridCell invariants (properties)', () => {
  it('invariant 7: a grid cell always has a positive household count and its contact households never exceed it', () => {
    fc.assert(
      fc.property(gridPlan, (plan) => {
        const { events, rejected } = driveGrid(plan);
        refusedRecounts += rejected.filter((code) => code === 'CONTACTS_EXCEED_HOUSEHOLDS').length;
        let households = 0;
        const contacts = new Map<string, number>();
        for (const event of events) {
          if (event.type === 'GridCellDrawn' || event.type === 'HouseholdsRecounted')
            households = event.data.households;
          if (event.type === 'ContactHouseholdsAssigned')
            contacts.set(
              event.data.memberId,
              (contacts.get(event.data.memberId) ?? 0) + event.data.households,
            );
          if (event.type === 'ContactHouseholdsReleased') contacts.delete(event.data.memberId);
          expect(households).toBeGreaterThan(0);
          expect([...contacts.values()].reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(households);
        }
      }),
      { numRuns: RUNS },
    );
    expect(refusedRecounts).toBeGreaterThan(RUNS / 10);
  });

  it('invariant 9: a retired grid cell accepts nothing more', () => {
    fc.assert(
      fc.property(gridPlan, (plan) => {
        const { events } = driveGrid(plan);
        const retired = events.findIndex((e) => e.type === 'GridCellRetired');
        if (retired >= 0) expect(events.slice(retired + 1)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});
