import {
  isStoreUnavailable,
  isWrongExpectedRevision,
  type StreamId,
  type StreamRevision,
} from '@cogov/domain/kernel';
import { ANY, NO_STREAM, START, STREAM_EXISTS } from '@kurrent/kurrentdb-client';
import { describe, expect, it } from 'vitest';
import {
  fromRecorded,
  isSystemEvent,
  mapClientError,
  readStart,
  subscriptionStart,
  toEventData,
  toGlobalPosition,
  toStreamState,
} from './mapping.ts';

const stream = 'committee-x' as StreamId;

describe('KurrentDB mapping', () => {
  it('maps expected revisions to stream states', () => {
    expect(toStreamState('any')).toBe(ANY);
    expect(toStreamState('no_stream')).toBe(NO_STREAM);
    expect(toStreamState('stream_exists')).toBe(STREAM_EXISTS);
    expect(toStreamState(7 as StreamRevision)).toBe(7n);
  });

  it('writes JSON events with their id and our metadata, and refuses an id that is not a UUID', () => {
    const id = '0b7c3a2e-8f3d-4a55-9a1e-0d2f7c1b5e90';
    const data = toEventData(
      stream,
      { type: 'MemberAppointed', data: { a: 1 }, metadata: { schemaVersion: 2, actor: 'clerk' } },
      id,
    );
    expect(data).toMatchObject({
      id,
      type: 'MemberAppointed',
      contentType: 'application/json',
      data: { a: 1 },
      metadata: { schemaVersion: 2, actor: 'clerk' },
    });
    expect(() => toEventData(stream, { type: 'X', data: {} }, 'not-a-uuid')).toThrow(/UUID/);
  });

  it('reads a recorded event back as the port’s envelope', () => {
    const created = new Date('2022-10-26T10:28:00Z');
    const recorded = fromRecorded({
      streamId: 'committee-x',
      id: 'e1',
      revision: 4n,
      type: 'JointMeetingHeld',
      created,
      data: { meetingId: 'm' },
      metadata: { actor: 'clerk', schemaVersion: 3 },
      position: { commit: 1200n, prepare: 1100n },
    });
    expect(recorded).toEqual({
      type: 'JointMeetingHeld',
      data: { meetingId: 'm' },
      streamId: 'committee-x',
      revision: 4,
      position: 1100,
      eventId: 'e1',
      recordedAt: created,
      metadata: { actor: 'clerk', schemaVersion: 3 },
    });
    expect(
      fromRecorded({
        streamId: 's',
        id: 'e',
        revision: 0n,
        type: 'T',
        created,
        data: {},
        metadata: undefined,
      }).metadata,
    ).toEqual({ schemaVersion: 1 });
  });

  it('turns the port’s inclusive fromPosition into KurrentDB’s start positions', () => {
    expect(subscriptionStart(undefined)).toBe(START);
    expect(subscriptionStart(0 as never)).toBe(START);
    expect(subscriptionStart(1101 as never)).toEqual({ commit: 1100n, prepare: 1100n });
    expect(readStart(1100 as never)).toEqual({ commit: 1100n, prepare: 1100n });
    expect(toGlobalPosition({ commit: 5n, prepare: 4n })).toBe(4);
  });

  it('maps client errors to the port’s typed errors', () => {
    const conflict = mapClientError(stream, 3 as StreamRevision, {
      type: 'wrong-expected-version',
      actualState: 5n,
    });
    expect(isWrongExpectedRevision(conflict) && conflict.actual).toBe(5);
    expect(
      isWrongExpectedRevision(
        mapClientError(stream, 'no_stream', { type: 'wrong-expected-version', actualState: NO_STREAM }),
      ),
    ).toBe(true);
    expect(isStoreUnavailable(mapClientError(stream, 'any', { type: 'unavailable', message: 'down' }))).toBe(
      true,
    );
    const other = new Error('boom');
    expect(mapClientError(stream, 'any', other)).toBe(other);
  });

  it('leaves out KurrentDB’s own events', () => {
    expect(isSystemEvent({ streamId: '$stats-127.0.0.1:2113', type: '$statsCollected' })).toBe(true);
    expect(isSystemEvent({ streamId: 'committee-x', type: 'MemberAppointed' })).toBe(false);
  });
});
