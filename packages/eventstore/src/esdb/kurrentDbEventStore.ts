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
import {
  fromRecorded,
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
    const data = events.map((event, i) => toEventData(streamId, event, ids[i] as string));
    try {
      const result = await this.#client.appendToStream(streamId, data, {
        streamState: toStreamState(options.expectedRevision),
      });
      return {
        nextExpectedRevision: Number(result.nextExpectedRevision) as StreamRevision,
        position: (result.position === undefined ? -1 : toGlobalPosition(result.position)) as GlobalPosition,
        eventIds: ids,
      };
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
    const stop = () => void this.close();
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
