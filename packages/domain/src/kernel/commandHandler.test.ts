import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandHandler, InvalidEventError } from './commandHandler.ts';
import { reject, type Decider } from './decider.ts';
import { digestOf } from './digestSet.ts';
import { isCommandIdReused, isConcurrencyExhausted, isWrongExpectedRevision } from './errors.ts';
import { defineEvent, eventCatalog, type EventOf } from './events.ts';
import { streamIdOf, type StreamId, type StreamRevision } from './ids.ts';
import { InMemoryEventStore } from './inMemoryEventStore.ts';
import type { ReadStreamOptions } from './eventStore.ts';
import type { RecordedEvent } from './events.ts';
import { UpcasterRegistry } from './upcasting.ts';
import { z } from 'zod';

const Added = defineEvent('Added', z.strictObject({ n: z.number().int() }), { schemaVersion: 2 });
const catalog = eventCatalog([Added]);
type CounterEvent = EventOf<typeof Added>;
type CounterCommand = { readonly type: 'Add'; readonly id: string; readonly n: number };
interface Counter {
  readonly total: number;
  readonly count: number;
}

const counter: Decider<CounterCommand, CounterEvent, Counter, { readonly limit: number }> = {
  initialState: { total: 0, count: 0 },
  decide: (command, state, context) =>
    state.total + command.n > context.limit
      ? reject('LIMIT_REACHED', 'the counter would pass its limit', { limit: context.limit })
      : [{ type: 'Added', data: { n: command.n } }],
  evolve: (state, event) => ({ total: state.total + event.data.n, count: state.count + 1 }),
};

const setup = (options: { cacheSize?: number } = {}) => {
  const store = new InMemoryEventStore();
  const handler = new CommandHandler(store, {
    decider: counter,
    streamOf: (c: CounterCommand) => streamIdOf('counter', c.id),
    catalog,
    ...options,
  });
  return { store, handler };
};
const context = () => ({ limit: 1_000_000 });

