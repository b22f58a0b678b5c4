import { DuplicateEventIdError, InvalidAppendError, WrongExpectedRevisionError } from './errors.ts';
import type { EventToAppend } from './events.ts';
import type { AppendResult, ExpectedRevision } from './eventStore.ts';
import type { EventId, GlobalPosition, StreamId, StreamRevision } from './ids.ts';
import { newEventId } from './uuid.ts';

/** Where an already recorded event sits. */
export interface RecordedLocation {
  readonly streamId: StreamId;
  readonly revision: StreamRevision;
  readonly position: GlobalPosition;
}

/**
 * The expected-revision check every store applies. `current` is the stream's last revision,
 * -1 when the stream does not exist. Returns the error to throw, or null when the append may go on.
 */
export const checkExpectedRevision = (
  streamId: StreamId,
  expected: ExpectedRevision,
  current: number,
): WrongExpectedRevisionError | null => {
  switch (expected) {
    case 'any':
      return null;
    case 'no_stream':
      return current === -1 ? null : new WrongExpectedRevisionError(streamId, expected, current);
    case 'stream_exists':
      return current >= 0 ? null : new WrongExpectedRevisionError(streamId, expected, current);
    default:
      return current === expected ? null : new WrongExpectedRevisionError(streamId, expected, current);
  }
};

/** Gives every event an id and rejects an append that repeats one id or has no events' types. */
export const withEventIds = <E extends EventToAppend>(
  streamId: StreamId,
  events: readonly E[],
): EventId[] => {
  const ids = events.map((event) => event.eventId ?? newEventId());
  if (new Set(ids).size !== ids.length) {
    throw new InvalidAppendError(`append to ${streamId} repeats an event id within one append`);
  }
  for (const event of events) {
    if (typeof event.type !== 'string' || event.type.length === 0) {
      throw new InvalidAppendError(`append to ${streamId} has an event without a type`);
    }
  }
  return ids;
};

/**
 * Idempotency on event ids. When none of the ids is known, returns null (a new append). When they
 * are exactly a batch already recorded in this stream, returns that batch's result. Anything else
 * (ids spread over another stream, or mixed with new ones) throws DuplicateEventIdError.
 */
export const replayedAppend = (
  streamId: StreamId,
  eventIds: readonly EventId[],
  lookup: (eventId: EventId) => RecordedLocation | undefined,
): AppendResult | null => {
  const found = eventIds.map(lookup);
  if (found.every((location) => location === undefined)) return null;
  const first = found[0];
  const consistent =
    first !== undefined &&
    found.every(
      (location, i) =>
        location !== undefined && location.streamId === streamId && location.revision === first.revision + i,
    );
  if (!consistent) {
    const index = found.findIndex((location) => location !== undefined);
    const clash = found[index] as RecordedLocation;
    throw new DuplicateEventIdError(eventIds[index] as EventId, clash.streamId);
  }
  const last = found[found.length - 1] as RecordedLocation;
  return { nextExpectedRevision: last.revision, position: last.position, eventIds: [...eventIds] };
};
