import {
  AppendSignal,
  checkExpectedRevision,
  pullSubscription,
  replayedAppend,
  StoreClosedError,
  StoreUnavailableError,
  withEventIds,
  type AppendOptions,
  type AppendResult,
  type Event,
  type EventId,
  type EventMetadata,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type GlobalPosition,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamId,
  type StreamRevision,
  type SubscribeAllOptions,
  type Subscription,
} from '@cogov/domain/kernel';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { DataDirectoryError } from '../errors.ts';
import { checkLogFile } from './fileCheck.ts';
import { DirectoryLock } from './lock.ts';

/** The on-disk layout this code writes and reads. A newer layout is refused, never guessed at. */
export const LMDB_FORMAT_VERSION = 1;

export interface LmdbEventStoreOptions {
  /** The data directory (created if missing). */
  readonly path: string;
  /**
   * `flush` (default): an append is acknowledged once its transaction is on disk (fsync'd); nothing
   * acknowledged is lost even on power loss. `commit`: acknowledged at commit, before the flush;
   * faster, survives a process crash but may lose the last acknowledged appends on power loss.
   */
  readonly durability?: 'flush' | 'commit';
  /** Stamps `recordedAt`; never goes backwards. Default: the system clock. */
  readonly clock?: () => Date;
  /** Events per subscription page: the most a subscription holds ahead of its consumer. */
  readonly pageSize?: number;
  /** Initial map size in bytes (LMDB grows it as needed). */
  readonly mapSize?: number;
}

/** How an event is kept in the log: short keys, msgpack-encoded by lmdb-js. */
interface StoredEvent {
  readonly s: string;
  readonly r: number;
  readonly t: string;
  readonly d: unknown;
  readonly i: string;
  readonly a: number;
  readonly m: EventMetadata;
}

interface StreamHead {
  readonly revision: number;
  readonly createdAt: number;
}

interface PendingAppend {
  readonly streamId: StreamId;
  readonly events: readonly EventToAppend[];
  readonly ids: readonly EventId[];
  readonly expected: ExpectedRevision;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
  outcome?: Outcome;
}

type Outcome =
  { readonly ok: true; readonly result: AppendResult } | { readonly ok: false; readonly error: unknown };

const toRecorded = (position: number, stored: StoredEvent): RecordedEvent => ({
  type: stored.t,
  data: stored.d,
  streamId: stored.s as StreamId,
  revision: stored.r as StreamRevision,
  position: position as GlobalPosition,
  eventId: stored.i as EventId,
  recordedAt: new Date(stored.a),
  metadata: stored.m,
});

const describeOpenError = (path: string, error: unknown): DataDirectoryError => {
  const text = String(error);
  if (/EACCES|EROFS|read-only|permission/i.test(text)) {
    return new DataDirectoryError(path, 'read-only', 'is not writable', { cause: error });
  }
  return new DataDirectoryError(path, 'corrupt', `does not hold a readable cogov event log (${text})`, {
    cause: error,
  });
};

/**
 * The embedded event store: one LMDB environment with the global log keyed by position, a
 * stream index keyed by (stream, revision), an event-id index for idempotency, and stream heads.
 *
 * Appends are group-committed: every append queued in one event-loop turn is checked against its
 * own expected revision inside one write transaction, so one that fails never fails its
 * neighbours, and they share one fsync. An append is acknowledged after the flush by default.
 * Subscriptions are woken by those flushes.
 *
 * @example
 * const store = await LmdbEventStore.open({ path: './data/events' });
 * await store.appendToStream(streamId, [event], { expectedRevision: 'no_stream' });
 */
export class LmdbEventStore implements EventStore {
  readonly path: string;
  readonly #root: RootDatabase;
  readonly #log: Database<StoredEvent, number>;
  readonly #streams: Database<number, [string, number]>;
  readonly #heads: Database<StreamHead, string>;
  readonly #eventIds: Database<[string, number, number], string>;
  readonly #lock: DirectoryLock;
  readonly #durability: 'flush' | 'commit';
  readonly #clock: () => Date;
  readonly #pageSize: number;
  readonly #appended = new AppendSignal();
  readonly #closing = new AbortController();
  #queue: PendingAppend[] = [];
  #scheduled = false;
  #inFlight = new Set<Promise<void>>();
  /** The last position acknowledged to writers: what readers of the global log may see. */
  #durableHead: number;
  #nextPosition: number;
  #lastRecordedAt: number;
  #closed = false;

