import {
  AppendSignal,
  DamagedRecordError,
  DigestSet,
  DuplicateEventIdError,
  pullSubscription,
  RecentCache,
  StoreClosedError,
  withEventIds,
  type AppendOptions,
  type AppendResult,
  type Event,
  type EventId,
  type EventStore,
  type EventToAppend,
  type GlobalPosition,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamId,
  type StreamRevision,
  type SubscribeAllOptions,
  type Subscription,
} from '@cogov/domain/kernel';
import {
  DataDirectoryError,
  DirectoryLock,
  ensureWritableDirectory,
  sameStamp,
  stampOf,
  type FileStamp,
} from '@cogov/storage';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { GENESIS } from '../chain.ts';
import { Appender, type LogEnd } from './appender.ts';
import { checkLogFile } from './fileCheck.ts';
import { precheckLog } from './precheck.ts';
import { migrateFromFormat1 } from './migrate.ts';
import { decodeContent, decodeRecord, RecordDamage, type LogRecord } from './record.ts';
import { verifyLog, verifyLogInSlices, type VerifyOptions, type VerifyReport } from './verify.ts';

/** The on-disk layout this code writes and reads. A newer layout is refused, never guessed at. */
export const LMDB_FORMAT_VERSION = 2;

/** Streams whose event ids are kept as digests, the least recently appended to forgotten first. */
const EVENT_ID_STREAMS = 1_000;

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
  /**
   * A stamp from `LmdbEventStore.precheck` (or `precheckLog`): the log's file passed the
   * crash-isolated check as it was then, so open skips its own check while the file is unchanged.
   */
  readonly prechecked?: FileStamp | null;
}

const toRecorded = (position: number, record: LogRecord, k: number): RecordedEvent => {
  const content = decodeContent(record.events[k]?.content as Uint8Array);
  return {
    type: content.type,
    data: content.data,
    streamId: record.streamId as StreamId,
    revision: (record.revision + k) as StreamRevision,
    position: (position + k) as GlobalPosition,
    eventId: content.eventId as EventId,
    recordedAt: new Date(record.recordedAt),
    metadata: content.metadata,
  };
};

const describeOpenError = (path: string, error: unknown): DataDirectoryError => {
  const text = String(error);
  if (/EACCES|EROFS|read-only|permission/i.test(text))
    return new DataDirectoryError(path, 'read-only', 'is not writable', { cause: error });
  return new DataDirectoryError(path, 'corrupt', `does not hold a readable cogov event log (${text})`, {
    cause: error,
  });
};

/**
 * The embedded event store: one LMDB environment with the log (one record per append, keyed by
 * the position of its first event), a stream index keyed by (stream, revision), and the format.
 * Every event carries a hash chaining it to the one before, and every record a checksum that
 * every read checks: a damaged record is refused, naming its position and stream, never served.
 *
 * Appends made at once share a transaction and its flush (see Appender); an append is
 * acknowledged after the flush by default, and readers see only acknowledged events.
 * Subscriptions are woken by acknowledgements, not by polling.
 *
 * @example
 * const store = await LmdbEventStore.open({ path: './data/events' });
 * await store.appendToStream(streamId, [event], { expectedRevision: 'no_stream' });
 */
export class LmdbEventStore implements EventStore {
  readonly path: string;
  readonly #root: RootDatabase;
  readonly #records: Database<Buffer, number>;
  /** (stream, first revision of a record) → [position of the record, events in it]. */
  readonly #streams: Database<[number, number], [string, number]>;
  readonly #lock: DirectoryLock;
  readonly #pageSize: number;
  readonly #appended = new AppendSignal();
  readonly #closing = new AbortController();
  readonly #appender: Appender;
  /**
   * The digest of every event id of the streams appended to lately with ids their callers chose
   * (recorded, in flight, or given to an append that failed), so that a new id is known new
   * without reading the stream.
   */
  readonly #eventIds = new RecentCache<StreamId, DigestSet>(EVENT_ID_STREAMS);
  /** Streams read in full to check ids callers chose (a digest cache miss or hit), for tests. */
  #idScans = 0;
  /** The last position acknowledged to writers: what readers may see. */
  #durableHead: number;
  #closed = false;

