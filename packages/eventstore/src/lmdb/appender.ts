import {
  checkExpectedRevision,
  StoreUnavailableError,
  type AppendResult,
  type EventId,
  type EventToAppend,
  type ExpectedRevision,
  type GlobalPosition,
  type StreamId,
  type StreamRevision,
} from '@cogov/domain/kernel';
import { commitCause } from '@cogov/storage';
import type { Database, RootDatabase } from 'lmdb';
import { chainHash } from '../chain.ts';
import { encodeContent, encodeRecord } from './record.ts';

/** Where the log ends, as the appender continues it. */
export interface LogEnd {
  /** The next position to give out. */
  readonly nextPosition: number;
  /** The chain hash of the last event (GENESIS for an empty log). */
  readonly hash: Uint8Array;
  /** The recorded time of the last record (ms since the epoch; 0 for an empty log). */
  readonly recordedAt: number;
}

/** What the appender needs of the store. */
export interface AppenderStore {
  readonly root: RootDatabase;
  readonly records: Database<Buffer, number>;
  readonly streams: Database<[number, number], [string, number]>;
  readonly durability: 'flush' | 'commit';
  readonly clock: () => Date;
  readonly path: string;
  /** The last revision of a stream (-1: none), read from the stream index (inside a write: as written so far). */
  committedHead(streamId: StreamId): number;
  /** The end of the log, read from the log (inside a write: as written so far). */
  committedEnd(): LogEnd;
  /** Called as appends are acknowledged: readers may now see up to `position`. */
  acknowledged(position: number): void;
}

type Outcome =
  | { readonly ok: true; readonly wrote: boolean; readonly result: AppendResult }
  | { readonly ok: false; readonly error: unknown };

interface Pending {
  readonly streamId: StreamId;
  readonly contents: readonly Uint8Array[];
  readonly ids: readonly EventId[];
  readonly expected: ExpectedRevision;
  outcome: Outcome | undefined;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
  /** What its caller awaits. */
  readonly promise: Promise<AppendResult>;
}

/** Streams' committed last revisions kept in memory (least recently appended forgotten first). */
const HEADS_KEPT = 100_000;

/**
 * The append path of the LMDB store: a group commit. Appends made in the same turn of the event
 * loop are encoded on arrival and written in one transaction, which continues the log from where
 * the log itself ends (so a transaction that failed before it, on a full disk, leaves no gap) and
 * checks each append's expected revision against the stream index as written so far. Positions,
 * revisions and chain hashes are therefore given out inside the transaction that stores them.
 * The appends of one transaction are acknowledged together, after its flush by default.
 *
 * One group is in lmdb-js at a time, from its transaction to its flush; the appends that arrive
 * meanwhile wait and go together in the next. lmdb-js gives a transaction queued behind one that
 * fails (disk full) no answer at all, and resolves `flushed` with the flush of the last write
 * queued, which never comes when that write fails: with two groups in it at once, appends would
 * wait for ever. Under load this costs nothing: the group that waits grows instead.
 */
export class Appender {
  readonly #store: AppenderStore;
  /** Committed stream heads (a cache of the stream index). */
  readonly #heads = new Map<string, number>();
  /** Streams written by a transaction not yet committed: their cached head is not to be trusted. */
  readonly #uncommitted = new Map<string, number>();
  #queue: Pending[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  readonly #writing: Pending[][] = [];
  #scheduled = false;
  /** Whether the last group's transaction failed (its flush promise in lmdb-js is never resolved). */
  #lastFailed = false;
  /** A group is in lmdb-js (its transaction or its flush not yet settled): the next one waits. */
  #committing = false;

  constructor(store: AppenderStore) {
    this.#store = store;
  }

  /** Whether the last transaction failed: lmdb-js then never resolves the flush its close waits for. */
  get lastFailed(): boolean {
    return this.#lastFailed;
  }

