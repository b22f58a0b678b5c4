import {
  InvalidAppendError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
  type EventMetadata,
  type EventToAppend,
  type ExpectedRevision,
  type GlobalPosition,
  type RecordedEvent,
  type StreamId,
  type StreamRevision,
} from '@cogov/domain/kernel';
import {
  ANY,
  jsonEvent,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  type AppendStreamState,
  type Position,
  type ReadPosition,
} from '@kurrent/kurrentdb-client';

import { CHAIN_KEY, type StreamLink } from './streamChain.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The port's expected revision as KurrentDB's stream state. */
export const toStreamState = (expected: ExpectedRevision): AppendStreamState => {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
};

/** An event to append as KurrentDB event data: JSON, with our metadata as its metadata. */
export const toEventData = (streamId: StreamId, event: EventToAppend, eventId: string) => {
  if (!UUID.test(eventId))
    throw new InvalidAppendError(`append to ${streamId}: KurrentDB event ids are UUIDs, got ${eventId}`);
  return jsonEvent({
    id: eventId,
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata: { schemaVersion: 1, ...event.metadata },
  });
};

/**
 * A `$all` position as one number: the prepare position, unique for every event record and
 * increasing in `$all` order. Byte offsets into the log, so positions are sparse, not dense.
 */
export const toGlobalPosition = (position: Position): GlobalPosition =>
  Number(position.prepare) as GlobalPosition;

/**
 * Where to start reading so that `fromPosition` (inclusive, the port's meaning) is the first
 * event: KurrentDB starts a subscription *after* the position it is given. Valid when
 * `fromPosition` is 0 or one past a position the store returned (which is how checkpoints resume).
 */
export const subscriptionStart = (fromPosition: GlobalPosition | undefined): ReadPosition =>
  fromPosition === undefined || fromPosition === 0
    ? START
    : { commit: BigInt(fromPosition - 1), prepare: BigInt(fromPosition - 1) };

/** A read start that includes `fromPosition` itself when it is an event's position. */
export const readStart = (fromPosition: GlobalPosition | undefined): ReadPosition =>
  fromPosition === undefined || fromPosition === 0
    ? START
    : { commit: BigInt(fromPosition), prepare: BigInt(fromPosition) };

export interface KurrentRecordedEvent {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly created: Date;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position?: Position;
}

/** A KurrentDB recorded event as the port's recorded event. */
/**
 * The JSON event a resolved event of the client carries, or undefined (a link to nothing, a
 * binary event of another system): checked, not cast.
 */
export const recordedOf = (resolved: { readonly event?: unknown }): KurrentRecordedEvent | undefined => {
  const event = resolved.event as Partial<KurrentRecordedEvent> | undefined;
  return event !== undefined &&
    typeof event.streamId === 'string' &&
    typeof event.id === 'string' &&
    typeof event.type === 'string' &&
    typeof event.revision === 'bigint' &&
    event.created instanceof Date
    ? (event as KurrentRecordedEvent)
    : undefined;
};

/** The chain link an event's metadata carries (ADR 14), when it is well-formed. */
export const linkOf = (event: KurrentRecordedEvent): StreamLink | null => {
  const link = (event.metadata as Record<string, unknown> | null | undefined)?.[CHAIN_KEY] as
    Partial<StreamLink> | undefined;
  return typeof link?.prev === 'string' && typeof link.hash === 'string'
    ? { prev: link.prev, hash: link.hash }
    : null;
};

export const fromRecorded = (event: KurrentRecordedEvent): RecordedEvent => {
  // The chain link is the store's, not the domain's: metadata reads back as it was appended.
  const { [CHAIN_KEY]: _link, ...metadata } = (event.metadata ?? {}) as Partial<EventMetadata> &
    Record<string, unknown>;
  return {
    type: event.type,
    data: event.data,
    streamId: event.streamId as StreamId,
    revision: Number(event.revision) as StreamRevision,
    position: (event.position === undefined ? -1 : toGlobalPosition(event.position)) as GlobalPosition,
    eventId: event.id as RecordedEvent['eventId'],
    recordedAt: event.created,
    metadata: {
      ...metadata,
      schemaVersion: typeof metadata.schemaVersion === 'number' ? metadata.schemaVersion : 1,
    },
  };
};

/** Events of KurrentDB itself ($-prefixed streams and types) are not part of the domain log. */
export const isSystemEvent = (event: { readonly streamId: string; readonly type: string }): boolean =>
  event.streamId.startsWith('$') || event.type.startsWith('$');

interface ClientError {
  readonly type?: unknown;
  readonly streamName?: unknown;
  readonly expectedState?: unknown;
  readonly actualState?: unknown;
  readonly message?: unknown;
}

const UNAVAILABLE = new Set([
  'unavailable',
  'deadline-exceeded',
  'timeout',
  'not-leader',
  'cancelled',
  'unknown',
]);

/** A client error as the port's typed errors; anything else passes through. */
export const mapClientError = (streamId: StreamId, expected: ExpectedRevision, error: unknown): unknown => {
  const e = error as ClientError;
  if (e.type === 'wrong-expected-version') {
    const actual = typeof e.actualState === 'bigint' ? Number(e.actualState) : -1;
    return new WrongExpectedRevisionError(streamId, expected, actual);
  }
  if (typeof e.type === 'string' && UNAVAILABLE.has(e.type)) {
    return new StoreUnavailableError(`KurrentDB is unavailable (${e.type}): ${String(e.message)}`, {
      cause: error,
    });
  }
  return error;
};