  private constructor(path: string, root: RootDatabase, lock: DirectoryLock, options: LmdbEventStoreOptions) {
    this.path = path;
    this.#root = root;
    this.#lock = lock;
    this.#records = root.openDB<Buffer, number>({ name: 'records', encoding: 'binary' });
    this.#streams = root.openDB<[number, number], [string, number]>({ name: 'streams' });
    this.#pageSize = options.pageSize ?? 512;
    const end = this.#committedEnd();
    this.#durableHead = end.nextPosition - 1;
    this.#appender = new Appender({
      root,
      records: this.#records,
      streams: this.#streams,
      durability: options.durability ?? 'flush',
      clock: options.clock ?? (() => new Date()),
      path,
      committedHead: (streamId) => this.#committedHead(streamId),
      committedEnd: () => this.#committedEnd(),
      acknowledged: (position) => {
        if (position <= this.#durableHead) return;
        this.#durableHead = position;
        this.#appended.notify(this.#head());
      },
    });
  }

  /**
   * Checks the log's file in a child process without blocking (see `precheckLog`): pass the
   * result to `open` as `prechecked`. Resolves with null for a missing or failing file.
   */
  static precheck(path: string): Promise<FileStamp | null> {
    return precheckLog(path);
  }

  /**
   * Opens (or creates) the store in a directory. Refuses, naming the path and writing nothing, a
   * directory that another process holds, that is read-only, corrupt or from a newer version; a
   * log of the previous format is rewritten in this one (its hash chain computed) first.
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
    ensureWritableDirectory(path);
    const lock = DirectoryLock.acquire(path);
    const file = join(path, 'log.mdb');
    const existed = existsSync(file);
    let root: RootDatabase | undefined;
    try {
      if (existed && !sameStamp(options.prechecked, stampOf(file))) checkLogFile(path, file);
      root = open({
        path: file,
        maxDbs: 8,
        // Appends are batched by the appender's conditional writes; lmdb-js's event-turn batching
        // would wrap them in a batch whose commit promise it discards, so that a failed commit
        // (disk full) became an unhandled rejection.
        eventTurnBatching: false,
        ...(options.mapSize === undefined ? {} : { mapSize: options.mapSize }),
      });
      const meta = root.openDB<number, string>({ name: 'meta' });
      const format = meta.get('format');
      if (format === undefined) {
        if (existed && root.openDB({ name: 'records' }).getKeysCount({ limit: 1 }) > 0)
          throw new DataDirectoryError(path, 'corrupt', 'holds events but no format marker');
        meta.putSync('format', LMDB_FORMAT_VERSION);
      } else if (format === 1) {
        migrateFromFormat1(root);
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
        root?.close().catch(() => undefined);
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
    const toEnd = options.toRevision === undefined && options.untilRecordedAt === undefined;
    // A folded state asking what came after its revision, when nothing did: no read at all (the
    // command path asks this of every aggregate and region it loads).
    if (toEnd) {
      const known = this.#appender.knownHead(streamId);
      if (known !== undefined && known < from) return [];
    }
    // Committed reads: a record past the acknowledged head may be committed but not yet flushed,
    // and its append not yet answered (a full disk or a crash can still undo it).
    const head = this.#durableHead;
    const out: RecordedEvent[] = [];
    // The record holding `from` may start before it.
    let start = from;
    for (const key of this.#streams.getKeys({ start: [streamId, from], reverse: true, limit: 1 }))
      if (key[0] === streamId) start = key[1];
    /** The last revision of the records read, when the read went to the stream's committed end. */
    let last: number | undefined = from === 0 ? -1 : undefined;
    let complete = true;
    for (const { value } of this.#streams.getRange({ start: [streamId, start], end: [streamId, to + 1] })) {
      const position = value[0];
      const record = position > head ? undefined : this.#recordAt(position);
      if (record === undefined) {
        complete = false;
        if (position > head) break;
        continue;
      }
      if (record.recordedAt > until) break;
      for (let k = 0; k < record.events.length; k++) {
        const revision = record.revision + k;
        if (revision >= from && revision <= to) out.push(this.#event(position, record, k));
      }
      last = record.revision + record.events.length - 1;
    }
    if (toEnd && complete && last !== undefined) this.#appender.learnHead(streamId, last);
    return out;
  }

  async appendToStream<E extends Event>(
    streamId: StreamId,
    events: readonly EventToAppend<E>[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    if (this.#closed) throw new StoreClosedError();
    const ids = withEventIds(streamId, events);
    // Ids the store mints now cannot have been used; ids a caller chose may repeat a batch. The
    // check and the queueing of the append happen in one synchronous step: with a turn of the
    // event loop between them, two retries racing each other both found nothing and both wrote.
    if (!events.every((e) => e.eventId === undefined)) {
      const repeated = this.#repeated(streamId, ids);
      if (repeated !== null) return repeated;
    }
    const outcome = this.#appender.append(streamId, events, ids, options.expectedRevision);
    // Every id queued for a stream whose ids are kept, minted ones too: a caller may send back an
    // id it read. Kept before the append settles, so a retry racing it finds it; one whose append
    // fails stays, and costs a retry only a read of the stream.
    const digests = this.#eventIds.get(streamId);
    if (digests !== undefined) for (const id of ids) digests.add(id);
    return outcome;
  }

  /** How many times an append's caller-chosen ids made the store read their stream in full. */
  get eventIdScans(): number {
    return this.#idScans;
  }

  /**
   * The first result of a batch with these ids already in the stream (in flight or recorded),
   * or null when none of them is there. Ids spread otherwise are a DuplicateEventIdError.
   */
  #repeated(streamId: StreamId, ids: readonly EventId[]): Promise<AppendResult> | AppendResult | null {
    for (const pending of this.#appender.inFlight(streamId)) {
      if (pending.ids.length === ids.length && pending.ids.every((id, k) => id === ids[k]))
        return pending.outcome;
      // Some of its ids in another batch on its way: not a repeat, and not new either.
      const clash = ids.find((id) => pending.ids.includes(id));
      if (clash !== undefined) throw new DuplicateEventIdError(clash, streamId);
    }
    // A stream's ids are read once into digests; after that only an id whose digest is there (a
    // retry, or another id sharing its digest) needs the stream read to tell which.
    let digests = this.#eventIds.get(streamId);
    if (digests === undefined) {
      digests = new DigestSet();
      this.#scanIds(streamId, (eventId) => digests?.add(eventId));
      for (const pending of this.#appender.inFlight(streamId)) for (const id of pending.ids) digests.add(id);
      this.#eventIds.set(streamId, digests);
    }
    const known = digests;
    if (!ids.some((id) => known.mayHave(id))) return null;
    const wanted = new Set<string>(ids);
    const found: { eventId: string; revision: number; position: number }[] = [];
    this.#scanIds(streamId, (eventId, revision, position) => {
      if (wanted.has(eventId)) found.push({ eventId, revision, position });
    });
    if (found.length === 0) return null;
    const first = found[0] as (typeof found)[number];
    const consistent =
      found.length === ids.length &&
      ids.every((id, k) => found[k]?.eventId === id && found[k]?.revision === first.revision + k);
    if (!consistent) throw new DuplicateEventIdError(first.eventId as EventId, streamId);
    const last = found[found.length - 1] as (typeof found)[number];
    return {
      nextExpectedRevision: last.revision as StreamRevision,
      position: last.position as GlobalPosition,
      eventIds: [...ids],
    };
  }

  /** Reads a stream's committed records in full, giving each event's id, revision and position. */
  #scanIds(streamId: StreamId, each: (eventId: string, revision: number, position: number) => void): void {
    this.#idScans++;
    for (const { value } of this.#streams.getRange({
      start: [streamId, 0],
      end: [streamId, Number.MAX_SAFE_INTEGER],
    })) {
      const record = this.#recordAt(value[0]);
      if (record === undefined) continue;
      record.events.forEach((event, k) =>
        each(decodeContent(event.content).eventId, record.revision + k, value[0] + k),
      );
    }
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

  /** The log's size and end, for status pages and tests. */
  stats(): { readonly events: number; readonly lastPosition: GlobalPosition | null } {
    return { events: this.#durableHead + 1, lastPosition: this.#head() };
  }

  /**
   * Verifies the acknowledged log (see verifyLog): every record's checksum, every event's chain
   * hash, the streams' order and the stream index. Synchronous: for a server, `verifyInSlices`.
   */
  verify(options: VerifyOptions = {}): VerifyReport {
    if (this.#closed) throw new StoreClosedError();
    const head = this.#durableHead;
    return verifyLog(this.#databases(), {
      ...options,
      to: Math.min(options.to ?? head, head),
      scanIndex: options.scanIndex ?? options.to === undefined,
    });
  }

  /** The same verification in slices, giving the event loop back between them. */
  verifyInSlices(options: VerifyOptions = {}): Promise<VerifyReport> {
    if (this.#closed) return Promise.reject(new StoreClosedError());
    const head = this.#durableHead;
    return verifyLogInSlices(this.#databases(), {
      ...options,
      to: Math.min(options.to ?? head, head),
      scanIndex: options.scanIndex ?? options.to === undefined,
    });
  }

  /** The last acknowledged position and the chain hash stored with it (hex), or null when empty. */
  chainHead(): { readonly position: number; readonly hash: string } | null {
    const head = this.#durableHead;
    const hash = this.storedHashAt(head);
    return hash === null ? null : { position: head, hash };
  }

  /** The chain hash stored with the acknowledged event at a position (hex), or null when there is none. */
  storedHashAt(position: number): string | null {
    if (position < 0 || position > this.#durableHead) return null;
    for (const key of this.#records.getKeys({ start: position, reverse: true, limit: 1 })) {
      const event = (this.#recordAt(key) as LogRecord).events[position - key];
      if (event !== undefined) return Buffer.from(event.hash).toString('hex');
    }
    return null;
  }

  #databases() {
    return { records: this.#records, streams: this.#streams };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Let appends in flight be answered before the environment goes.
    await this.#appender.drain();
    this.#closing.abort();
    // After a failed transaction lmdb-js's close waits for a flush it will never report; an empty
    // transaction (it writes nothing, so it commits on a full disk) gives it one that it does.
    if (this.#appender.lastFailed) await this.#root.transaction(() => undefined).catch(() => undefined);
    await this.#root.close();
    this.#lock.release();
  }

  #head(): GlobalPosition | null {
    return this.#durableHead < 0 ? null : (this.#durableHead as GlobalPosition);
  }

  #event(position: number, record: LogRecord, k: number): RecordedEvent {
    try {
      return toRecorded(position, record, k);
    } catch (error) {
      throw this.#damaged(position, error);
    }
  }

  #readPage(from: number, limit: number): RecordedEvent[] {
    const end = Math.min(from + limit, this.#durableHead + 1);
    if (end <= from) return [];
    let start = from;
    for (const key of this.#records.getKeys({ start: from, reverse: true, limit: 1 })) start = key;
    const out: RecordedEvent[] = [];
    for (const { key, value } of this.#records.getRange({ start, end })) {
      let record: LogRecord;
      try {
        record = decodeRecord(value);
        for (let k = 0; k < record.events.length; k++) {
          const position = key + k;
          if (position >= from && position < end) out.push(toRecorded(key, record, k));
        }
      } catch (error) {
        // What precedes the damage is served; the next read starts at it and stops there.
        if (out.length > 0) return out;
        throw this.#damaged(key, error);
      }
    }
    return out;
  }

  /** The record at a position, refusing one whose bytes are not what was written. */
  #recordAt(position: number): LogRecord | undefined {
    const bytes = this.#records.getBinary(position);
    if (bytes === undefined) return undefined;
    try {
      return decodeRecord(bytes);
    } catch (error) {
      throw this.#damaged(position, error);
    }
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
    const reason = cause instanceof RecordDamage || cause instanceof Error ? cause.message : String(cause);
    return new DamagedRecordError(position, streamId, reason);
  }

  /** The committed last revision of a stream (-1 when it has none). */
  #committedHead(streamId: StreamId): number {
    for (const { key, value } of this.#streams.getRange({
      start: [streamId, Number.MAX_SAFE_INTEGER],
      reverse: true,
      limit: 1,
    }))
      if (key[0] === streamId) return key[1] + value[1] - 1;
    return -1;
  }

  /** Where the committed log ends: the next position, the last chain hash and record. */
  #committedEnd(): LogEnd {
    for (const { key, value } of this.#records.getRange({ reverse: true, limit: 1 })) {
      const record = decodeRecord(value);
      return {
        nextPosition: key + record.events.length,
        hash: (record.events[record.events.length - 1] as { hash: Uint8Array }).hash,
        recordedAt: record.recordedAt,
      };
    }
    return { nextPosition: 0, hash: GENESIS, recordedAt: 0 };
  }
}
