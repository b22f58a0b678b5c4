import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PersistentSet } from './persistentSet.ts';

/** add(v) or without([v…]), over a small alphabet so that repeats and removals meet. */
const operation = fc.oneof(
  { weight: 4, arbitrary: fc.record({ add: fc.integer({ min: 0, max: 60 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({ remove: fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 4 }) }),
  },
);

describe('PersistentSet', () => {
  it('answers as a native Set given the same additions and removals, in insertion order', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 300 }), (operations) => {
        let set = PersistentSet.empty<number>();
        const model = new Set<number>();
        for (const op of operations) {
          if ('add' in op) {
            set = set.add(op.add);
            model.add(op.add);
          } else {
            set = set.without(op.remove);
            for (const v of op.remove) model.delete(v);
          }
        }
        expect(set.size).toBe(model.size);
        expect([...set]).toEqual([...model]);
        for (let v = 0; v <= 60; v++) expect(set.has(v)).toBe(model.has(v));
      }),
    );
  });

  it('leaves every earlier version as it was (a fold keeps no shared mutable state)', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 200 }), (operations) => {
        const versions: { set: PersistentSet<number>; contents: number[] }[] = [];
        let set = PersistentSet.empty<number>();
        for (const op of operations) {
          set = 'add' in op ? set.add(op.add) : set.without(op.remove);
          versions.push({ set, contents: [...set] });
        }
        for (const { set: version, contents } of versions) {
          expect([...version]).toEqual(contents);
          expect(version.size).toBe(contents.length);
        }
      }),
    );
  });

  it('keeps every version of a tree of versions as its own (adds and removals on any earlier version)', () => {
    // Each step takes a version made earlier (the newest of its line or not: two commands decided
    // on one cached state) and adds to it or removes from it; every version must stay what it was.
    const step = fc.record({ from: fc.nat(), op: operation });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        const versions = [{ set: PersistentSet.empty<number>(), model: new Set<number>() }];
        for (const { from, op } of steps) {
          const base = versions[from % versions.length] as (typeof versions)[number];
          const model = new Set(base.model);
          if ('add' in op) model.add(op.add);
          else for (const v of op.remove) model.delete(v);
          const set = 'add' in op ? base.set.add(op.add) : base.set.without(op.remove);
          versions.push({ set, model });
        }
        for (const { set, model } of versions) {
          expect(set.size).toBe(model.size);
          expect([...set]).toEqual([...model]);
          for (let v = 0; v <= 60; v++) expect(set.has(v)).toBe(model.has(v));
        }
      }),
    );
  });

  it('reads at most about log2(size) layers, so neither add nor has grows with the history', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5_000 }), (n) => {
        let set = PersistentSet.empty<string>();
        for (let i = 0; i < n; i++) set = set.add(`activity:a-${i}`);
        expect(set.size).toBe(n);
        expect(set.depth).toBeLessThanOrEqual(Math.floor(Math.log2(n)) + 1);
      }),
      { numRuns: 30 },
    );
  });

  it('returns itself for a value it holds and for a removal of values it lacks', () => {
    const set = PersistentSet.of(['a', 'b']);
    expect(set.add('a')).toBe(set);
    expect(set.without(['c'])).toBe(set);
    expect(set.addAll([])).toBe(set);
  });
});
