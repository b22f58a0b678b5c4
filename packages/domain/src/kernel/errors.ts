import type { EventId, StreamId } from './ids.ts';

/**
 * Infrastructure failures are thrown, never returned (a refused command is a Rejection value).
 * Each carries a `_tag`, and a guard tests for it, so that two copies of this package in one
 * process (or an error that crossed a worker boundary) still recognise each other's errors.
 */
export abstract class CogovError extends Error {
  abstract readonly _tag: string;
}

const hasTag =
  <E extends CogovError>(tag: E['_tag']) =>
  (error: unknown): error is E =>
    typeof error === 'object' && error !== null && (error as { _tag?: unknown })._tag === tag;

/** The stream was not at the revision the append expected: someone else wrote first. */
export class WrongExpectedRevisionError extends CogovError {
  readonly _tag = 'WrongExpectedRevision';
  constructor(
    readonly streamId: StreamId,
    readonly expected: string | number,
    /** The stream's actual last revision, or -1 when it does not exist. */
    readonly actual: number,
  ) {
    super(
      `stream ${streamId}: expected revision ${String(expected)}, actual ${actual === -1 ? 'no stream' : actual}`,
    );
  }
}
export const isWrongExpectedRevision = hasTag<WrongExpectedRevisionError>('WrongExpectedRevision');

/** An event id was appended before as part of something else (another stream or batch). */
export class DuplicateEventIdError extends CogovError {
  readonly _tag = 'DuplicateEventId';
  constructor(
    readonly eventId: EventId,
    readonly streamId: StreamId,
  ) {
    super(`event id ${eventId} is already used by another append (stream ${streamId})`);
  }
}
export const isDuplicateEventId = hasTag<DuplicateEventIdError>('DuplicateEventId');

/** The store cannot be reached or cannot write (server down, disk failure, disk full). */
export class StoreUnavailableError extends CogovError {
  readonly _tag = 'StoreUnavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
export const isStoreUnavailable = hasTag<StoreUnavailableError>('StoreUnavailable');

/** The store was closed; nothing more can be read or written through this instance. */
export class StoreClosedError extends CogovError {
  readonly _tag = 'StoreClosed';
  constructor() {
    super('the event store is closed');
  }
}
export const isStoreClosed = hasTag<StoreClosedError>('StoreClosed');

/** An append that can never succeed as written (no events of a type, a duplicate id inside it, …). */
export class InvalidAppendError extends CogovError {
  readonly _tag = 'InvalidAppend';
}
export const isInvalidAppend = hasTag<InvalidAppendError>('InvalidAppend');

/** A command handler gave up after repeated concurrency conflicts. */
export class ConcurrencyExhaustedError extends CogovError {
  readonly _tag = 'ConcurrencyExhausted';
  constructor(
    readonly streamId: StreamId,
    readonly attempts: number,
  ) {
    super(`stream ${streamId}: still conflicting after ${attempts} attempts`);
  }
}
export const isConcurrencyExhausted = hasTag<ConcurrencyExhaustedError>('ConcurrencyExhausted');

/** A command id was used before for another command (an Idempotency-Key reused with another body). */
export class CommandIdReusedError extends CogovError {
  readonly _tag = 'CommandIdReused';
  constructor(
    readonly commandId: string,
    readonly streamId: StreamId,
  ) {
    super(`command id ${commandId} was used for another command (stream ${streamId})`);
  }
}
export const isCommandIdReused = hasTag<CommandIdReusedError>('CommandIdReused');

/**
 * The log holds a record that cannot be read as written (a flipped byte, a torn page). Nothing is
 * served from it; the message names where it is, for an operator to restore it from a backup.
 */
export class DamagedRecordError extends CogovError {
  readonly _tag = 'DamagedRecord';
  constructor(
    readonly position: number,
    /** The stream the record belongs to, when the log's indexes still say. */
    readonly streamId: string | null,
    readonly reason: string,
  ) {
    super(
      `the log record at position ${position}${streamId === null ? '' : ` (stream ${streamId})`} is damaged: ${reason}`,
    );
  }
}
export const isDamagedRecord = hasTag<DamagedRecordError>('DamagedRecord');
