import { checkExpectedRevision, replayedAppend, withEventIds, type RecordedLocation } from './appendRules.ts';
import { StoreClosedError } from './errors.ts';
import type { Event, EventToAppend, RecordedEvent } from './events.ts';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  SubscribeAllOptions,
  Subscription,
} from './eventStore.ts';
import type { EventId, GlobalPosition, StreamId, StreamRevision } from './ids.ts';
import { AppendSignal, pullSubscription } from './pullSubscription.ts';

export interface InMemoryEventStoreOptions {
  /** Stamps `recordedAt`; never goes backwards even if the clock does. Default: the system clock. */
  readonly clock?: () => Date;
}

const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
};

/**
 * The event store in memory: for tests, for embedding in a process that keeps its own
 * persistence, and as the reference the conformance suite is written against. Recorded events are
 * deep-frozen, so a fold that mutates an event fails loudly here before it corrupts a real store.
 *
 * @example
 * const store = new InMemoryEventStore();
 * await store.appendToStream(streamId, [{ type: 'RegionRenamed', data: { name: 'East' } }], { expectedRevision: 'any' });
 */
export class InMemoryEventStore implements EventStore {
  readonly #log: RecordedEvent[] = [];
  readonly #streams = new Map<string, RecordedEvent[]>();
  readonly #byEventId = new Map<string, RecordedLocation>();
  readonly #appended = new AppendSignal();
  readonly #closing = new AbortController();
  readonly #clock: () => Date;
  #lastRecordedAt = 0;
  #closed = false;

  constructor(options: InMemoryEventStoreOptions = {}) {
    this.#clock = options.clock ?? (() => new Date());
  }

  async readStream(streamId: StreamId, options: ReadStreamOptions = {}): Promise<readonly RecordedEvent[]> {
    await Promise.resolve();
    this.#assertOpen();
    const stream = this.#streams.get(streamId) ?? [];
    const from = options.fromRevision ?? 0;
    const to = options.toRevision ?? Number.MAX_SAFE_INTEGER;
    const until = options.untilRecordedAt?.getTime() ?? Number.POSITIVE_INFINITY;
    return stream.filter((e) => e.revision >= from && e.revision <= to && e.recordedAt.getTime() <= until);
  }

  async appendToStream<E extends Event>(
    streamId: StreamId,
    events: readonly EventToAppend<E>[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    await Promise.resolve();
    this.#assertOpen();
    const ids = withEventIds(streamId, events);
    const replayed = replayedAppend(streamId, ids, (id) => this.#byEventId.get(id));
    if (replayed !== null) return replayed;

    const stream = this.#streams.get(streamId) ?? [];
    const conflict = checkExpectedRevision(streamId, options.expectedRevision, stream.length - 1);
    if (conflict !== null) throw conflict;
    if (events.length === 0) {
      return {
        nextExpectedRevision: (stream.length - 1) as StreamRevision,
        position: (this.#log.length - 1) as GlobalPosition,
        eventIds: [],
      };
    }

    this.#lastRecordedAt = Math.max(this.#lastRecordedAt, this.#clock().getTime());
    const recordedAt = new Date(this.#lastRecordedAt);
    events.forEach((event, i) => {
      const recorded = deepFreeze({
        type: event.type,
        data: structuredClone(event.data),
        streamId,
        revision: stream.length as StreamRevision,
        position: this.#log.length as GlobalPosition,
        eventId: ids[i] as EventId,
        recordedAt,
        metadata: { schemaVersion: 1, ...event.metadata },
      }) as RecordedEvent;
      stream.push(recorded);
      this.#log.push(recorded);
      this.#byEventId.set(recorded.eventId, recorded);
    });
    this.#streams.set(streamId, stream);
    const last = stream[stream.length - 1] as RecordedEvent;
    this.#appended.notify(last.position);
    return { nextExpectedRevision: last.revision, position: last.position, eventIds: ids };
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    await Promise.resolve();
    this.#assertOpen();
    const from = options.fromPosition ?? 0;
    const end = Math.min(this.#log.length, from + (options.limit ?? Number.MAX_SAFE_INTEGER));
    for (let position = from; position < end; position++) {
      yield this.#log[position] as RecordedEvent;
    }
  }

  subscribeAll(options: SubscribeAllOptions = {}): Subscription {
    this.#assertOpen();
    return pullSubscription(
      {
        readPage: (from, limit) => this.#log.slice(from, from + limit),
        waitForAppend: (after, signal) => this.#appended.wait(after, () => this.#head(), signal),
      },
      {
        ...options,
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

  close(): Promise<void> {
    this.#closed = true;
    this.#closing.abort();
    return Promise.resolve();
  }

  #head(): GlobalPosition | null {
    return this.#log.length === 0 ? null : ((this.#log.length - 1) as GlobalPosition);
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError();
  }
}
