import type { Event, EventToAppend, RecordedEvent } from './events.ts';
import type { EventId, GlobalPosition, StreamId, StreamRevision } from './ids.ts';

/**
 * What an append expects of its stream: anything, that it does not exist yet, that it exists,
 * or that its last event is at exactly this revision.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | StreamRevision;

export interface AppendOptions {
  readonly expectedRevision: ExpectedRevision;
}

export interface AppendResult {
  /** The revision of the stream's last event after the append: pass it as the next expected revision. */
  readonly nextExpectedRevision: StreamRevision;
  /** The global position of the last appended event. */
  readonly position: GlobalPosition;
  /** The ids of the events appended, in order: the caller's, or those the store gave them. */
  readonly eventIds: readonly EventId[];
}

export interface ReadStreamOptions {
  /** First revision to return (inclusive, default 0). */
  readonly fromRevision?: StreamRevision;
  /** Last revision to return (inclusive): the stream as it was at that revision. */
  readonly toRevision?: StreamRevision;
  /** Only events recorded at or before this instant: the stream as the store knew it then. */
  readonly untilRecordedAt?: Date;
}

export interface ReadAllOptions {
  /** First position to return (inclusive, default the start of the log). */
  readonly fromPosition?: GlobalPosition;
  /** At most this many events. */
  readonly limit?: number;
}

export interface SubscribeAllOptions {
  /** First position to deliver (inclusive, default the start of the log). */
  readonly fromPosition?: GlobalPosition;
  /** Ends the subscription. */
  readonly signal?: AbortSignal;
}

/** What a subscription yields: each event in log order, and once, the moment it has caught up. */
export type SubscriptionMessage =
  | { readonly kind: 'event'; readonly event: RecordedEvent }
  | {
      readonly kind: 'caughtUp';
      /** The position of the last event delivered before catching up (null for an empty log). */
      readonly position: GlobalPosition | null;
    };

/**
 * A live subscription to the global log: catch-up, then live, pulled by its consumer. A consumer
 * that stops pulling stops the reading: the store holds at most one page ahead of it.
 */
export interface Subscription extends AsyncIterable<SubscriptionMessage> {
  /** Events read from storage and not yet taken by the consumer (bounded by one page). */
  readonly buffered: number;
  /** Ends the iteration; an iteration waiting for new events returns. */
  close(): Promise<void>;
}

/**
 * The port every store implements (in-memory, LMDB, KurrentDB), proven by the conformance
 * suite in `@cogov/testkit`.
 */
export interface EventStore {
  /** The events of one stream in revision order; an unknown stream reads as empty. */
  readStream(streamId: StreamId, options?: ReadStreamOptions): Promise<readonly RecordedEvent[]>;
  /**
   * Appends atomically, checking the expected revision; idempotent on event ids (the same events
   * appended again return the first result and write nothing).
   * @throws WrongExpectedRevisionError, DuplicateEventIdError, StoreUnavailableError
   */
  appendToStream<E extends Event>(
    streamId: StreamId,
    events: readonly EventToAppend<E>[],
    options: AppendOptions,
  ): Promise<AppendResult>;
  /** The global log in position order. */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /** Catch-up then live delivery of the global log. */
  subscribeAll(options?: SubscribeAllOptions): Subscription;
  /** The position of the last event in the log, or null when it is empty. */
  lastPosition(): Promise<GlobalPosition | null>;
  close(): Promise<void>;
}
