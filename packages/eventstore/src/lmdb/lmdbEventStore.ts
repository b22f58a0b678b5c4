import {
  AppendSignal,
  checkExpectedRevision,
  DamagedRecordError,
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
import { DataDirectoryError, DirectoryLock } from '@cogov/storage';
import { checkLogFile } from './fileCheck.ts';

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

/**
 * How an append is kept in the log: one record per append (a chunk), keyed by the position of its
 * first event; event k of the chunk is at position key + k and revision `r` + k. Short keys,
 * msgpack-encoded by lmdb-js. One record per append instead of one per event keeps a 100-event
 * append to about a hundred small index writes.
 */
interface StoredChunk {
  /** Stream id. */
  readonly s: string;
  /** Revision of the first event. */
  readonly r: number;
  /** Recorded at (ms since the epoch), shared by the chunk. */
  readonly a: number;
  readonly e: readonly StoredEvent[];
}

interface StoredEvent {
  readonly t: string;
  readonly d: unknown;
  readonly i: string;
  readonly m: EventMetadata;
}

/** Stream metadata, written when the stream is created. */
interface StreamHead {
  readonly createdAt: number;
}

/** Committed stream revisions kept in memory (the store is the only writer, see DirectoryLock). */
const REVISION_CACHE_SIZE = 200_000;

interface PendingAppend {
  readonly streamId: StreamId;
  readonly events: readonly EventToAppend[];
  readonly ids: readonly EventId[];
  /** Every id was minted by this store just now: none can have been used before. */
  readonly freshIds: boolean;
  readonly expected: ExpectedRevision;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
  outcome?: Outcome;
}

/**
 * What one append of a batch came to. `wrote` is false for a replay (its events were recorded by
 * an earlier append) and for an empty append: neither moves what the store believes a stream's
 * revision is.
 */
type Outcome =
  | { readonly ok: true; readonly wrote: boolean; readonly result: AppendResult }
  | { readonly ok: false; readonly error: unknown };

/** Whether a decoded value has the shape of a log record (a flipped byte may decode to anything). */
const isChunk = (value: unknown): value is StoredChunk => {
  if (typeof value !== 'object' || value === null) return false;
  const chunk = value as Partial<Record<keyof StoredChunk, unknown>>;
  return (
    typeof chunk.s === 'string' &&
    typeof chunk.r === 'number' &&
    typeof chunk.a === 'number' &&
    Array.isArray(chunk.e) &&
    chunk.e.length > 0
  );
};

const toRecorded = (
  firstPosition: number,
  chunk: StoredChunk,
  k: number,
  recordedAt: Date,
): RecordedEvent => {
  const stored = chunk.e[k] as StoredEvent;
  return {
    type: stored.t,
    data: stored.d,
    streamId: chunk.s as StreamId,
    revision: (chunk.r + k) as StreamRevision,
    position: (firstPosition + k) as GlobalPosition,
    eventId: stored.i as EventId,
    recordedAt,
    metadata: stored.m,
  };
};

/** The reason behind lmdb-js's generic "Commit failed", which it reports on `error.commitError`. */
const lmdbCommitCause = async (failure: unknown): Promise<unknown> => {
  const commitError = (failure as { commitError?: unknown }).commitError;
  if (commitError instanceof Promise) {
    const settled = await Promise.race([
      commitError.then(
        () => failure,
        (cause: unknown) => cause,
      ),
      new Promise((resolve) => setTimeout(() => resolve(failure), 1_000)),
    ]);
    return settled;
  }
  return failure;
};

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
  readonly #log: Database<StoredChunk, number>;
  /** (stream, first revision of a chunk) → [position of the chunk, events in it]. */
  readonly #streams: Database<[number, number], [string, number]>;
  readonly #heads: Database<StreamHead, string>;
  readonly #eventIds: Database<[string, number, number], string>;
  readonly #lock: DirectoryLock;
  readonly #durability: 'flush' | 'commit';
  readonly #clock: () => Date;
  readonly #pageSize: number;
  readonly #appended = new AppendSignal();
  readonly #closing = new AbortController();
  #queue: PendingAppend[] = [];
  /** Last revision per stream as committed; a miss or a stream in flight reads the transaction. */
  readonly #revisions = new Map<string, number>();
  /** Streams written by batches not committed yet, with how many such batches. */
  readonly #uncommitted = new Map<string, number>();
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
    this.#log = root.openDB<StoredChunk, number>({ name: 'log' });
    this.#streams = root.openDB<[number, number], [string, number]>({ name: 'streams' });
    this.#heads = root.openDB<StreamHead, string>({ name: 'heads' });
    this.#eventIds = root.openDB<[string, number, number], string>({ name: 'event-ids' });
    this.#durability = options.durability ?? 'flush';
    this.#clock = options.clock ?? (() => new Date());
    this.#pageSize = options.pageSize ?? 512;
    const last = this.#lastChunk();
    this.#durableHead = last === undefined ? -1 : last.position + last.chunk.e.length - 1;
    this.#nextPosition = this.#durableHead + 1;
    this.#lastRecordedAt = last?.chunk.a ?? 0;
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
        // The store batches appends itself (one transaction per event-loop turn). lmdb-js's own
        // event-turn batching would wrap each transaction in a batch whose commit promise it
        // discards: a failed commit (disk full) then becomes an unhandled rejection that crashes Node.
        eventTurnBatching: false,
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
    try {
      return Promise.resolve(this.#readStream(streamId, options));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #readStream(streamId: StreamId, options: ReadStreamOptions): readonly RecordedEvent[] {
    const from = options.fromRevision ?? 0;
    const to = options.toRevision ?? Number.MAX_SAFE_INTEGER;
    const until = options.untilRecordedAt?.getTime() ?? Number.POSITIVE_INFINITY;
    // Committed reads: a chunk past the acknowledged head may be committed but not yet flushed,
    // and its append not yet answered (a full disk or a crash can still undo it).
    const head = this.#durableHead;
    const out: RecordedEvent[] = [];
    // The chunk holding `from` may start before it.
    let start = from;
    for (const { key } of this.#streams.getRange({ start: [streamId, from], reverse: true, limit: 1 })) {
      if (key[0] === streamId) start = key[1];
    }
    for (const { value } of this.#streams.getRange({ start: [streamId, start], end: [streamId, to + 1] })) {
      const position = value[0];
      if (position > head) break;
      const chunk = this.#chunkAt(position);
      if (chunk === undefined) continue;
      if (chunk.a > until) break;
      const recordedAt = new Date(chunk.a);
      for (let k = 0; k < chunk.e.length; k++) {
        const revision = chunk.r + k;
        if (revision >= from && revision <= to) out.push(toRecorded(position, chunk, k, recordedAt));
      }
    }
    return out;
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
        freshIds: events.every((event) => event.eventId === undefined),
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
    let start = from;
    for (const key of this.#log.getKeys({ start: from, reverse: true, limit: 1 })) start = key;
    const out: RecordedEvent[] = [];
    let next = start;
    try {
      for (const { key, value: chunk } of this.#log.getRange({ start, end })) {
        next = key;
        if (!isChunk(chunk)) throw new Error('not a log record');
        const recordedAt = new Date(chunk.a);
        for (let k = 0; k < chunk.e.length; k++) {
          const position = key + k;
          if (position >= from && position < end) out.push(toRecorded(key, chunk, k, recordedAt));
        }
        next = key + chunk.e.length;
      }
    } catch (error) {
      // What precedes the damage is served; the next read starts at it and stops there.
      if (out.length > 0) return out;
      let damaged = next;
      for (const key of this.#log.getKeys({ start: next, limit: 1 })) damaged = key;
      throw this.#damaged(damaged, error);
    }
    return out;
  }

  /** The chunk at a position, refusing one that does not decode to a log record. */
  #chunkAt(position: number): StoredChunk | undefined {
    let chunk: unknown;
    try {
      chunk = this.#log.get(position);
    } catch (error) {
      throw this.#damaged(position, error);
    }
    if (chunk !== undefined && !isChunk(chunk)) throw this.#damaged(position, new Error('not a log record'));
    return chunk;
  }

  /** A damaged record's error, naming its stream when the stream index still points at it. */
  #damaged(position: number, cause: unknown): DamagedRecordError {
    let streamId: string | null = null;
    for (const { key, value } of this.#streams.getRange({})) {
      if (value[0] === position) {
        streamId = key[0];
        break;
      }
    }
    return new DamagedRecordError(position, streamId, cause instanceof Error ? cause.message : String(cause));
  }

  #lastChunk(): { position: number; chunk: StoredChunk } | undefined {
    for (const { key, value } of this.#log.getRange({ reverse: true, limit: 1 }))
      return { position: key, chunk: value };
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
        // From the log itself: a batch that failed to commit before this one leaves no gap.
        const last = this.#lastChunk();
        this.#nextPosition = last === undefined ? 0 : last.position + last.chunk.e.length;
        const batchRevisions = new Map<string, number>();
        for (const append of batch) append.outcome = this.#apply(append, batchRevisions);
        lastPosition = this.#nextPosition - 1;
      });
      if (this.#durability === 'flush') await this.#root.flushed;
      this.#settle(batch, true);
    } catch (failure) {
      // The transaction did not commit (disk full, I/O error): none of the batch was written.
      // lmdb-js rejects with "Commit failed" and the real cause on a second promise, `commitError`.
      const cause = await lmdbCommitCause(failure);
      this.#settle(batch, false);
      const last = this.#lastChunk();
      this.#nextPosition = last === undefined ? 0 : last.position + last.chunk.e.length;
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

  /** After a batch's commit (or its failure): committed revisions enter the cache. */
  #settle(batch: readonly PendingAppend[], committed: boolean): void {
    for (const append of batch) {
      const outcome = append.outcome;
      if (outcome?.ok !== true || !outcome.wrote) continue;
      const count = (this.#uncommitted.get(append.streamId) ?? 1) - 1;
      if (count <= 0) this.#uncommitted.delete(append.streamId);
      else this.#uncommitted.set(append.streamId, count);
      if (committed) this.#remember(append.streamId, outcome.result.nextExpectedRevision);
    }
  }

  #remember(streamId: string, revision: number): void {
    this.#revisions.delete(streamId);
    this.#revisions.set(streamId, revision);
    if (this.#revisions.size > REVISION_CACHE_SIZE) {
      const oldest = this.#revisions.keys().next();
      if (oldest.done !== true) this.#revisions.delete(oldest.value);
    }
  }

  /** The stream's last revision (-1 when it does not exist), as seen inside the write transaction. */
  #currentRevision(streamId: StreamId, batchRevisions: ReadonlyMap<string, number>): number {
    const inBatch = batchRevisions.get(streamId);
    if (inBatch !== undefined) return inBatch;
    if (!this.#uncommitted.has(streamId)) {
      const cached = this.#revisions.get(streamId);
      if (cached !== undefined) return cached;
    }
    for (const { key, value } of this.#streams.getRange({
      start: [streamId, Number.MAX_SAFE_INTEGER],
      reverse: true,
      limit: 1,
    })) {
      if (key[0] === streamId) return key[1] + value[1] - 1;
    }
    return -1;
  }

  /** Checks and writes one append inside the shared transaction; never throws. */
  #apply(append: PendingAppend, batchRevisions: Map<string, number>): Outcome {
    try {
      const replayed = append.freshIds
        ? null
        : replayedAppend(append.streamId, append.ids, (id) => {
            const found = this.#eventIds.get(id);
            return found === undefined
              ? undefined
              : {
                  streamId: found[0] as StreamId,
                  revision: found[1] as StreamRevision,
                  position: found[2] as GlobalPosition,
                };
          });
      if (replayed !== null) return { ok: true, wrote: false, result: replayed };
      const current = this.#currentRevision(append.streamId, batchRevisions);
      const conflict = checkExpectedRevision(append.streamId, append.expected, current);
      if (conflict !== null) return { ok: false, error: conflict };
      if (append.events.length === 0) {
        return {
          ok: true,
          wrote: false,
          result: {
            nextExpectedRevision: current as StreamRevision,
            position: (this.#nextPosition - 1) as GlobalPosition,
          },
        };
      }
      this.#lastRecordedAt = Math.max(this.#lastRecordedAt, this.#clock().getTime());
      const first = this.#nextPosition;
      const firstRevision = current + 1;
      this.#log.putSync(first, {
        s: append.streamId,
        r: firstRevision,
        a: this.#lastRecordedAt,
        e: append.events.map((event, k) => ({
          t: event.type,
          d: event.data,
          i: append.ids[k] as string,
          m: { schemaVersion: 1, ...event.metadata },
        })),
      });
      this.#streams.putSync([append.streamId, firstRevision], [first, append.events.length]);
      append.ids.forEach((eventId, k) =>
        this.#eventIds.putSync(eventId, [append.streamId, firstRevision + k, first + k]),
      );
      this.#nextPosition += append.events.length;
      const revision = current + append.events.length;
      if (current === -1) this.#heads.putSync(append.streamId, { createdAt: this.#lastRecordedAt });
      batchRevisions.set(append.streamId, revision);
      this.#uncommitted.set(append.streamId, (this.#uncommitted.get(append.streamId) ?? 0) + 1);
      return {
        ok: true,
        wrote: true,
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
