import type { SlotDatabases } from './projection.ts';
import { checkLmdbFile, DataDirectoryError, DirectoryLock, isDataDirectoryError } from '@cogov/storage';
import { accessSync, constants, existsSync, mkdirSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { open, type Database, type Key, type RootDatabase } from 'lmdb';

/** Where a projection slot stands: the last position it has applied, and whether it is live. */
export interface SlotInfo {
  readonly slot: number;
  readonly version: number;
}

interface Slots {
  readonly active: SlotInfo | null;
  readonly building: SlotInfo | null;
}

/**
 * The read models' LMDB environment (separate from the event log, so a KurrentDB deployment keeps
 * its read models locally). Each projection writes into *slots*: a rebuild fills a fresh slot
 * while the active one keeps serving, then the active pointer switches in one transaction.
 */
export class ReadModelStore {
  readonly path: string;
  readonly root: RootDatabase;
  /**
   * Set when the file found at start was damaged: it was moved aside and these read models start
   * empty, to be rebuilt from the log (they hold nothing the log does not).
   */
  readonly recovered: { readonly reason: string; readonly movedTo: string } | null;
  readonly #meta: Database<unknown, string>;
  readonly #opened = new Map<string, Database>();
  readonly #committed = new Set<() => void>();
  readonly #lock: DirectoryLock;

  private constructor(
    path: string,
    root: RootDatabase,
    lock: DirectoryLock,
    recovered: ReadModelStore['recovered'],
  ) {
    this.path = path;
    this.root = root;
    this.#lock = lock;
    this.recovered = recovered;
    this.#meta = root.openDB<unknown, string>({ name: 'meta' });
  }

  static open(options: { readonly path: string; readonly mapSize?: number }): ReadModelStore {
    const path = resolve(options.path);
    try {
      mkdirSync(path, { recursive: true });
      accessSync(path, constants.W_OK);
    } catch (error) {
      throw new DataDirectoryError(path, 'read-only', `is not writable (${String(error)})`, { cause: error });
    }
    // One projector per read-model directory: two would each apply the log from their own position.
    const lock = DirectoryLock.acquire(path);
    const file = join(path, 'read-models.mdb');
    let recovered: ReadModelStore['recovered'] = null;
    let root: RootDatabase;
    try {
      if (existsSync(file)) recovered = ReadModelStore.#setAsideIfDamaged(path, file);
      root = open({
        path: file,
        maxDbs: 256,
        // Batches are transactions of their own; see the event store on lmdb-js event-turn batching.
        eventTurnBatching: false,
        ...(options.mapSize === undefined ? {} : { mapSize: options.mapSize }),
      });
    } catch (error) {
      lock.release();
      throw error;
    }
    return new ReadModelStore(path, root, lock, recovered);
  }

  /** Checks the file as the log's is checked; a damaged one is moved aside (it is derived data). */
  static #setAsideIfDamaged(path: string, file: string): ReadModelStore['recovered'] {
    try {
      checkLmdbFile(path, file, new URL('./readModelsProbe.cjs', import.meta.url));
      return null;
    } catch (error) {
      if (!isDataDirectoryError(error) || error.problem !== 'corrupt') throw error;
      const movedTo = `${file}.damaged-${new Date().toISOString().replaceAll(':', '-')}`;
      renameSync(file, movedTo);
      for (const extra of ['-lock'])
        if (existsSync(`${file}${extra}`)) renameSync(`${file}${extra}`, `${movedTo}${extra}`);
      return { reason: error.message, movedTo };
    }
  }

  /** A database of a projection slot, e.g. `statistics/3/counters`. */
  database<V = unknown, K extends Key = Key>(projection: string, slot: number, name: string): Database<V, K> {
    const full = `${projection}/${slot}/${name}`;
    let db = this.#opened.get(full);
    if (db === undefined) {
      db = this.root.openDB({ name: full });
      this.#opened.set(full, db);
    }
    return db as unknown as Database<V, K>;
  }

  /** Every database of a projection's slot, by name. */
  slotDatabases<Names extends string>(
    projection: string,
    slot: number,
    names: readonly Names[],
  ): SlotDatabases<Names> {
    return Object.fromEntries(
      names.map((name) => [name, this.database(projection, slot, name)]),
    ) as SlotDatabases<Names>;
  }

  slots(projection: string): Slots {
    return (this.#meta.get(`slots:${projection}`) as Slots | undefined) ?? { active: null, building: null };
  }

  /** Inside a write transaction. */
  putSlots(projection: string, slots: Slots): void {
    this.#meta.putSync(`slots:${projection}`, slots);
  }

  checkpoint(projection: string, slot: number): number {
    return (this.#meta.get(`checkpoint:${projection}/${slot}`) as number | undefined) ?? -1;
  }

  /** Inside a write transaction: commits with the read-model writes of the batch. */
  putCheckpoint(projection: string, slot: number, position: number): void {
    this.#meta.putSync(`checkpoint:${projection}/${slot}`, position);
  }

  /** A value kept beside the projections (process-manager checkpoints, idempotency keys…). */
  meta<T>(key: string): T | undefined {
    return this.#meta.get(key) as T | undefined;
  }

  putMeta(key: string, value: unknown): void {
    this.#meta.putSync(key, value);
  }

  /** Empties a slot's databases (a rebuild starts from nothing). Inside a write transaction. */
  clearSlot(projection: string, slot: number, names: readonly string[]): void {
    for (const name of names) this.database(projection, slot, name).clearSync();
    this.#meta.removeSync(`checkpoint:${projection}/${slot}`);
  }

  /** Runs `apply` in a write transaction; resolves once committed. */
  write<T>(apply: () => T): Promise<T> {
    return this.root.transaction(apply).then((result) => {
      for (const listener of [...this.#committed]) listener();
      return result;
    });
  }

  /** Called after every committed write: wakes read-your-writes waiters. */
  onCommit(listener: () => void): () => void {
    this.#committed.add(listener);
    return () => this.#committed.delete(listener);
  }

  async close(): Promise<void> {
    try {
      await this.root.close();
    } finally {
      this.#lock.release();
    }
  }
}