describe('CommandHandler', () => {
  it('loads, decides and appends with the loaded revision and metadata', async () => {
    const { store, handler } = setup();
    await handler.handle({ type: 'Add', id: 'a', n: 2 }, { context, actor: 'clerk' });
    const result = await handler.handle({ type: 'Add', id: 'a', n: 3 }, { context, commandId: 'c-2' });
    expect(result).toMatchObject({
      status: 'accepted',
      revision: 1,
      state: { total: 5, count: 2 },
      replayed: false,
    });
    const events = await store.readStream(streamIdOf('counter', 'a'));
    expect(events.map((e) => e.metadata)).toEqual([
      { schemaVersion: 2, actor: 'clerk' },
      { schemaVersion: 2, commandId: 'c-2', causationId: 'c-2', correlationId: 'c-2' },
    ]);
  });

  it('returns a rejection as a value and appends nothing', async () => {
    const { store, handler } = setup();
    const result = await handler.handle({ type: 'Add', id: 'a', n: 5 }, { context: () => ({ limit: 3 }) });
    expect(result).toMatchObject({ status: 'rejected', rejection: { code: 'LIMIT_REACHED' }, revision: -1 });
    expect(await store.lastPosition()).toBeNull();
  });

  it('returns the first result for a repeated command id and appends nothing', async () => {
    const { store, handler } = setup();
    const first = await handler.handle({ type: 'Add', id: 'a', n: 4 }, { context, commandId: 'once' });
    const again = await handler.handle({ type: 'Add', id: 'a', n: 4 }, { context, commandId: 'once' });
    expect(again).toMatchObject({
      status: 'accepted',
      replayed: true,
      revision: 0,
      events: [{ type: 'Added', data: { n: 4 } }],
    });
    expect(again.status === 'accepted' && again.position).toBe(first.status === 'accepted' && first.position);
    expect(await store.readStream(streamIdOf('counter', 'a'))).toHaveLength(1);
  });

  it('recognises a repeated command id from the store when its cache is cold', async () => {
    const { store } = setup();
    const warm = new CommandHandler(store, {
      decider: counter,
      streamOf: (c: CounterCommand) => streamIdOf('counter', c.id),
    });
    await warm.handle({ type: 'Add', id: 'a', n: 4 }, { context, commandId: 'once' });
    for (let i = 0; i < 300; i++)
      await warm.handle({ type: 'Add', id: 'a', n: 1 }, { context, commandId: `more-${i}` });
    const cold = new CommandHandler(store, {
      decider: counter,
      streamOf: (c: CounterCommand) => streamIdOf('counter', c.id),
    });
    const again = await cold.handle({ type: 'Add', id: 'a', n: 4 }, { context, commandId: 'once' });
    expect(again).toMatchObject({ status: 'accepted', replayed: true, revision: 0 });
    const againWarm = await warm.handle({ type: 'Add', id: 'a', n: 4 }, { context, commandId: 'once' });
    expect(againWarm).toMatchObject({ status: 'accepted', replayed: true, revision: 0 });
    expect(await store.readStream(streamIdOf('counter', 'a'))).toHaveLength(301);
  });

  it('refuses a repeated command id sent with another command, from a warm cache and from the store alike', async () => {
    const { store, handler } = setup();
    await handler.handle({ type: 'Add', id: 'a', n: 4 }, { context, commandId: 'k', commandHash: 'h-1' });
    await expect(
      handler.handle({ type: 'Add', id: 'a', n: 5 }, { context, commandId: 'k', commandHash: 'h-2' }),
    ).rejects.toSatisfy(isCommandIdReused);
    const cold = new CommandHandler(store, {
      decider: counter,
      streamOf: (c: CounterCommand) => streamIdOf('counter', c.id),
    });
    await expect(
      cold.handle({ type: 'Add', id: 'a', n: 5 }, { context, commandId: 'k', commandHash: 'h-2' }),
    ).rejects.toSatisfy(isCommandIdReused);
    const same = await cold.handle(
      { type: 'Add', id: 'a', n: 4 },
      { context, commandId: 'k', commandHash: 'h-1' },
    );
    expect(same).toMatchObject({ status: 'accepted', replayed: true });
    expect(await store.readStream(streamIdOf('counter', 'a'))).toHaveLength(1);
  });

  it('checks a caller-given expected revision and does not retry it', async () => {
    const { handler } = setup();
    await handler.handle({ type: 'Add', id: 'a', n: 1 }, { context });
    await expect(
      handler.handle({ type: 'Add', id: 'a', n: 1 }, { context, expectedRevision: 5 as StreamRevision }),
    ).rejects.toSatisfy(isWrongExpectedRevision);
    const ok = await handler.handle(
      { type: 'Add', id: 'a', n: 1 },
      { context, expectedRevision: 0 as StreamRevision },
    );
    expect(ok).toMatchObject({ status: 'accepted', revision: 1 });
  });

  it('stops an invalid event before it reaches the store', async () => {
    const store = new InMemoryEventStore();
    const broken = new CommandHandler(store, {
      decider: { ...counter, decide: () => [{ type: 'Added' as const, data: { n: 1.5 } }] },
      streamOf: (c: CounterCommand) => streamIdOf('counter', c.id),
      catalog,
    });
    await expect(broken.handle({ type: 'Add', id: 'a', n: 1 }, { context })).rejects.toBeInstanceOf(
      InvalidEventError,
    );
    expect(await store.lastPosition()).toBeNull();
  });

  it('gives up with a typed error when conflicts never stop', async () => {
    const { store } = setup();
    const handler = new CommandHandler(store, {
      decider: counter,
      streamOf: (c: CounterCommand) => streamIdOf('counter', c.id),
      maxAttempts: 3,
    });
    // A rival writes between every load and append.
    const rival = new CommandHandler(store, {
      decider: counter,
      streamOf: (c: CounterCommand) => streamIdOf('counter', c.id),
    });
    const interfering = async () => {
      await rival.handle({ type: 'Add', id: 'a', n: 1 }, { context });
      return context();
    };
    await expect(handler.handle({ type: 'Add', id: 'a', n: 1 }, { context: interfering })).rejects.toSatisfy(
      isConcurrencyExhausted,
    );
  });

  it('reads a stream as it was at a revision or a recorded time', async () => {
    const { handler } = setup();
    for (const n of [1, 2, 3]) await handler.handle({ type: 'Add', id: 'a', n }, { context });
    const atRevision = await handler.loadAt(streamIdOf('counter', 'a'), { revision: 1 as StreamRevision });
    expect(atRevision.state).toEqual({ total: 3, count: 2 });
    const atTime = await handler.loadAt(streamIdOf('counter', 'a'), { recordedAt: new Date(0) });
    expect(atTime).toMatchObject({ revision: -1, state: { total: 0, count: 0 } });
  });

  it('applies upcasters to old events on load', async () => {
    const store = new InMemoryEventStore();
    const stream = streamIdOf('counter', 'old');
    await store.appendToStream(
      stream,
      [{ type: 'Added', data: { amount: 7 }, metadata: { schemaVersion: 1 } }],
      {
        expectedRevision: 'no_stream',
      },
    );
    const handler = new CommandHandler(store, {
      decider: counter,
      streamOf: (c: CounterCommand) => streamIdOf('counter', c.id),
      catalog,
      upcasters: new UpcasterRegistry().register('Added', 1, (data) => ({
        n: (data as { amount: number }).amount,
      })),
    });
    expect((await handler.load(stream)).state).toEqual({ total: 7, count: 1 });
  });
});

