import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecentCache } from './recentCache.ts';

type Op =
  | { readonly kind: 'set'; readonly key: number; readonly value: number }
  | { readonly kind: 'get'; readonly key: number };

const ops = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('set' as const), key: fc.nat({ max: 12 }), value: fc.integer() }),
    fc.record({ kind: fc.constant('get' as const), key: fc.nat({ max: 12 }) }),
  ),
  { maxLength: 200 },
);

describe('RecentCache (property)', () => {
  it('holds exactly the keys used last, as many as its size, in the order used, each with its latest value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), ops, (max, steps: readonly Op[]) => {
        const cache = new RecentCache<number, number>(max);
        // The model: keys by last use, least recent first, and their values.
        let order: number[] = [];
        const values = new Map<number, number>();
        const use = (key: number) => {
          order = [...order.filter((k) => k !== key), key];
          if (order.length > max) values.delete(order.shift() as number);
        };
        for (const step of steps) {
          if (step.kind === 'set') {
            cache.set(step.key, step.value);
            values.set(step.key, step.value);
            use(step.key);
          } else {
            const found = cache.get(step.key);
            expect(found).toBe(values.get(step.key));
            if (found !== undefined) use(step.key);
          }
          expect([...cache.keys()]).toEqual(order);
          expect(cache.size).toBe(order.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a size that could hold nothing', () => {
    expect(() => new RecentCache(0)).toThrow(RangeError);
  });
});
