interface Entry<K, V> {
  readonly key: K;
  value: V;
  /** Towards the least recently used. */
  older: Entry<K, V> | null;
  /** Towards the most recently used. */
  newer: Entry<K, V> | null;
}

/**
 * A bounded cache that forgets the least recently used entry first: a Map of entries linked in
 * the order they were last used, so that a hit, an insertion and an eviction each cost O(1).
 *
 * Not a Map used as an LRU by deleting and re-inserting on every hit and then evicting its first
 * key: V8 leaves a deleted entry's slot in place until the Map is rebuilt, so each eviction walks
 * past the holes ahead of the oldest live key (9 % of the command path in a profile of P3).
 * Written here rather than taken from a library so that `@cogov/domain` keeps zod as its only
 * dependency (ADR 0013).
 *
 * @example
 * const cache = new RecentCache<string, number>(10_000);
 * cache.set('committee-1', 3);
 * cache.get('committee-1'); // 3
 */
export class RecentCache<K, V> {
  readonly #max: number;
  readonly #entries = new Map<K, Entry<K, V>>();
  #oldest: Entry<K, V> | null = null;
  #newest: Entry<K, V> | null = null;

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`a RecentCache holds at least 1 entry, not ${max}`);
    this.#max = max;
  }

  /** The value of a key, which becomes the most recently used. */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#use(entry);
    return entry.value;
  }

  /** Whether it holds the key, without counting as a use. */
  has(key: K): boolean {
    return this.#entries.has(key);
  }

  /** Sets a key's value, the most recently used; the least recently used goes when it is full. */
  set(key: K, value: V): void {
    const known = this.#entries.get(key);
    if (known !== undefined) {
      known.value = value;
      this.#use(known);
      return;
    }
    const entry: Entry<K, V> = { key, value, older: this.#newest, newer: null };
    if (this.#newest !== null) this.#newest.newer = entry;
    this.#newest = entry;
    this.#oldest ??= entry;
    this.#entries.set(key, entry);
    if (this.#entries.size > this.#max) {
      const oldest = this.#oldest;
      this.#entries.delete(oldest.key);
      this.#oldest = oldest.newer;
      if (this.#oldest !== null) this.#oldest.older = null;
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Keys from the least to the most recently used. */
  *keys(): IterableIterator<K> {
    for (let entry = this.#oldest; entry !== null; entry = entry.newer) yield entry.key;
  }

  clear(): void {
    this.#entries.clear();
    this.#oldest = null;
    this.#newest = null;
  }

  #use(entry: Entry<K, V>): void {
    if (entry === this.#newest) return;
    // Unlink, then link as the newest.
    if (entry.older !== null) entry.older.newer = entry.newer;
    else this.#oldest = entry.newer;
    if (entry.newer !== null) entry.newer.older = entry.older;
    entry.older = this.#newest;
    entry.newer = null;
    if (this.#newest !== null) this.#newest.newer = entry;
    this.#newest = entry;
  }
}
