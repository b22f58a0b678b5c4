import { StoreUnavailableError } from '@cogov/domain';
import type { SlotDatabases } from './projection.ts';
import {
  checkLmdbFile,
  commitCause,
  DirectoryLock,
  ensureWritableDirectory,
  isDataDirectoryError,
  sameStamp,
  stampOf,
  type FileStamp,
} from '@cogov/storage';
import { precheckReadModels, READ_MODELS_PROBE } from './precheck.ts';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
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
  /** This boot of the machine (Linux), or null: then every commit is synced. */
  readonly #boot: string | null;

  private constructor(
    path: string,
    root: RootDatabase,
    lock: DirectoryLock,
    recovered: ReadModelStore['recovered'],
    boot: string | null,
  ) {
    this.#boot = boot;
    this.path = path;
    this.root = root;
    this.#lock = lock;
    this.recovered = recovered;
    this.#meta = root.openDB<unknown, string>({ name: 'meta' });
  }

  /**
   * Checks the read models' file in a child process without blocking, so that the check runs
   * beside others (the log's) at start. Resolves with the file's stamp if it passed (`open` then
   * skips its own check while the file is unchanged), or null (`open` checks, and says why).
   */
  static precheck(path: string): Promise<FileStamp | null> {
    return precheckReadModels(path);
  }

  static open(options: {
    readonly path: string;
    readonly mapSize?: number;
    /** A stamp from `precheck`: the file passed the check as it was then. */
    readonly prechecked?: FileStamp | null;
  }): ReadModelStore {
    const path = resolve(options.path);
    ensureWritableDirectory(path);
    // One projector per read-model directory: two would each apply the log from their own position.
    const lock = DirectoryLock.acquire(path);
    const file = join(path, 'read-models.mdb');
    let recovered: ReadModelStore['recovered'] = null;
    let root: RootDatabase;
    const boot = bootId();
    try {
      if (existsSync(file)) recovered = ReadModelStore.#setAsideIfUnsynced(path, file, boot);
      if (existsSync(file) && !sameStamp(options.prechecked, stampOf(file)))
        recovered ??= ReadModelStore.#setAsideIfDamaged(path, file);
      // Written (durably) before the first write of this process: a restart of the machine from
      // now until a clean close sets these read models aside.
      if (boot !== null) writeState(path, { bootId: boot, clean: false });
      root = open({
        path: file,
        maxDbs: 256,
        // Batches are transactions of their own; see the event store on lmdb-js event-turn batching.
        eventTurnBatching: false,
        // Derived data, guarded by the boot id instead of an fsync per batch (ADR 9): a process
        // that dies loses nothing (the kernel holds the pages), and a machine that restarts before
        // a clean close finds them set aside and rebuilt from the log.
        noSync: boot !== null,
        ...(options.mapSize === undefined ? {} : { mapSize: options.mapSize }),
      });
    } catch (error) {
      lock.release();
      throw error;
    }
    return new ReadModelStore(path, root, lock, recovered, boot);
  }

  /**
   * Read models written without fsync by a process of an earlier boot that never closed them:
   * the machine restarted under them, so some of their pages may never have reached the disk.
   * They are moved aside, to be rebuilt from the log.
   */
  static #setAsideIfUnsynced(path: string, file: string, boot: string | null): ReadModelStore['recovered'] {
    const state = readState(path);
    if (state === null || state.clean || state.bootId === boot) return null;
    return ReadModelStore.#setAside(
      file,
      'the machine restarted while they were open and unsynced: rebuilt from the log',
    );
  }

  /** Checks the file as the log's is checked; a damaged one is moved aside (it is derived data). */
  static #setAsideIfDamaged(path: string, file: string): ReadModelStore['recovered'] {
    try {
      checkLmdbFile(path, file, READ_MODELS_PROBE);
      return null;
    } catch (error) {
      if (!isDataDirectoryError(error) || error.problem !== 'corrupt') throw error;
      return ReadModelStore.#setAside(file, error.message);
    }
  }

  static #setAside(file: string, reason: string): NonNullable<ReadModelStore['recovered']> {
    const movedTo = `${file}.damaged-${new Date().toISOString().replaceAll(':', '-')}`;
    renameSync(file, movedTo);
    for (const extra of ['-lock'])
      if (existsSync(`${file}${extra}`)) renameSync(`${file}${extra}`, `${movedTo}${extra}`);
    return { reason, movedTo };
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

  /**
   * Runs `apply` in a write transaction committed before it returns, on this thread: no hand-off
   * to lmdb-js's write thread and back, which was most of a live batch's lag (P5). It holds the
   * event loop for the commit, so it is for small batches; it waits for a transaction of the
   * write thread that is under way, and the two kinds may be mixed. A commit that fails throws a
   * `StoreUnavailableError`; an error `apply` throws is thrown as it is.
   */
  writeNow<T>(apply: () => T): T {
    let thrown = false;
    let result: T;
    try {
      result = this.root.transactionSync(() => {
        try {
          return apply();
        } catch (error) {
          thrown = true;
          throw error;
        }
      });
    } catch (error) {
      // An error of `apply` is the caller's; any other is the commit's (a full disk).
      if (thrown) throw error;
      throw new StoreUnavailableError(`writing the read models at ${this.path} failed: ${String(error)}`, {
        cause: error,
      });
    }
    for (const listener of [...this.#committed]) listener();
    return result;
  }

  /**
   * Runs `apply` in a write transaction; resolves once committed. A commit that fails (a full
   * disk) rejects with a `StoreUnavailableError` carrying its cause, and lmdb-js's own promise of that cause is handled (unhandled,
   * it ended the process). An error `apply` throws rejects as it is, but does not undo what
   * `apply` wrote before it (lmdb-js commits async transactions together): what must be all or
   * nothing goes in a child transaction, as each projection's batch does.
   */
  write<T>(apply: () => T): Promise<T> {
    return this.root.transaction(apply).then(
      (result) => {
        for (const listener of [...this.#committed]) listener();
        return result;
      },
      async (failure: unknown) => {
        // An error thrown by `apply` aborted the transaction: it is the caller's, as it is.
        if (!isCommitFailure(failure)) throw failure;
        const cause = await commitCause(failure);
        throw new StoreUnavailableError(`writing the read models at ${this.path} failed: ${String(cause)}`, {
          cause,
        });
      },
    );
  }

  /**
   * Within `write` or `writeNow`'s callback: runs `apply` in a child transaction, at once, so that
   * an error it throws undoes its own writes and nothing else (and is thrown on). Outside a
   * write transaction it refuses (lmdb-js would queue a transaction of its own, unawaited).
   */
  nested(apply: () => void): void {
    const result: unknown = this.root.childTransaction(apply);
    if (result instanceof Promise) {
      // lmdb-js queued it as a transaction of its own: a failure of it must not end the process.
      result.catch(async (failure: unknown) => commitCause(failure)).catch(() => undefined);
      throw new Error('ReadModelStore.nested must run inside a write transaction (write or writeNow)');
    }
  }

  /** Called after every committed write: wakes read-your-writes waiters. */
  onCommit(listener: () => void): () => void {
    this.#committed.add(listener);
    return () => this.#committed.delete(listener);
  }

  /**
   * Flushes the read models and marks them closed cleanly, then closes the environment and
   * releases the directory. A flush or mark that fails (a full disk) is reported after the
   * environment is closed and the directory released, and leaves the mark unset: a restart of
   * the machine then rebuilds them.
   */
  async close(): Promise<void> {
    let failure: unknown;
    try {
      // lmdb-js's environment flush (mdb_env_sync, forced), which its typings leave out.
      const env = this.root as unknown as {
        isOperational(): boolean;
        sync(callback: (error?: unknown) => void): void;
      };
      if (this.#boot !== null && env.isOperational()) {
        // Everything on disk first, then the mark that says so.
        await this.root.committed;
        await new Promise<void>((resolve, reject) =>
          env.sync((error) =>
            error === undefined || error === null
              ? resolve()
              : reject(
                  error instanceof Error
                    ? error
                    : new Error(`flushing the read models failed: ${JSON.stringify(error)}`),
                ),
          ),
        );
        writeState(this.path, { bootId: this.#boot, clean: true });
      }
    } catch (error) {
      failure = error;
    }
    try {
      await this.root.close();
    } finally {
      this.#lock.release();
    }
    if (failure !== undefined)
      throw failure instanceof Error
        ? failure
        : new Error(`closing the read models failed: ${JSON.stringify(failure)}`, { cause: failure });
  }
}

/** A commit lmdb-js could not complete (it carries the cause on `commitError`), not an error of the transaction's callback. */
const isCommitFailure = (failure: unknown): boolean =>
  typeof failure === 'object' && failure !== null && 'commitError' in failure;

/** `read-models.state`: which boot last wrote the read models, and whether it closed them. */
interface WriterState {
  readonly bootId: string;
  readonly clean: boolean;
}

const STATE_FILE = 'read-models.state';

/** The kernel's id of this boot (Linux); null elsewhere. */
const bootId = (): string | null => {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    return null;
  }
};

const readState = (path: string): WriterState | null => {
  try {
    const state = JSON.parse(readFileSync(join(path, STATE_FILE), 'utf8')) as Partial<WriterState>;
    if (typeof state.bootId !== 'string' || typeof state.clean !== 'boolean') return null;
    return { bootId: state.bootId, clean: state.clean };
  } catch {
    // None (read models written before this file existed were synced at every commit).
    return null;
  }
};

/** Replaces the state file durably: written, synced, renamed, directory synced. */
const writeState = (path: string, state: WriterState): void => {
  const target = join(path, STATE_FILE);
  const temporary = `${target}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, JSON.stringify(state));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, target);
  const dir = openSync(path, 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
};