describe('CommandHandler (properties)', () => {
  it('folding a stream twice gives the same state (determinism)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 40 }), async (amounts) => {
        const { store, handler } = setup({ cacheSize: 0 });
        for (const n of amounts) await handler.handle({ type: 'Add', id: 'x', n }, { context });
        const once = await handler.load(streamIdOf('counter', 'x'));
        const twice = await handler.load(streamIdOf('counter', 'x'));
        expect(twice).toEqual(once);
        expect(once.state.total).toBe(amounts.reduce((a, b) => a + b, 0));
        await store.close();
      }),
    );
  });

  it('loses no update under concurrent commands from independent handlers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ handler: fc.integer({ min: 0, max: 3 }), n: fc.integer({ min: 1, max: 9 }) }), {
          minLength: 1,
          maxLength: 30,
        }),
        async (commands) => {
          const store = new InMemoryEventStore();
          const handlers = [0, 1, 2, 3].map(
            () =>
              new CommandHandler(store, {
                decider: counter,
                streamOf: (c: CounterCommand) => streamIdOf('counter', c.id),
                maxAttempts: 100,
              }),
          );
          const slowContext = async () => {
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 2));
            return context();
          };
          const results = await Promise.all(
            commands.map((c) =>
              handlers[c.handler]!.handle({ type: 'Add', id: 'shared', n: c.n }, { context: slowContext }),
            ),
          );
          expect(results.every((r) => r.status === 'accepted')).toBe(true);
          const fresh = new CommandHandler(store, {
            decider: counter,
            streamOf: (c: CounterCommand) => streamIdOf('counter', c.id),
          });
          const { state } = await fresh.load(streamIdOf('counter', 'shared'));
          expect(state).toEqual({ total: commands.reduce((a, c) => a + c.n, 0), count: commands.length });
        },
      ),
      { numRuns: 50 },
    );
  });

  it('runs concurrent commands on one stream in turn: no conflict within a process, even without retries', async () => {
    const store = new InMemoryEventStore();
    const handler = new CommandHandler(store, {
      decider: counter,
      streamOf: (c: CounterCommand) => streamIdOf('counter', c.id),
      maxAttempts: 1,
    });
    const slowContext = async () => {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2));
      return context();
    };
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        handler.handle({ type: 'Add', id: i % 4 === 0 ? 'other' : 'hot', n: 1 }, { context: slowContext }),
      ),
    );
    expect(results.every((r) => r.status === 'accepted')).toBe(true);
    // Each stream's commands got consecutive revisions in the order they were given.
    const hot = results.filter((r) => r.streamId === streamIdOf('counter', 'hot'));
    expect(hot.map((r) => r.revision)).toEqual(hot.map((_, k) => k));
    // A command that throws does not stop the ones queued behind it.
    const failing = handler.handle(
      { type: 'Add', id: 'hot', n: 1 },
      {
        context: () => {
          throw new Error('the facts could not be read');
        },
      },
    );
    const after = handler.handle({ type: 'Add', id: 'hot', n: 1 }, { context });
    await expect(failing).rejects.toThrow('the facts could not be read');
    expect(await after).toMatchObject({ status: 'accepted', revision: hot.length });
  });

  it('keeps command ids idempotent on a stream of any length, and reads it only to check an id it may hold', async () => {
    // A stream with more command ids than a folded state keeps (256, now 16): a new id used to cost a read
    // of the whole stream, so every command on a long stream cost as much as the stream.
    const [collidesWith, collider] = digestCollision('c-');
    // The first id, long dropped from those kept, shares its digest with a later new one.
    const prefix = [collidesWith, ...Array.from({ length: 299 }, (_, i) => `p-${i}`)];
    const later = [...Array.from({ length: 30 }, (_, i) => `q-${i}`), collider];
    const action = fc.record({
      id: fc.oneof(fc.constantFrom(...prefix), fc.constantFrom(...later)),
      n: fc.integer({ min: 1, max: 3 }),
      cold: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 60 }), async (actions) => {
        const store = new CountingStore();
        const handlerFor = () =>
          new CommandHandler(store, {
            decider: counter,
            streamOf: (c: CounterCommand) => streamIdOf('counter', c.id),
          });
        let handler = handlerFor();
        /** The model: each id's first command and the revision it was recorded at. */
        const first = new Map<string, { n: number; revision: number }>();
        let revision = -1;
        const run = async (id: string, n: number) => {
          const before = store.eventsRead;
          const outcome = await handler
            .handle({ type: 'Add', id: 'long', n }, { context, commandId: id, commandHash: `h-${n}` })
            .catch((error: unknown) => error);
          return { outcome, read: store.eventsRead - before };
        };
        for (const [i, id] of prefix.entries()) {
          const { outcome } = await run(id, 1);
          expect(outcome).toMatchObject({ status: 'accepted', replayed: false, revision: i });
          first.set(id, { n: 1, revision: i });
          revision = i;
        }
        for (const { id, n, cold } of actions) {
          if (cold) handler = handlerFor();
          const { outcome, read } = await run(id, n);
          const known = first.get(id);
          if (known === undefined) {
            revision++;
            expect(outcome).toMatchObject({ status: 'accepted', replayed: false, revision });
            first.set(id, { n, revision });
            // A new id: a warm handler reads nothing, a cold one folds the stream once; only an
            // id whose digest an older one has costs a read of the stream to tell them apart.
            expect(read).toBe((cold ? revision : 0) + (id === collider ? revision : 0));
          } else if (known.n === n) {
            expect(outcome).toMatchObject({
              status: 'accepted',
              replayed: true,
              revision: known.revision,
              events: [{ type: 'Added', data: { n } }],
            });
          } else {
            expect(isCommandIdReused(outcome)).toBe(true);
          }
        }
        const recorded = await store.readStream(streamIdOf('counter', 'long'));
        expect(recorded.map((e) => e.metadata.commandId)).toEqual(
          [...first.entries()].sort((a, b) => a[1].revision - b[1].revision).map(([id]) => id),
        );
      }),
      { numRuns: 15 },
    );
  });
});

/** An in-memory store that counts the events its stream reads return. */
class CountingStore extends InMemoryEventStore {
  eventsRead = 0;

  override async readStream(
    streamId: StreamId,
    options?: ReadStreamOptions,
  ): Promise<readonly RecordedEvent[]> {
    const events = await super.readStream(streamId, options);
    this.eventsRead += events.length;
    return events;
  }
}

/** Two different strings with one digest (a birthday search: about 80 000 tries). */
const digestCollision = (prefix: string): [string, string] => {
  const seen = new Map<number, string>();
  for (let i = 0; ; i++) {
    const value = `${prefix}${i}`;
    const other = seen.get(digestOf(value));
    if (other !== undefined) return [other, value];
    seen.set(digestOf(value), value);
  }
};
