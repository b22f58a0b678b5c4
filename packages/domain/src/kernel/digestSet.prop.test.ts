import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DigestSet, digestOf } from './digestSet.ts';

describe('DigestSet (property)', () => {
  it('has every string added, and another only when an added one shares its digest, through any growth', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 12 }), { maxLength: 400 }),
        fc.array(fc.string({ maxLength: 12 }), { maxLength: 100 }),
        fc.nat({ max: 64 }),
        (added, others, capacity) => {
          const set = new DigestSet(capacity);
          const digests = new Set<number>();
          for (const value of added) {
            set.add(value);
            digests.add(digestOf(value));
            expect(set.mayHave(value)).toBe(true);
          }
          expect(set.size).toBe(digests.size);
          for (const value of added) expect(set.mayHave(value)).toBe(true);
          for (const value of others) expect(set.mayHave(value)).toBe(digests.has(digestOf(value)));
        },
      ),
    );
  });

  it('tells apart the digests of command ids that differ by one character', () => {
    // The ids the points process manager gives: `points:{event id}:{member id}`.
    const ids = Array.from({ length: 20_000 }, (_, i) => `points:e-${i}:m-${i % 37}`);
    const set = new DigestSet();
    for (const id of ids.slice(0, 10_000)) set.add(id);
    const falseHits = ids.slice(10_000).filter((id) => set.mayHave(id)).length;
    // About 10 000 × 10 000 / 2³² ≈ 0.02 expected; a weak digest would show hundreds.
    expect(falseHits).toBeLessThanOrEqual(2);
    expect(set.size).toBe(10_000);
  });
});
