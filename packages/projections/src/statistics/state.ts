import type { Database, Key } from 'lmdb';

/** A key of the projection's own lookup tables: [table, ...ids]. */
export type StateKey = readonly [string, ...string[]];

const id = (key: StateKey) => key.join('\u0000');
/** LMDB's key type is a mutable array: a copy of ours. */
const lmdbKey = (key: StateKey): Key => [...key];

/**
 * The projection's private lookup tables (which region a committee is in, which seats are open…),
 * read through a batch-local overlay: what the batch writes is seen at once and lands in the
 * database with the batch, or not at all.
 */
export class StateOverlay {
  readonly #db: Database;
  readonly #overlay = new Map<string, { key: StateKey; value: unknown }>();
  readonly #read = new Map<string, unknown>();

  constructor(db: Database) {
    this.#db = db;
  }

  get<T>(key: StateKey): T | undefined {
    const k = id(key);
    const local = this.#overlay.get(k);
    if (local !== undefined) return local.value as T | undefined;
    // Reads are remembered for the batch: a region's path is looked up by most events of a batch.
    if (this.#read.has(k)) return this.#read.get(k) as T | undefined;
    const value = this.#db.get(lmdbKey(key)) as T | undefined;
    this.#read.set(k, value);
    return value;
  }

  set(key: StateKey, value: unknown): void {
    this.#overlay.set(id(key), { key, value });
  }

  delete(key: StateKey): void {
    this.#overlay.set(id(key), { key, value: undefined });
  }

  /** Every (key, value) under a prefix, overlay included. */
  entries<T>(prefix: StateKey): [StateKey, T][] {
    const found = new Map<string, [StateKey, T]>();
    for (const { key, value } of this.#db.getRange({
      start: lmdbKey(prefix),
      end: [...prefix, '\uffff'],
    })) {
      const stateKey = key as [string, ...string[]];
      found.set(id(stateKey), [stateKey, value as T]);
    }
    const p = id(prefix);
    for (const [k, { key, value }] of this.#overlay) {
      if (!k.startsWith(`${p}\u0000`)) continue;
      if (value === undefined) found.delete(k);
      else found.set(k, [key, value as T]);
    }
    return [...found.values()];
  }

  flush(): void {
    for (const { key, value } of this.#overlay.values()) {
      if (value === undefined) this.#db.removeSync(lmdbKey(key));
      else this.#db.putSync(lmdbKey(key), value);
    }
    this.#overlay.clear();
    this.#read.clear();
  }
}
