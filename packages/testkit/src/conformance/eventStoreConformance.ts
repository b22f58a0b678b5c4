import {
  isDuplicateEventId,
  isStoreClosed,
  isWrongExpectedRevision,
  type AppendResult,
  type EventId,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type GlobalPosition,
  type RecordedEvent,
  type StreamId,
  type StreamRevision,
  type SubscriptionMessage,
} from '@cogov/domain';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkStoreAgainstModel } from './storeModel.ts';

/** A store under test and how to dispose of it. */
export interface StoreUnderTest {
  readonly store: EventStore;
  dispose(): Promise<void>;
}

export interface StoreCapabilities {
  /** Positions are consecutive integers (LMDB, in-memory); KurrentDB's are byte offsets. */
  readonly densePositions: boolean;
  /** The most events a subscription may hold ahead of a slow consumer. */
  readonly maxBuffered: number;
  /**
   * Event ids are unique across the whole store (in-memory, LMDB). KurrentDB checks them per
   * stream only, so an id reused in another stream is stored there as a separate event.
   */
  readonly globalEventIds: boolean;
  /**
   * An append is acknowledged to its writer before any reader can see its events (a store in
   * this process). A remote store may answer a reader first; see `checkStoreAgainstModel`.
   */
  readonly acknowledgedBeforeVisible: boolean;
  /**
   * The finest difference in `recordedAt` that reads keep (1 ms for the in-memory and LMDB
   * stores; 1 000 ms for KurrentDB read through its Node client 1.x, whose native reader drops
   * the milliseconds of an event's creation time).
   */
  readonly recordedAtResolutionMs: number;
  /** Runs of the model-based test (default STORE_MODEL_RUNS, else 200); a remote store's calls cost more. */
  readonly modelRuns?: number;
}

export type StoreFactory = () => Promise<StoreUnderTest>;

type TestEvent = { readonly type: 'Tested'; readonly data: { readonly n: number; readonly text: string } };

const uuid = () => globalThis.crypto.randomUUID() as EventId;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const revision = (n: number) => n as StreamRevision;
const event = (n: number, eventId?: EventId): EventToAppend<TestEvent> => ({
  type: 'Tested',
  data: { n, text: `事件 ${n} — événement` },
  ...(eventId === undefined ? {} : { eventId }),
});

/** Unique stream names per test, so that a shared server (KurrentDB) can run the suite. */
const streams = () => {
  const prefix = `conf${Math.random().toString(36).slice(2, 10)}`;
  return { prefix, id: (name: string) => `${prefix}_${name}-1` as StreamId };
};

const collect = async (iterable: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> => {
  const out: RecordedEvent[] = [];
  for await (const e of iterable) out.push(e);
  return out;
};

/** The first position after everything already in the log: where a test's own events begin. */
const startOfTest = async (store: EventStore): Promise<GlobalPosition> => {
  const last = await store.lastPosition();
  return (last === null ? 0 : last + 1) as GlobalPosition;
};

const expectRejected = async (promise: Promise<unknown>, guard: (e: unknown) => boolean) => {
  let caught: unknown = undefined;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, 'the append should have been refused').toBeDefined();
  expect(guard(caught), `unexpected error: ${String(caught)}`).toBe(true);
};

/**
 * The contract of the `EventStore` port. Every store runs it unchanged:
 *
 * @example
 * eventStoreConformance('in-memory', async () => {
 *   const store = new InMemoryEventStore();
 *   return { store, dispose: () => store.close() };
 * }, { densePositions: true, maxBuffered: 512, globalEventIds: true, acknowledgedBeforeVisible: true, recordedAtResolutionMs: 1 });
 */
