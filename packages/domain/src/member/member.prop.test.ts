import { driveMember, memberPlan } from '@cogov/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HUITONG_2022 } from '../policy/presets.ts';

const RUNS = 1000;
let deductionsToZero = 0;

describe('Member invariants (properties)', () => {
  it('invariant 8: points never go below zero, the ledger adds up per year from the base, and every award names a cause that scores once', () => {
    fc.assert(
      fc.property(memberPlan, (plan) => {
        const { events } = driveMember(plan);
        const balances = new Map<number, number>();
        const causes = new Set<string>();
        for (const event of events) {
          if (event.type !== 'PointsAwarded' && event.type !== 'PointsDeducted') continue;
          const { year, points, cause, balanceAfter } = event.data;
          expect(cause.sourceId.length).toBeGreaterThan(0);
          const key = `${cause.kind}:${cause.sourceId}`;
          expect(causes.has(key), `cause ${key} scored twice`).toBe(false);
          causes.add(key);
          const before = balances.get(year) ?? HUITONG_2022.points.base;
          const after = event.type === 'PointsAwarded' ? before + points : before - points;
          expect(after).toBeGreaterThanOrEqual(0);
          expect(balanceAfter).toBe(after);
          if (after === 0) deductionsToZero++;
          balances.set(year, after);
        }
      }),
      { numRuns: RUNS },
    );
    expect(deductionsToZero).toBeGreaterThan(RUNS / 10);
  });
});
