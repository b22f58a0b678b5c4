import {
  isWrongExpectedRevision,
  StoreClosedError,
  StoreUnavailableError,
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
  type SubscriptionMessage,
} from '@cogov/domain/kernel';
import {
  BACKWARDS,
  END,
  excludeSystemEvents,
  FORWARDS,
  KurrentDBClient,
  type AllStreamSubscription,
} from '@kurrent/kurrentdb-client';
import { GENESIS, hex } from '../chain.ts';
import type { ChainPoint } from '../lmdb/verify.ts';
import {
  CHAIN_KEY,
  verifyStreamChains,
  streamChainHash,
  type ChainedEvent,
  type StreamLink,
  type StreamVerifyOptions,
  type StreamVerifyReport,
} from './streamChain.ts';
import {
  fromRecorded,
  linkOf,
  isSystemEvent,
  mapClientError,
  readStart,
  recordedOf,
  subscriptionStart,
  toEventData,
  toGlobalPosition,
  toStreamState,
} from './mapping.ts';

export interface KurrentDbEventStoreOptions {
  /** e.g. `kurrentdb://localhost:2113?tls=false` */
  readonly connectionString: string;
  /** Events held ahead of a slow subscriber before the gRPC stream is paused. */
  readonly highWaterMark?: number;
  /** Where dropped subscriptions and reconnections are reported. */
  readonly log?: (message: string) => void;
}

type ChainMetadata = { readonly [CHAIN_KEY]: StreamLink };

const isStreamNotFound = (error: unknown) => (error as { type?: unknown }).type === 'stream-not-found';

/**
 * The port on a KurrentDB (EventStoreDB) cluster, for deployments that outgrow one machine.
 * Each API node projects into its own LMDB read models from a `$all` subscription.
 *
 * @example
 * const store = KurrentDbEventStore.connect({ connectionString: process.env.EVENTSTORE_CONNECTION_STRING! });
 */
export class KurrentDbEventStore implements EventStore {
  readonly #client: KurrentDBClient;
  readonly #highWaterMark: number;
  readonly #log: (message: string) => void;
  readonly #closing = new AbortController();
  #closed = false;

  private constructor(client: KurrentDBClient, options: KurrentDbEventStoreOptions) {
    this.#client = client;
    this.#highWaterMark = options.highWaterMark ?? 512;
    this.#log = options.log ?? ((message) => console.warn(`[cogov kurrentdb] ${message}`));
  }

  static connect(options: KurrentDbEventStoreOptions): KurrentDbEventStore {
    return new KurrentDbEventStore(KurrentDBClient.connectionString(options.connectionString), options);
  }