export const eventStoreConformance = (
  name: string,
  factory: StoreFactory,
  capabilities: StoreCapabilities,
): void => {
  describe(`EventStore conformance: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: EventStore;
    beforeEach(async () => {
      subject = await factory();
      store = subject.store;
    });
    afterEach(async () => {
      await subject.dispose();
    });

    describe('appending and reading a stream', () => {
      it('records the envelope of every event', async () => {
        const s = streams().id('envelope');
        const id = uuid();
        const before = Date.now();
        const result = await store.appendToStream(
          s,
          [
            {
              ...event(1, id),
              metadata: {
                schemaVersion: 3,
                actor: 'clerk-1',
                correlationId: 'corr',
                causationId: 'cause',
                commandId: 'cmd',
              },
            },
          ],
          {
            expectedRevision: 'no_stream',
          },
        );
        const [recorded] = await store.readStream(s);
        expect(result.nextExpectedRevision).toBe(0);
        expect(recorded).toMatchObject({
          type: 'Tested',
          data: { n: 1, text: '事件 1 — événement' },
          streamId: s,
          revision: 0,
          position: result.position,
          eventId: id,
          metadata: {
            schemaVersion: 3,
            actor: 'clerk-1',
            correlationId: 'corr',
            causationId: 'cause',
            commandId: 'cmd',
          },
        });
        expect(recorded!.recordedAt).toBeInstanceOf(Date);
        expect(recorded!.recordedAt.getTime()).toBeGreaterThanOrEqual(before - 5_000);
        expect(recorded!.recordedAt.getTime()).toBeLessThanOrEqual(Date.now() + 5_000);
      });

      it('keeps revisions in order and reads ranges of a stream', async () => {
        const s = streams().id('ranges');
        await store.appendToStream(s, [event(0), event(1), event(2)], { expectedRevision: 'no_stream' });
        await store.appendToStream(s, [event(3), event(4)], { expectedRevision: revision(2) });
        const all = await store.readStream(s);
        expect(all.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
        expect(all.map((e) => (e.data as TestEvent['data']).n)).toEqual([0, 1, 2, 3, 4]);
        const middle = await store.readStream(s, { fromRevision: revision(1), toRevision: revision(3) });
        expect(middle.map((e) => e.revision)).toEqual([1, 2, 3]);
        const tail = await store.readStream(s, { fromRevision: revision(3) });
        expect(tail.map((e) => e.revision)).toEqual([3, 4]);
      });

      it('reads an unknown stream as empty', async () => {
        expect(await store.readStream(streams().id('nothing'))).toEqual([]);
      });

      it('reads a stream as it was known at a recorded time', async () => {
        const s = streams().id('until');
        const apart = Math.max(25, capabilities.recordedAtResolutionMs + 50);
        await store.appendToStream(s, [event(0)], { expectedRevision: 'no_stream' });
        await sleep(apart);
        await store.appendToStream(s, [event(1)], { expectedRevision: revision(0) });
        await sleep(apart);
        await store.appendToStream(s, [event(2)], { expectedRevision: revision(1) });
        const [e0, e1, e2] = await store.readStream(s);
        expect(e0!.recordedAt.getTime()).toBeLessThan(e1!.recordedAt.getTime());
        expect(e1!.recordedAt.getTime()).toBeLessThan(e2!.recordedAt.getTime());
        const knownAtSecond = await store.readStream(s, { untilRecordedAt: e1!.recordedAt });
        expect(knownAtSecond.map((e) => e.revision)).toEqual([0, 1]);
        const beforeAll = await store.readStream(s, {
          untilRecordedAt: new Date(e0!.recordedAt.getTime() - 1),
        });
        expect(beforeAll).toEqual([]);
      });
    });

    describe('expected revisions', () => {
      const cases: readonly {
        readonly title: string;
        readonly existing: number;
        readonly expected: (current: number) => ExpectedRevision;
        readonly accepted: boolean;
      }[] = [
        { title: 'any on a new stream', existing: 0, expected: () => 'any', accepted: true },
        { title: 'any on an existing stream', existing: 2, expected: () => 'any', accepted: true },
        { title: 'no_stream on a new stream', existing: 0, expected: () => 'no_stream', accepted: true },
        {
          title: 'no_stream on an existing stream',
          existing: 1,
          expected: () => 'no_stream',
          accepted: false,
        },
        {
          title: 'stream_exists on an existing stream',
          existing: 1,
          expected: () => 'stream_exists',
          accepted: true,
        },
        {
          title: 'stream_exists on a new stream',
          existing: 0,
          expected: () => 'stream_exists',
          accepted: false,
        },
        { title: 'the current revision', existing: 3, expected: (c) => revision(c), accepted: true },
        { title: 'a revision behind', existing: 3, expected: (c) => revision(c - 1), accepted: false },
        { title: 'a revision ahead', existing: 3, expected: (c) => revision(c + 1), accepted: false },
        { title: 'revision 0 on a new stream', existing: 0, expected: () => revision(0), accepted: false },
      ];
      for (const c of cases) {
        it(`${c.accepted ? 'accepts' : 'refuses, writing nothing,'} ${c.title}`, async () => {
          const s = streams().id('expected');
          if (c.existing > 0) {
            await store.appendToStream(
              s,
              Array.from({ length: c.existing }, (_, i) => event(i)),
              { expectedRevision: 'no_stream' },
            );
          }
          const append = store.appendToStream(s, [event(99)], {
            expectedRevision: c.expected(c.existing - 1),
          });
          if (c.accepted) {
            const result = await append;
            expect(result.nextExpectedRevision).toBe(c.existing);
          } else {
            await expectRejected(append, isWrongExpectedRevision);
          }
          const after = await store.readStream(s);
          expect(after).toHaveLength(c.accepted ? c.existing + 1 : c.existing);
        });
      }

      it('lets exactly one of two racing appends at the same revision win', async () => {
        const s = streams().id('race');
        await store.appendToStream(s, [event(0)], { expectedRevision: 'no_stream' });
        const results = await Promise.allSettled([
          store.appendToStream(s, [event(1)], { expectedRevision: revision(0) }),
          store.appendToStream(s, [event(2)], { expectedRevision: revision(0) }),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const failure = results.find((r) => r.status === 'rejected');
        expect(isWrongExpectedRevision(failure?.reason)).toBe(true);
        expect(await store.readStream(s)).toHaveLength(2);
      });
    });

    describe('idempotency by event id', () => {
      it('stores an event appended twice once and reports the first result again', async () => {
        const s = streams().id('idem');
        const id = uuid();
        const first = await store.appendToStream(s, [event(1, id)], { expectedRevision: 'no_stream' });
        const second = await store.appendToStream(s, [event(1, id)], { expectedRevision: 'no_stream' });
        expect(second).toEqual(first);
        expect(await store.readStream(s)).toHaveLength(1);
      });

      it('replays a whole batch, even with expected revision any', async () => {
        const s = streams().id('idembatch');
        await store.appendToStream(s, [event(0)], { expectedRevision: 'no_stream' });
        const batch = [event(1, uuid()), event(2, uuid()), event(3, uuid())];
        const first = await store.appendToStream(s, batch, { expectedRevision: revision(0) });
        expect(await store.appendToStream(s, batch, { expectedRevision: revision(0) })).toEqual(first);
        expect(await store.appendToStream(s, batch, { expectedRevision: 'any' })).toEqual(first);
        expect(await store.readStream(s)).toHaveLength(4);
      });

      it('answers a replay of an earlier batch without moving the stream back', async () => {
        const s = streams().id('replaymid');
        const [a, b, c, d] = [uuid(), uuid(), uuid(), uuid()];
        expect(
          (await store.appendToStream(s, [event(0, a)], { expectedRevision: 'no_stream' }))
            .nextExpectedRevision,
        ).toBe(0);
        await store.appendToStream(s, [event(1, b)], { expectedRevision: revision(0) });
        // A retry of the first append after a lost acknowledgement.
        expect(
          (await store.appendToStream(s, [event(0, a)], { expectedRevision: 'no_stream' }))
            .nextExpectedRevision,
        ).toBe(0);
        await expectRejected(
          store.appendToStream(s, [event(3, d)], { expectedRevision: revision(0) }),
          isWrongExpectedRevision,
        );
        expect(
          (await store.appendToStream(s, [event(2, c)], { expectedRevision: revision(1) }))
            .nextExpectedRevision,
        ).toBe(2);
        const stream = await store.readStream(s);
        expect(stream.map((e) => [e.eventId, e.revision])).toEqual([
          [a, 0],
          [b, 1],
          [c, 2],
        ]);
      });

      it(
        capabilities.globalEventIds
          ? 'refuses an event id already used in another stream'
          : 'keeps an event id reused in another stream apart (ids are unique per stream on this store)',
        async () => {
          const { id: named } = streams();
          const id = uuid();
          await store.appendToStream(named('one'), [event(1, id)], { expectedRevision: 'any' });
          const second = store.appendToStream(named('two'), [event(1, id)], { expectedRevision: 'any' });
          if (capabilities.globalEventIds) {
            await expectRejected(second, isDuplicateEventId);
            expect(await store.readStream(named('two'))).toEqual([]);
          } else {
            await second;
            expect(await store.readStream(named('two'))).toHaveLength(1);
          }
          expect(await store.readStream(named('one'))).toHaveLength(1);
        },
      );
    });

    describe('the global log', () => {
      it('orders events across streams in append order with strictly increasing positions', async () => {
        const { id: named } = streams();
        const from = await startOfTest(store);
        const appended: { stream: StreamId; result: AppendResult }[] = [];
        for (let i = 0; i < 12; i++) {
          const stream = named(`s${i % 3}`);
          appended.push({
            stream,
            result: await store.appendToStream(stream, [event(i)], { expectedRevision: 'any' }),
          });
        }
        const mine = (await collect(store.readAll({ fromPosition: from }))).filter((e) =>
          appended.some((a) => a.stream === e.streamId),
        );
        expect(mine.map((e) => (e.data as TestEvent['data']).n)).toEqual([...Array(12).keys()]);
        expect(mine.map((e) => e.position)).toEqual(appended.map((a) => a.result.position));
        for (let i = 1; i < mine.length; i++)
          expect(mine[i]!.position).toBeGreaterThan(mine[i - 1]!.position);
        if (capabilities.densePositions) {
          const all = await collect(store.readAll({ fromPosition: from }));
          all.forEach((e, i) => expect(e.position).toBe(from + i));
        }
      });

      it('reads from a position, at most a limit of events', async () => {
        const s = streams().id('limit');
        const from = await startOfTest(store);
        const results: AppendResult[] = [];
        for (let i = 0; i < 5; i++)
          results.push(await store.appendToStream(s, [event(i)], { expectedRevision: 'any' }));
        const page = await collect(store.readAll({ fromPosition: results[2]!.position, limit: 2 }));
        expect(page.map((e) => e.position)).toEqual([results[2]!.position, results[3]!.position]);
        expect((await collect(store.readAll({ fromPosition: from }))).length).toBeGreaterThanOrEqual(5);
        expect(await store.lastPosition()).toBe(results[4]!.position);
      });
    });

    describe('subscriptions', () => {
      it('catches up, says so, then delivers later appends live', async () => {
        const { id: named, prefix } = streams();
        const from = await startOfTest(store);
        await store.appendToStream(named('a'), [event(0), event(1)], { expectedRevision: 'any' });
        await store.appendToStream(named('b'), [event(2)], { expectedRevision: 'any' });
        const subscription = store.subscribeAll({ fromPosition: from });
        const iterator = subscription[Symbol.asyncIterator]();
        const received: number[] = [];
        const nextMessage = async (): Promise<SubscriptionMessage> => {
          const result = await iterator.next();
          if (result.done === true) throw new Error('subscription ended early');
          return result.value;
        };
        let message = await nextMessage();
        while (message.kind !== 'caughtUp') {
          if (message.event.streamId.startsWith(prefix))
            received.push((message.event.data as TestEvent['data']).n);
          message = await nextMessage();
        }
        expect(received).toEqual([0, 1, 2]);

        const live = (async () => {
          const got: number[] = [];
          while (got.length < 3) {
            const m = await nextMessage();
            if (m.kind === 'event' && m.event.streamId.startsWith(prefix))
              got.push((m.event.data as TestEvent['data']).n);
          }
          return got;
        })();
        await sleep(20);
        await store.appendToStream(named('a'), [event(3)], { expectedRevision: revision(1) });
        await store.appendToStream(named('c'), [event(4), event(5)], { expectedRevision: 'no_stream' });
        expect(await live).toEqual([3, 4, 5]);
        await subscription.close();
        expect((await iterator.next()).done).toBe(true);
      });

      it('starts from a position in the middle of the log', async () => {
        const s = streams().id('middle');
        const results: AppendResult[] = [];
        for (let i = 0; i < 4; i++)
          results.push(await store.appendToStream(s, [event(i)], { expectedRevision: 'any' }));
        const subscription = store.subscribeAll({ fromPosition: results[2]!.position });
        const seen: number[] = [];
        for await (const message of subscription) {
          if (message.kind === 'caughtUp') break;
          if (message.event.streamId === s) seen.push((message.event.data as TestEvent['data']).n);
        }
        expect(seen).toEqual([2, 3]);
        await subscription.close();
      });

      it('holds no more than a page ahead of a slow consumer, and loses nothing', async () => {
        const s = streams().id('slow');
        const from = await startOfTest(store);
        const total = 3_000;
        for (let i = 0; i < total / 2; i += 100) {
          await store.appendToStream(
            s,
            Array.from({ length: 100 }, (_, k) => event(i + k)),
            { expectedRevision: 'any' },
          );
        }
        const subscription = store.subscribeAll({ fromPosition: from });
        const writer = (async () => {
          for (let i = total / 2; i < total; i += 100) {
            await store.appendToStream(
              s,
              Array.from({ length: 100 }, (_, k) => event(i + k)),
              { expectedRevision: 'any' },
            );
          }
        })();
        const seen: number[] = [];
        let maxBuffered = 0;
        for await (const message of subscription) {
          maxBuffered = Math.max(maxBuffered, subscription.buffered);
          if (message.kind === 'event' && message.event.streamId === s) {
            seen.push((message.event.data as TestEvent['data']).n);
            if (seen.length % 250 === 0) await sleep(2);
          }
          if (seen.length === total) break;
        }
        await writer;
        await subscription.close();
        expect(seen).toEqual([...Array(total).keys()]);
        expect(maxBuffered).toBeLessThanOrEqual(capabilities.maxBuffered);
      });

      it('ends an iteration waiting for events when the subscription is closed', async () => {
        const subscription = store.subscribeAll({ fromPosition: await startOfTest(store) });
        const iterator = subscription[Symbol.asyncIterator]();
        const first = await iterator.next();
        expect(first.value).toMatchObject({ kind: 'caughtUp' });
        const pending = iterator.next();
        await sleep(10);
        await subscription.close();
        expect((await pending).done).toBe(true);
      });
    });

    describe('concurrent appenders (property)', () => {
      it('never lose an acknowledged event nor record two events at one (stream, revision)', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.array(
              fc.record({
                stream: fc.integer({ min: 0, max: 3 }),
                size: fc.integer({ min: 1, max: 3 }),
                mode: fc.constantFrom('any', 'exact', 'no_stream', 'stream_exists'),
                delay: fc.integer({ min: 0, max: 3 }),
              }),
              { minLength: 1, maxLength: 24 },
            ),
            async (appends) => {
              const { id: named } = streams();
              const heads = await Promise.all(
                [0, 1, 2, 3].map(async (i) => (await store.readStream(named(`p${i}`))).length - 1),
              );
              const settled = await Promise.allSettled(
                appends.map(async (a, i) => {
                  if (a.delay > 0) await sleep(a.delay);
                  const expectedRevision: ExpectedRevision =
                    a.mode === 'exact' ? revision(Math.max(heads[a.stream]!, 0)) : a.mode;
                  const batch = Array.from({ length: a.size }, (_, k) => event(i * 10 + k, uuid()));
                  const result = await store.appendToStream(named(`p${a.stream}`), batch, {
                    expectedRevision,
                  });
                  return { stream: named(`p${a.stream}`), batch, result, expectedRevision };
                }),
              );
              for (const outcome of settled) {
                if (outcome.status === 'rejected') expect(isWrongExpectedRevision(outcome.reason)).toBe(true);
              }
              const acknowledged = settled.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
              for (const i of [0, 1, 2, 3]) {
                const recorded = await store.readStream(named(`p${i}`));
                expect(recorded.map((e) => e.revision)).toEqual(recorded.map((_, k) => k));
                const ids = new Set(recorded.map((e) => e.eventId));
                expect(ids.size).toBe(recorded.length);
                const mine = acknowledged.filter((a) => a.stream === named(`p${i}`));
                expect(recorded).toHaveLength(mine.reduce((n, a) => n + a.batch.length, 0));
                for (const a of mine) {
                  const last = recorded.find((e) => e.eventId === a.batch[a.batch.length - 1]!.eventId);
                  expect(last?.revision).toBe(a.result.nextExpectedRevision);
                  expect(last?.position).toBe(a.result.position);
                  a.batch.forEach((b, k) => {
                    const stored = recorded.find((e) => e.eventId === b.eventId);
                    expect(stored?.revision).toBe(a.result.nextExpectedRevision - (a.batch.length - 1 - k));
                  });
                  // An acknowledged append found its stream exactly as it expected.
                  const firstRevision = a.result.nextExpectedRevision - a.batch.length + 1;
                  if (a.expectedRevision === 'no_stream') expect(firstRevision).toBe(0);
                  else if (a.expectedRevision === 'stream_exists') expect(firstRevision).toBeGreaterThan(0);
                  else if (a.expectedRevision !== 'any') expect(firstRevision).toBe(a.expectedRevision + 1);
                }
              }
            },
          ),
          { numRuns: 40 },
        );
      });

      it('append a batch once however many of its retries race it (caller event ids), each answered with the first result', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.array(
              fc.record({
                stream: fc.integer({ min: 0, max: 1 }),
                size: fc.integer({ min: 1, max: 3 }),
                delays: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 3 }),
              }),
              { minLength: 1, maxLength: 8 },
            ),
            async (plans) => {
              const { id: named } = streams();
              const batches = plans.map((plan, i) => ({
                stream: named(`r${plan.stream}`),
                events: Array.from({ length: plan.size }, (_, k) => event(i * 10 + k, uuid())),
              }));
              // Each batch sent once per delay: the copies are a client's retries, racing it.
              const calls = plans.flatMap((plan, i) => plan.delays.map((delay) => ({ i, delay })));
              const results = await Promise.all(
                calls.map(async ({ i, delay }) => {
                  if (delay > 0) await sleep(delay);
                  const batch = batches[i]!;
                  return {
                    i,
                    result: await store.appendToStream(batch.stream, batch.events, {
                      expectedRevision: 'any',
                    }),
                  };
                }),
              );
              for (const [i, batch] of batches.entries()) {
                const answers = results.filter((r) => r.i === i).map((r) => r.result);
                for (const answer of answers) expect(answer).toEqual(answers[0]);
                const recorded = await store.readStream(batch.stream);
                const mine = recorded.filter((e) => batch.events.some((b) => b.eventId === e.eventId));
                // Once each, in order, where the first answer says.
                expect(mine.map((e) => e.eventId)).toEqual(batch.events.map((e) => e.eventId));
                expect(mine.at(-1)?.revision).toBe(answers[0]?.nextExpectedRevision);
                expect(mine.at(-1)?.position).toBe(answers[0]?.position);
              }
              for (const stream of new Set(batches.map((b) => b.stream))) {
                const recorded = await store.readStream(stream);
                expect(recorded.map((e) => e.revision)).toEqual(recorded.map((_, k) => k));
              }
            },
          ),
          { numRuns: 30 },
        );
      });
    });

    describe('against a reference model (property; STORE_MODEL_RUNS sets the runs)', () => {
      it('keeps every acknowledged append, replays change nothing, readers see only acknowledged events, subscribers see each event once (R0, R3)', async () => {
        await checkStoreAgainstModel(store, {
          densePositions: capabilities.densePositions,
          acknowledgedBeforeVisible: capabilities.acknowledgedBeforeVisible,
          ...(capabilities.modelRuns === undefined ? {} : { numRuns: capabilities.modelRuns }),
        });
      }, 600_000);
    });

    describe('closing', () => {
      it('refuses to append once closed', async () => {
        await store.close();
        await expectRejected(
          store.appendToStream(streams().id('closed'), [event(1)], { expectedRevision: 'any' }),
          isStoreClosed,
        );
      });
    });
  });
};
