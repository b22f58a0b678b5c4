/**
 * An immutable set whose `add` returns a new set sharing almost everything with the old one.
 *
 * Why: a state that remembers what a stream has seen (the causes a member scored for, the agenda
 * items and meetings a committee knows) grows with the stream. Copying a native `Set` on every
 * event made a fold quadratic: replaying a member with 5 000 awards took 0.9 s, and every award
 * copied thousands of entries. Here the entries sit in layers whose sizes halve from the oldest
 * to the newest (a binary counter): an `add` makes a one-entry layer and merges it into the
 * layers below while the one below is no larger, so each entry is copied O(log n) times over the
 * life of the stream and `has` looks in O(log n) layers. A layer, once made, is never changed,
 * so every earlier state stays exactly as it was (time travel folds from the start anyway).
 *
 * @example
 * const a = PersistentSet.empty<string>().add('activity:a-1');
 * const b = a.add('activity:a-2');
 * a.has('activity:a-2'); // false
 * b.size; // 2
 */
export class PersistentSet<T> implements ReadonlySet<T> {
  /** Oldest (largest) first; each layer is frozen by convention: never mutated once made. */
  readonly #layers: readonly Set<T>[];
  readonly size: number;

  private constructor(layers: readonly Set<T>[], size: number) {
    this.#layers = layers;
    this.size = size;
  }

  static empty<T>(): PersistentSet<T> {
    return new PersistentSet<T>([], 0);
  }

  static of<T>(values: Iterable<T>): PersistentSet<T> {
    const layer = new Set(values);
    return layer.size === 0 ? PersistentSet.empty<T>() : new PersistentSet([layer], layer.size);
  }

  has(value: T): boolean {
    // Newest first: a stream's commands mostly ask about what it saw lately.
    for (let i = this.#layers.length - 1; i >= 0; i--)
      if ((this.#layers[i] as Set<T>).has(value)) return true;
    return false;
  }

  /** This set with `value`; this set itself when it already holds it. */
  add(value: T): PersistentSet<T> {
    if (this.has(value)) return this;
    const layers = [...this.#layers];
    let top = new Set<T>([value]);
    for (;;) {
      const below = layers[layers.length - 1];
      if (below === undefined || below.size > top.size) break;
      layers.pop();
      const merged = new Set<T>(below);
      for (const v of top) merged.add(v);
      top = merged;
    }
    layers.push(top);
    return new PersistentSet(layers, this.size + 1);
  }

  /** This set with every value of `values`. */
  addAll(values: Iterable<T>): PersistentSet<T> {
    return [...values].reduce<PersistentSet<T>>((set, value) => set.add(value), this);
  }

  /** This set without `values`: a copy into one layer, for the sets that shrink (rarely large). */
  without(values: Iterable<T>): PersistentSet<T> {
    const removed = new Set(values);
    let found = false;
    for (const value of removed) if (this.has(value)) found = true;
    if (!found) return this;
    const kept = new Set<T>();
    for (const value of this) if (!removed.has(value)) kept.add(value);
    return kept.size === 0 ? PersistentSet.empty<T>() : new PersistentSet([kept], kept.size);
  }

  /** Oldest layer first: insertion order across layers. */
  *values(): SetIterator<T> {
    for (const layer of this.#layers) yield* layer;
  }

  keys(): SetIterator<T> {
    return this.values();
  }

  *entries(): SetIterator<[T, T]> {
    for (const value of this.values()) yield [value, value];
  }

  [Symbol.iterator](): SetIterator<T> {
    return this.values();
  }

  forEach(callback: (value: T, value2: T, set: ReadonlySet<T>) => void, thisArg?: unknown): void {
    for (const value of this.values()) callback.call(thisArg, value, value, this);
  }

  /** How many layers a lookup reads (at most about log2 of the size): for tests. */
  get depth(): number {
    return this.#layers.length;
  }
}
