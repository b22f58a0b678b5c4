import {
  checkExpectedRevision,
  InMemoryEventStore,
  type AppendOptions,
  type AppendResult,
  type Event,
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
} from '@cogov/domain';
import { describe, expect, it } from 'vitest';
import { checkStoreAgainstModel } from './storeModel.ts';

/** A store that forwards to the in-memory one; each mutant below overrides one behaviour. */
class Forwarding implements EventStore {
  readonly inner = new InMemoryEventStore();
  readStream(streamId: StreamId, options?: ReadStreamOptions): Promise<readonly RecordedEvent[]> {
    return this.inner.readStream(streamId, options);
  }
  appendToStream<E extends Event>(
    streamId: StreamId,
    events: readonly EventToAppend<E>[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    return this.inner.appendToStream(streamId, events, options);
  }
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent> {
    return this.inner.readAll(options);
  }
  subscribeAll(options?: SubscribeAllOptions): Subscription {
    return this.inner.subscribeAll(options);
  }
  lastPosition(): Promise<GlobalPosition | null> {
    return this.inner.lastPosition();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** The LMDB defect of issue 11: a replay moves the cached head of its stream back. */
class ReplayMovesTheHead extends Forwarding {
  readonly #heads = new Map<string, number>();
  override async appendToStream<E extends Event>(
    streamId: StreamId,
    events: readonly EventToAppend<E>[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const head = this.#heads.get(streamId) ?? (await this.inner.readStream(streamId)).length - 1;
    const replay = events.every((e) => e.eventId !== undefined) && (await this.#known(events));
    if (!replay) {
      const conflict = checkExpectedRevision(streamId, options.expectedRevision, head);
      if (conflict !== null) throw conflict;
    }
    const result = await this.inner.appendToStream(streamId, events, { expectedRevision: 'any' });
    this.#heads.set(streamId, result.nextExpectedRevision);
    return result;
  }
  async #known(events: readonly EventToAppend[]) {
    for await (const e of this.inner.readAll()) if (e.eventId === events[0]?.eventId) return true;
    return false;
  }
}

/** Readers see an append's events a moment before its writer is told (commit before flush). */
class VisibleBeforeAcknowledged extends Forwarding {
  override async appendToStream<E extends Event>(
    streamId: StreamId,
    events: readonly EventToAppend<E>[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const result = await this.inner.appendToStream(streamId, events, options);
    await new Promise((resolve) => setTimeout(resolve, 2));
    return result;
  }
}

/** Acknowledges a multi-event append but keeps only its first event. */
class LosesPartOfABatch extends Forwarding {
  override appendToStream<E extends Event>(
    streamId: StreamId,
    events: readonly EventToAppend<E>[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    return this.inner.appendToStream(streamId, events.slice(0, 1), options).then((r) => ({
      nextExpectedRevision: (r.nextExpectedRevision + events.length - 1) as StreamRevision,
      position: (r.position + events.length - 1) as GlobalPosition,
      eventIds: r.eventIds,
    }));
  }
}

/**
 * Answers a read from after a stream's head at once, from heads it learned by reading streams to
 * their end; it forgets a stream's head when an append to it starts, but learns it again from a
 * read made while the append is in flight: the race the LMDB store's stream heads must not have.
 */
class LearnsHeadsWhileWriting extends Forwarding {
  readonly #heads = new Map<string, number>();
  override async readStream(streamId: StreamId, options: ReadStreamOptions = {}) {
    const from = options.fromRevision ?? 0;
    const toEnd = options.toRevision === undefined && options.untilRecordedAt === undefined;
    const known = this.#heads.get(streamId);
    if (toEnd && known !== undefined && known < from) return [];
    const events = await this.inner.readStream(streamId, options);
    if (toEnd) this.#heads.set(streamId, from + events.length - 1);
    return events;
  }
  override async appendToStream<E extends Event>(
    streamId: StreamId,
    events: readonly EventToAppend<E>[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    this.#heads.delete(streamId);
    await new Promise((resolve) => setImmediate(resolve));
    return this.inner.appendToStream(streamId, events, options);
  }
}

/** A subscription that delivers every fifth event twice. */
class SubscriberSeesDoubles extends Forwarding {
  override subscribeAll(options?: SubscribeAllOptions): Subscription {
    const inner = this.inner.subscribeAll(options);
    let count = 0;
    return {
      get buffered() {
        return inner.buffered;
      },
      close: () => inner.close(),
      async *[Symbol.asyncIterator]() {
        for await (const message of inner) {
          yield message;
          if (message.kind === 'event' && ++count % 5 === 0) yield message;
        }
      },
    };
  }
}

/** Refuses a stale expected revision only when the stream is long: a lost update elsewhere. */
class AcceptsStaleRevisions extends Forwarding {
  override appendToStream<E extends Event>(
    streamId: StreamId,
    events: readonly EventToAppend<E>[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const lenient =
      typeof options.expectedRevision === 'number' ? { expectedRevision: 'any' as const } : options;
    return this.inner.appendToStream(streamId, events, lenient);
  }
}

const options = { densePositions: true, acknowledgedBeforeVisible: true, numRuns: 300 } as const;

describe('the model-based store test', () => {
  it('passes the in-memory store, the reference', async () => {
    await expect(checkStoreAgainstModel(new InMemoryEventStore(), options)).resolves.toBeUndefined();
  });

  for (const [defect, Mutant] of [
    ['a replay that moves the stream head back (issue 11)', ReplayMovesTheHead],
    ['reads that see events before their append is acknowledged', VisibleBeforeAcknowledged],
    ['an acknowledged batch partly lost', LosesPartOfABatch],
    ['a subscriber that is delivered an event twice', SubscriberSeesDoubles],
    ['stale expected revisions accepted', AcceptsStaleRevisions],
    ['reads from after a stream head learned while an append was in flight', LearnsHeadsWhileWriting],
  ] as const) {
    it(`finds ${defect}`, async () => {
      await expect(checkStoreAgainstModel(new Mutant(), options)).rejects.toThrow(/Property failed/);
    });
  }
});