  /** Whether any append is queued or being written. */
  get busy(): boolean {
    return this.#queue.length > 0 || this.#inFlight.size > 0;
  }

  /** Waits until nothing is queued or being written. */
  async drain(): Promise<void> {
    while (this.busy) {
      if (this.#queue.length > 0 && !this.#scheduled) this.#commitQueued();
      await Promise.allSettled([...this.#inFlight]);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * A stream's committed last revision (-1: none) when known here and no transaction in flight
   * wrote it; undefined when not known. A read from the revision after it can answer at once.
   */
  knownHead(streamId: StreamId): number | undefined {
    if (this.#uncommitted.has(streamId)) return undefined;
    return this.#heads.get(streamId);
  }

  /**
   * A reader read a stream to its end: its committed head is remembered, unless a transaction
   * in flight wrote the stream (its commit may not be in what the reader saw). A read made while
   * no transaction of the stream is in flight sees every settled one: lmdb-js renews its read
   * snapshot when a commit resolves, and a transaction settles only after that.
   */
  learnHead(streamId: StreamId, head: number): void {
    if (this.#uncommitted.has(streamId)) return;
    const known = this.#heads.get(streamId);
    if (known !== undefined && known >= head) return;
    this.#heads.set(streamId, head);
    this.#forgetOldHeads();
  }

  /** Appends to a stream not yet acknowledged, oldest first, with the ids they carry (to recognise a repeat). */
  inFlight(
    streamId: StreamId,
  ): readonly { readonly ids: readonly EventId[]; readonly outcome: Promise<AppendResult> }[] {
    const out: { ids: readonly EventId[]; outcome: Promise<AppendResult> }[] = [];
    for (const batch of [...this.#writing, this.#queue])
      for (const p of batch) if (p.streamId === streamId) out.push({ ids: p.ids, outcome: p.promise });
    return out;
  }

  /** Queues an append for the next group commit; resolves once it is committed (and flushed). */
  append(
    streamId: StreamId,
    events: readonly EventToAppend[],
    ids: readonly EventId[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    // Encoding happens here, outside the write transaction, and an event that cannot be encoded
    // fails its own append only.
    const contents = events.map((event, k) =>
      encodeContent({
        type: event.type,
        data: event.data,
        eventId: ids[k] as string,
        metadata: { schemaVersion: 1, ...event.metadata },
      }),
    );
    let resolve: (result: AppendResult) => void = () => undefined;
    let reject: (error: unknown) => void = () => undefined;
    const promise = new Promise<AppendResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.#queue.push({ streamId, contents, ids, expected, outcome: undefined, resolve, reject, promise });
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.#commitQueued());
    }
    return promise;
  }

  #commitQueued(): void {
    this.#scheduled = false;
    if (this.#committing) return;
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 0) return;
    this.#writing.push(batch);
    this.#committing = true;
    const done = this.#commit(batch).finally(() => {
      this.#inFlight.delete(done);
      const k = this.#writing.indexOf(batch);
      if (k >= 0) this.#writing.splice(k, 1);
      this.#committing = false;
      if (this.#queue.length > 0 && !this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#commitQueued());
      }
    });
    this.#inFlight.add(done);
  }

  async #commit(batch: readonly Pending[]): Promise<void> {
    const { root, durability } = this.#store;
    let last = -1;
    try {
      await root.transaction(() => {
        last = this.#write(batch);
      });
      if (durability === 'flush') await root.flushed;
    } catch (failure) {
      // The transaction did not commit (disk full, I/O error): none of the batch was written.
      this.#lastFailed = true;
      const cause = await commitCause(failure);
      this.#settle(batch, false);
      const error = new StoreUnavailableError(
        `the event log at ${this.#store.path} could not be written: ${String(cause)}`,
        {
          cause,
        },
      );
      for (const pending of batch) {
        const outcome = pending.outcome;
        // An append refused on its own merits (a wrong expected revision) says so.
        if (outcome !== undefined && !outcome.ok) pending.reject(outcome.error);
        else pending.reject(error);
      }
      return;
    }
    this.#lastFailed = false;
    this.#settle(batch, true);
    if (last >= 0) this.#store.acknowledged(last);
    for (const pending of batch) {
      const outcome = pending.outcome as Outcome;
      if (outcome.ok) pending.resolve(outcome.result);
      else pending.reject(outcome.error);
    }
  }

  /** Inside the write transaction: checks and writes each append; returns the last position written. */
  #write(batch: readonly Pending[]): number {
    const { records, streams, clock } = this.#store;
    const end = this.#store.committedEnd();
    let position = end.nextPosition;
    let hash = end.hash;
    let recordedAt = end.recordedAt;
    const written = new Map<string, number>();
    for (const pending of batch) {
      const { streamId, contents } = pending;
      const head = written.get(streamId) ?? this.#head(streamId);
      const conflict = checkExpectedRevision(streamId, pending.expected, head);
      if (conflict !== null) {
        pending.outcome = { ok: false, error: conflict };
        continue;
      }
      if (contents.length === 0) {
        pending.outcome = {
          ok: true,
          wrote: false,
          result: {
            nextExpectedRevision: head as StreamRevision,
            position: (position - 1) as GlobalPosition,
            eventIds: [],
          },
        };
        continue;
      }
      recordedAt = Math.max(recordedAt, clock().getTime());
      const first = position;
      const events = contents.map((content, k) => {
        hash = chainHash(
          hash,
          { position: first + k, streamId, revision: head + 1 + k, recordedAt },
          content,
        );
        return { content, hash };
      });
      records.putSync(first, encodeRecord({ streamId, revision: head + 1, recordedAt, events }));
      streams.putSync([streamId, head + 1], [first, contents.length]);
      position += contents.length;
      const revision = head + contents.length;
      written.set(streamId, revision);
      this.#uncommitted.set(streamId, (this.#uncommitted.get(streamId) ?? 0) + 1);
      pending.outcome = {
        ok: true,
        wrote: true,
        result: {
          nextExpectedRevision: revision as StreamRevision,
          position: (position - 1) as GlobalPosition,
          eventIds: pending.ids,
        },
      };
    }
    return position - 1 >= end.nextPosition ? position - 1 : -1;
  }

  /** A stream's head inside the write: from the cache unless a transaction in flight wrote it. */
  #head(streamId: StreamId): number {
    if (!this.#uncommitted.has(streamId)) {
      const cached = this.#heads.get(streamId);
      if (cached !== undefined) return cached;
    }
    return this.#store.committedHead(streamId);
  }

  /** After a transaction's commit (or its failure): its streams' heads enter the cache, or leave it. */
  #settle(batch: readonly Pending[], committed: boolean): void {
    for (const pending of batch) {
      const outcome = pending.outcome;
      if (outcome === undefined || !outcome.ok || !outcome.wrote) continue;
      const { streamId } = pending;
      const count = (this.#uncommitted.get(streamId) ?? 1) - 1;
      if (count <= 0) this.#uncommitted.delete(streamId);
      else this.#uncommitted.set(streamId, count);
      this.#heads.delete(streamId);
      if (committed) this.#heads.set(streamId, outcome.result.nextExpectedRevision);
    }
    this.#forgetOldHeads();
  }

  #forgetOldHeads(): void {
    // Forgotten in bulk, a tenth at a time: deleting the oldest one by one would make each
    // deletion walk past the holes the earlier ones left at the front of the Map.
    if (this.#heads.size <= HEADS_KEPT) return;
    const excess = this.#heads.size - HEADS_KEPT + HEADS_KEPT / 10;
    let k = 0;
    for (const key of this.#heads.keys()) {
      if (k++ >= excess) break;
      this.#heads.delete(key);
    }
  }
}