  async readStream(streamId: StreamId, options: ReadStreamOptions = {}): Promise<readonly RecordedEvent[]> {
    this.#assertOpen();
    const from = options.fromRevision ?? 0;
    const until = options.untilRecordedAt?.getTime() ?? Number.POSITIVE_INFINITY;
    const out: RecordedEvent[] = [];
    try {
      const reading = this.#client.readStream(streamId, {
        fromRevision: BigInt(from),
        direction: FORWARDS,
        ...(options.toRevision === undefined ? {} : { maxCount: BigInt(options.toRevision - from + 1) }),
      });
      for await (const resolved of reading) {
        if (resolved.event === undefined) continue;
        const event = fromRecorded(resolved.event);
        if (event.recordedAt.getTime() > until) break;
        out.push(event);
      }
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw mapClientError(streamId, 'any', error);
    }
    return out;
  }

  async appendToStream<E extends Event>(
    streamId: StreamId,
    events: readonly EventToAppend<E>[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    this.#assertOpen();
    const ids = withEventIds(streamId, events);
    try {
      // Each event links to the one before it in its stream (ADR 14): the append names the revision
      // it follows, so that no other writer can extend the stream from the same event meanwhile.
      // "Any revision" is taken as "the head as read now", retried if another writer got there first.
      for (let attempt = 0; ; attempt++) {
        const head = await this.#head(streamId, options.expectedRevision);
        const data = this.#chained(streamId, events, ids, head);
        try {
          const result = await this.#client.appendToStream(streamId, data, {
            streamState: head.state,
          });
          const last = data[data.length - 1];
          if (last !== undefined)
            this.#remember(
              streamId,
              Number(result.nextExpectedRevision),
              (last.metadata as ChainMetadata)[CHAIN_KEY].hash,
            );
          return {
            nextExpectedRevision: Number(result.nextExpectedRevision) as StreamRevision,
            position: (result.position === undefined
              ? -1
              : toGlobalPosition(result.position)) as GlobalPosition,
            eventIds: ids,
          };
        } catch (error) {
          this.#heads.delete(streamId);
          const derived =
            typeof options.expectedRevision !== 'number' && options.expectedRevision !== 'no_stream';
          if (
            !derived ||
            (head.revision < 0 && options.expectedRevision === 'stream_exists') ||
            attempt >= 20 ||
            (error as { type?: unknown }).type !== 'wrong-expected-version'
          )
            throw error;
          // Another writer extended the stream first, or this very batch was written before.
          if (events.every((e) => e.eventId !== undefined)) {
            const replayed = await this.#recorded(streamId, ids);
            if (replayed !== null) return replayed;
          }
        }
      }
    } catch (error) {
      const mapped = mapClientError(streamId, options.expectedRevision, error);
      // KurrentDB takes a repeated write as such only when it expects the state before the
      // first one; the port promises the first result for any repeat of a batch (a retry after a
      // lost acknowledgement may carry a later expected revision). Look for the batch.
      if (isWrongExpectedRevision(mapped) && events.every((e) => e.eventId !== undefined)) {
        const replayed = await this.#recorded(streamId, ids);
        if (replayed !== null) return replayed;
      }
      throw mapped;
    }
  }

  /** Streams' last revision and chain hash as this process last wrote or read them (bounded). */
  readonly #heads = new Map<string, { revision: number; hash: string }>();

  #remember(streamId: string, revision: number, hash: string): void {
    if (this.#heads.size >= 50_000) this.#heads.clear();
    this.#heads.set(streamId, { revision, hash });
  }

  /**
   * The event an append follows: its revision and chain hash, and the stream state to append
   * with. A numeric expected revision is kept; any other but "no stream" becomes the head's.
   */
  async #head(
    streamId: StreamId,
    expected: AppendOptions['expectedRevision'],
  ): Promise<{ revision: number; hash: string; state: ReturnType<typeof toStreamState> }> {
    const genesis = hex(GENESIS);
    if (expected === 'no_stream') return { revision: -1, hash: genesis, state: toStreamState(expected) };
    const cached = this.#heads.get(streamId);
    if (typeof expected === 'number') {
      if (cached?.revision === expected) return { ...cached, state: toStreamState(expected) };
      const at = await this.#rawAt(streamId, expected, FORWARDS);
      return { revision: expected, hash: at?.link?.hash ?? genesis, state: toStreamState(expected) };
    }
    if (cached !== undefined) return { ...cached, state: toStreamState(cached.revision as StreamRevision) };
    const last = await this.#rawAt(streamId, 'end', BACKWARDS);
    if (last === null)
      return {
        revision: -1,
        hash: genesis,
        state: toStreamState(expected === 'any' ? 'no_stream' : expected),
      };
    return {
      revision: last.revision,
      hash: last.link?.hash ?? genesis,
      state: toStreamState(last.revision as StreamRevision),
    };
  }

  /** One event of a stream with its chain link (a revision, or the last one), or null. */
  async #rawAt(
    streamId: StreamId,
    revision: number | 'end',
    direction: typeof FORWARDS | typeof BACKWARDS,
  ): Promise<{ revision: number; link: StreamLink | null } | null> {
    try {
      for await (const resolved of this.#client.readStream(streamId, {
        fromRevision: revision === 'end' ? END : BigInt(revision),
        direction,
        maxCount: 1n,
      })) {
        const recorded = recordedOf(resolved);
        if (recorded === undefined) continue;
        return { revision: Number(recorded.revision), link: linkOf(recorded) };
      }
      return null;
    } catch (error) {
      if (isStreamNotFound(error)) return null;
      throw error;
    }
  }

  /** The batch as KurrentDB event data, each event linked to the one before it in the stream. */
  #chained<E extends Event>(
    streamId: StreamId,
    events: readonly EventToAppend<E>[],
    ids: readonly EventId[],
    head: { revision: number; hash: string },
  ) {
    let previous = head.hash;
    return events.map((event, i) => {
      const eventId = ids[i] as string;
      const plain = toEventData(streamId, event, eventId);
      // The content exactly as a read will give it back (JSON), so that the hash recomputes.
      const metadata = JSON.parse(JSON.stringify(plain.metadata)) as Record<string, unknown>;
      const hash = hex(
        streamChainHash(Buffer.from(previous, 'hex'), {
          streamId,
          revision: head.revision + 1 + i,
          eventId,
          type: event.type,
          data: JSON.parse(JSON.stringify(event.data)) as unknown,
          metadata,
        }),
      );
      const link: StreamLink = { prev: previous, hash };
      previous = hash;
      return { ...plain, metadata: { ...metadata, [CHAIN_KEY]: link } };
    });
  }

  /**
   * `$all` with each event's chain link, for verification (ADR 14): the port's events, and what
   * their metadata says of the chain.
   */
  async *readAllChained(options: ReadAllOptions = {}): AsyncIterable<ChainedEvent> {
    this.#assertOpen();
    const from = options.fromPosition ?? 0;
    const reading = this.#client.readAll({
      fromPosition: readStart(options.fromPosition),
      direction: FORWARDS,
      filter: excludeSystemEvents(),
    });
    try {
      for await (const resolved of reading) {
        const recorded = recordedOf(resolved);
        if (recorded === undefined || isSystemEvent(recorded)) continue;
        const event = fromRecorded(recorded);
        if (event.position < from) continue;
        yield { event, link: linkOf(recorded) };
      }
    } catch (error) {
      throw mapClientError('$all' as StreamId, 'any', error);
    }
  }

  /** Verifies the streams' chains over `$all` (and, with `against`, a checkpoint of their heads). */
  verify(options: StreamVerifyOptions = {}): Promise<StreamVerifyReport> {
    return verifyStreamChains(
      this.readAllChained(options.from === undefined ? {} : { fromPosition: options.from as GlobalPosition }),
      options,
    );
  }

  /** The log's head for a checkpoint: the last position and the root of every stream's head there. */
  async chainHead(): Promise<ChainPoint | null> {
    const report = await this.verify();
    if (report.break !== null)
      throw new Error(`the log's chain is broken at ${report.break.position}: ${report.break.detail}`);
    return report.headHash === null ? null : { position: report.to, hash: report.headHash };
  }

  /** Where a batch with these ids was recorded in a stream, consecutively; null if it was not. */
  async #recorded(streamId: StreamId, ids: readonly EventId[]): Promise<AppendResult | null> {
    const stream = await this.readStream(streamId);
    const first = stream.findIndex((e) => e.eventId === ids[0]);
    if (first < 0 || !ids.every((id, k) => stream[first + k]?.eventId === id)) return null;
    const last = stream[first + ids.length - 1] as RecordedEvent;
    return { nextExpectedRevision: last.revision, position: last.position, eventIds: ids };
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    this.#assertOpen();
    const from = options.fromPosition ?? 0;
    let remaining = options.limit ?? Number.POSITIVE_INFINITY;
    const reading = this.#client.readAll({
      fromPosition: readStart(options.fromPosition),
      direction: FORWARDS,
      filter: excludeSystemEvents(),
    });
    try {
      for await (const resolved of reading) {
        if (remaining <= 0) return;
        const recorded = recordedOf(resolved);
        if (recorded === undefined || isSystemEvent(recorded)) continue;
        const event = fromRecorded(recorded);
        if (event.position < from) continue;
        remaining--;
        yield event;
      }
    } catch (error) {
      throw mapClientError('$all' as StreamId, 'any', error);
    }
  }

  subscribeAll(options: SubscribeAllOptions = {}): Subscription {
    this.#assertOpen();
    return new AllSubscription(this.#client, options, this.#highWaterMark, this.#log, this.#closing.signal);
  }

  async lastPosition(): Promise<GlobalPosition | null> {
    this.#assertOpen();
    try {
      for await (const resolved of this.#client.readAll({
        fromPosition: END,
        direction: BACKWARDS,
        maxCount: 50,
        filter: excludeSystemEvents(),
      })) {
        const recorded = recordedOf(resolved);
        if (recorded?.position !== undefined && !isSystemEvent(recorded))
          return toGlobalPosition(recorded.position);
      }
      return null;
    } catch (error) {
      throw mapClientError('$all' as StreamId, 'any', error);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#closing.abort();
    await this.#client.dispose();
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError();
  }
}