  private constructor(path: string, root: RootDatabase, lock: DirectoryLock, options: LmdbEventStoreOptions) {
    this.path = path;
    this.#root = root;
    this.#lock = lock;
    this.#log = root.openDB<StoredEvent, number>({ name: 'log' });
    this.#streams = root.openDB<number, [string, number]>({ name: 'streams' });
    this.#heads = root.openDB<StreamHead, string>({ name: 'heads' });
    this.#eventIds = root.openDB<[string, number, number], string>({ name: 'event-ids' });
    this.#durability = options.durability ?? 'flush';
    this.#clock = options.clock ?? (() => new Date());
    this.#pageSize = options.pageSize ?? 512;
    const last = this.#lastStored();
    this.#durableHead = last?.position ?? -1;
    this.#nextPosition = this.#durableHead + 1;
    this.#lastRecordedAt = last?.stored.a ?? 0;
  }

  /**
   * Opens (or creates) the store in a directory. Refuses, naming the path and writing nothing, a
   * directory that another process holds, that is read-only, corrupt, or from a newer version.
   */
  static open(options: LmdbEventStoreOptions): Promise<LmdbEventStore> {
    try {
      return Promise.resolve(LmdbEventStore.#openSync(options));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  static #openSync(options: LmdbEventStoreOptions): LmdbEventStore {
    const path = resolve(options.path);
    try {
      mkdirSync(path, { recursive: true });
      accessSync(path, constants.W_OK);
    } catch (error) {
      throw new DataDirectoryError(path, 'read-only', `is not writable (${String(error)})`, { cause: error });
    }
    const lock = DirectoryLock.acquire(path);
    const file = join(path, 'log.mdb');
    const existed = existsSync(file);
    let root: RootDatabase | undefined;
    try {
      if (existed) checkLogFile(path, file);
      root = open({
        path: file,
        maxDbs: 8,
        ...(options.mapSize === undefined ? {} : { mapSize: options.mapSize }),
      });
      const meta = root.openDB<number, string>({ name: 'meta' });
      const format = meta.get('format');
      if (format === undefined) {
        if (existed && root.openDB({ name: 'log' }).getKeysCount({ limit: 1 }) > 0) {
          throw new DataDirectoryError(path, 'corrupt', 'holds events but no format marker');
        }
        meta.putSync('format', LMDB_FORMAT_VERSION);
      } else if (format > LMDB_FORMAT_VERSION) {
        throw new DataDirectoryError(
          path,
          'newer-format',
          `was written by a newer cogov (format ${format}; this version reads up to ${LMDB_FORMAT_VERSION}): upgrade cogov`,
        );
      }
      return new LmdbEventStore(path, root, lock, options);
    } catch (error) {
      try {
        void root?.close();
      } catch {
        // the open failed half-way; nothing to close
      }
      lock.release();
      throw error instanceof DataDirectoryError ? error : describeOpenError(path, error);
    }
  }

  readStream(streamId: StreamId, options: ReadStreamOptions = {}): Promise<readonly RecordedEvent[]> {
    if (this.#closed) return Promise.reject(new StoreClosedError());
    const until = options.untilRecordedAt?.getTime() ?? Number.POSITIVE_INFINITY;
    const out: RecordedEvent[] = [];
    const range = this.#streams.getRange({
      start: [streamId, options.fromRevision ?? 0],
      end: [streamId, options.toRevision === undefined ? Number.MAX_SAFE_INTEGER : options.toRevision + 1],
    });
    for (const { value: position } of range) {
      const stored = this.#log.get(position);
      if (stored === undefined) continue;
      if (stored.a > until) break;
      out.push(toRecorded(position, stored));
    }
    return Promise.resolve(out);
  }

  appendToStream<E extends Event>(
    streamId: StreamId,
    events: readonly EventToAppend<E>[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    if (this.#closed) return Promise.reject(new StoreClosedError());
    let ids: EventId[];
    try {
      ids = withEventIds(streamId, events);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return new Promise<AppendResult>((resolvePromise, rejectPromise) => {
      this.#queue.push({
        streamId,
        events,
        ids,
        expected: options.expectedRevision,
        resolve: resolvePromise,
        reject: rejectPromise,
      });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#commitQueued());
      }
    });
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    if (this.#closed) throw new StoreClosedError();
    let from = options.fromPosition ?? 0;
    let remaining = options.limit ?? Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      const page = this.#readPage(from, Math.min(this.#pageSize, remaining));
      if (page.length === 0) return;
      for (const event of page) yield event;
      remaining -= page.length;
      from = (page[page.length - 1] as RecordedEvent).position + 1;
      await Promise.resolve();
    }
  }

  subscribeAll(options: SubscribeAllOptions = {}): Subscription {
    if (this.#closed) throw new StoreClosedError();
    return pullSubscription(
      {
        readPage: (from, limit) => this.#readPage(from, limit),
        waitForAppend: (after, signal) => this.#appended.wait(after, () => this.#head(), signal),
      },
      {
        ...options,
        pageSize: this.#pageSize,
        signal:
          options.signal === undefined
            ? this.#closing.signal
            : AbortSignal.any([options.signal, this.#closing.signal]),
      },
    );
  }

  lastPosition(): Promise<GlobalPosition | null> {
    return Promise.resolve(this.#head());
  }

  /** Stream heads and counts, for status pages and tests. */
  stats(): {
    readonly events: number;
    readonly streams: number;
    readonly lastPosition: GlobalPosition | null;
  } {
    return { events: this.#durableHead + 1, streams: this.#heads.getKeysCount(), lastPosition: this.#head() };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Let queued and in-flight appends finish and be answered before the environment goes.
    while (this.#queue.length > 0 || this.#inFlight.size > 0) {
      if (this.#queue.length > 0 && !this.#scheduled) this.#commitQueued();
      await Promise.allSettled([...this.#inFlight]);
      await new Promise((r) => setImmediate(r));
    }
    this.#closing.abort();
    await this.#root.close();
    this.#lock.release();
  }

  #head(): GlobalPosition | null {
    return this.#durableHead < 0 ? null : (this.#durableHead as GlobalPosition);
  }

  #readPage(from: number, limit: number): RecordedEvent[] {
    const end = Math.min(from + limit, this.#durableHead + 1);
    if (end <= from) return [];
    const out: RecordedEvent[] = [];
    for (const { key, value } of this.#log.getRange({ start: from, end })) out.push(toRecorded(key, value));
    return out;
  }

  #lastStored(): { position: number; stored: StoredEvent } | undefined {
    for (const { key, value } of this.#log.getRange({ reverse: true, limit: 1 }))
      return { position: key, stored: value };
    return undefined;
  }

  /** One write transaction for every append queued since the last one. */
  #commitQueued(): void {
    this.#scheduled = false;
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 0) return;
    const done = this.#commit(batch).finally(() => this.#inFlight.delete(done));
    this.#inFlight.add(done);
  }

  async #commit(batch: PendingAppend[]): Promise<void> {
    let lastPosition = -1;
    try {
      await this.#root.transaction(() => {
        for (const append of batch) append.outcome = this.#apply(append);
        lastPosition = this.#nextPosition - 1;
      });
      if (this.#durability === 'flush') await this.#root.flushed;
    } catch (cause) {
      // The transaction did not commit (disk full, I/O error): none of the batch was written.
      this.#nextPosition = (this.#lastStored()?.position ?? -1) + 1;
      const error = new StoreUnavailableError(
        `the event log at ${this.path} could not be written: ${String(cause)}`,
        { cause },
      );
      for (const append of batch) append.reject(error);
      return;
    }
    if (lastPosition > this.#durableHead) {
      this.#durableHead = lastPosition;
      this.#appended.notify(this.#head());
    }
    for (const append of batch) {
      const outcome = append.outcome;
      if (outcome?.ok === true) append.resolve(outcome.result);
      else append.reject(outcome?.error ?? new StoreUnavailableError('append outcome lost'));
    }
  }

  /** Checks and writes one append inside the shared transaction; never throws. */
  #apply(append: PendingAppend): Outcome {
    try {
      const replayed = replayedAppend(append.streamId, append.ids, (id) => {
        const found = this.#eventIds.get(id);
        return found === undefined
          ? undefined
          : {
              streamId: found[0] as StreamId,
              revision: found[1] as StreamRevision,
              position: found[2] as GlobalPosition,
            };
      });
      if (replayed !== null) return { ok: true, result: replayed };
      const head = this.#heads.get(append.streamId);
      const current = head?.revision ?? -1;
      const conflict = checkExpectedRevision(append.streamId, append.expected, current);
      if (conflict !== null) return { ok: false, error: conflict };
      if (append.events.length === 0) {
        return {
          ok: true,
          result: {
            nextExpectedRevision: current as StreamRevision,
            position: (this.#nextPosition - 1) as GlobalPosition,
          },
        };
      }
      this.#lastRecordedAt = Math.max(this.#lastRecordedAt, this.#clock().getTime());
      let revision = current;
      append.events.forEach((event, k) => {
        revision += 1;
        const position = this.#nextPosition++;
        const eventId = append.ids[k] as EventId;
        this.#log.putSync(position, {
          s: append.streamId,
          r: revision,
          t: event.type,
          d: event.data,
          i: eventId,
          a: this.#lastRecordedAt,
          m: { schemaVersion: 1, ...event.metadata },
        });
        this.#streams.putSync([append.streamId, revision], position);
        this.#eventIds.putSync(eventId, [append.streamId, revision, position]);
      });
      this.#heads.putSync(append.streamId, { revision, createdAt: head?.createdAt ?? this.#lastRecordedAt });
      return {
        ok: true,
        result: {
          nextExpectedRevision: revision as StreamRevision,
          position: (this.#nextPosition - 1) as GlobalPosition,
        },
      };
    } catch (error) {
      return { ok: false, error };
    }
  }
}