/**
 * A `$all` catch-up subscription as the port's pull-based Subscription: events are queued up to a
 * high-water mark, beyond which the gRPC stream is paused (back-pressure); `caughtUp` is yielded
 * in order; a dropped subscription is logged and resumed after the last delivered position.
 */
class AllSubscription implements Subscription {
  readonly #queue: SubscriptionMessage[] = [];
  readonly #highWaterMark: number;
  readonly #log: (message: string) => void;
  readonly #client: KurrentDBClient;
  readonly #abort = new AbortController();
  #wake: (() => void) | undefined;
  #inner: AllStreamSubscription | undefined;
  #lastDelivered: GlobalPosition | null;
  #caughtUpSent = false;
  #failures = 0;
  #detach: () => void = () => undefined;

  constructor(
    client: KurrentDBClient,
    options: SubscribeAllOptions,
    highWaterMark: number,
    log: (m: string) => void,
    closing: AbortSignal,
  ) {
    this.#client = client;
    this.#highWaterMark = highWaterMark;
    this.#log = log;
    this.#lastDelivered =
      options.fromPosition === undefined || options.fromPosition === 0
        ? null
        : ((options.fromPosition - 1) as GlobalPosition);
    // Closing a subscription that is going away anyway: a failure of it changes nothing.
    const stop = () => {
      this.close().catch(() => undefined);
    };
    closing.addEventListener('abort', stop, { once: true });
    options.signal?.addEventListener('abort', stop, { once: true });
    // The store's signal outlives its subscriptions: each takes its listener away when it closes.
    this.#detach = () => {
      closing.removeEventListener('abort', stop);
      options.signal?.removeEventListener('abort', stop);
    };
    this.#start();
  }

  get buffered(): number {
    return this.#queue.filter((m) => m.kind === 'event').length;
  }

  #start(): void {
    if (this.#abort.signal.aborted) return;
    const fromPosition =
      this.#lastDelivered === null ? undefined : ((this.#lastDelivered + 1) as GlobalPosition);
    const inner = this.#client.subscribeToAll({
      fromPosition: subscriptionStart(fromPosition),
      filter: excludeSystemEvents(),
    });
    this.#inner = inner;
    inner.on('data', (resolved) => {
      const recorded = recordedOf(resolved);
      if (recorded === undefined || isSystemEvent(recorded)) return;
      this.#failures = 0;
      const event = fromRecorded(recorded);
      this.#lastDelivered = event.position;
      this.#push({ kind: 'event', event });
      if (this.#queue.length >= this.#highWaterMark) inner.pause();
    });
    inner.on('caughtUp', () => {
      if (this.#caughtUpSent) return;
      this.#caughtUpSent = true;
      this.#push({ kind: 'caughtUp', position: this.#lastDelivered });
    });
    inner.on('error', (error: Error) => {
      if (this.#abort.signal.aborted) return;
      this.#failures++;
      const delay = Math.min(5_000, 100 * 2 ** Math.min(this.#failures, 6));
      this.#log(
        `$all subscription dropped (${error.message}); resuming after position ${String(this.#lastDelivered)} in ${delay} ms`,
      );
      setTimeout(() => this.#start(), delay).unref();
    });
  }

  #push(message: SubscriptionMessage): void {
    this.#queue.push(message);
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async #next(): Promise<IteratorResult<SubscriptionMessage, undefined>> {
    for (;;) {
      if (this.#abort.signal.aborted) return { done: true, value: undefined };
      const message = this.#queue.shift();
      if (message !== undefined) {
        if (this.#queue.length < this.#highWaterMark / 2 && this.#inner?.isPaused() === true)
          this.#inner.resume();
        return { done: false, value: message };
      }
      // One listener per wait, removed when the wait ends: a long subscription waits many times.
      await new Promise<void>((resolve) => {
        const done = () => {
          this.#abort.signal.removeEventListener('abort', done);
          resolve();
        };
        this.#wake = done;
        this.#abort.signal.addEventListener('abort', done, { once: true });
      });
    }
  }

  async close(): Promise<void> {
    if (this.#abort.signal.aborted) return;
    this.#abort.abort();
    this.#detach();
    this.#wake?.();
    try {
      await this.#inner?.unsubscribe();
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) this.#log(`unsubscribe failed: ${String(error)}`);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage, undefined> {
    return {
      next: () => this.#next(),
      return: async () => {
        await this.close();
        return { done: true, value: undefined };
      },
    };
  }
}
