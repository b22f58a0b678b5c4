import {
  InMemoryEventStore,
  type EventStore,
  type RecordedEvent,
  type StreamId,
  type Subscription,
} from '@cogov/domain';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { concatMap, from as rxFrom } from 'rxjs';
import { batches, Gate } from './batchSource.ts';
import type { Projection } from './projection.ts';
import { Projector } from './projector.ts';
import { ReadModelStore } from './readModelStore.ts';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length > 0) rmSync(dirs.pop() as string, { recursive: true, force: true });
});
const readModelStore = () => {
  const dir = mkdtempSync(join(tmpdir(), 'cogov-rm-'));
  dirs.push(dir);
  return ReadModelStore.open({ path: dir });
};

/** Counts events per stream; throws on an event whose data says so (a poison event). */
const counting = (name: string, version = 1, weight = 1): Projection<'counts'> => ({
  name,
  version,
  databases: ['counts'],
  apply(dbs, events) {
    for (const event of events) {
      if ((event.data as { poison?: boolean }).poison === true) throw new Error('cannot digest this');
      dbs.counts.putSync(
        event.streamId,
        ((dbs.counts.get(event.streamId) as number | undefined) ?? 0) + weight,
      );
    }
  },
});

const fill = async (store: EventStore, n: number, from = 0) => {
  for (let i = from; i < from + n; i++) {
    await store.appendToStream(`s-${i % 7}` as StreamId, [{ type: 'Tick', data: { i } }], {
      expectedRevision: 'any',
    });
  }
};
const count = (projector: Projector, name: string, stream: string) =>
  (projector.databases<'counts'>(name).counts.get(stream) as number | undefined) ?? 0;

describe('Projector', () => {
  it('catches up, follows live appends, and answers read-your-writes waits', async () => {
    const store = new InMemoryEventStore();
    await fill(store, 100);
    const rm = readModelStore();
    const projector = new Projector(store, rm, [counting('a')], { batchSize: 16 });
    await projector.start();
    expect(await projector.waitFor(99, 5_000)).toBe(true);
    // Ready comes with the subscription's caught-up signal, which may follow the last event's batch.
    expect(await projector.waitUntilReady(10_000)).toBe(true);
    const result = await store.appendToStream('s-0' as StreamId, [{ type: 'Tick', data: { i: 100 } }], {
      expectedRevision: 'any',
    });
    expect(await projector.waitFor(result.position, 5_000)).toBe(true);
    expect(count(projector, 'a', 's-0')).toBe(16);
    expect(await projector.waitFor(10_000, 50)).toBe(false);
    await projector.stop();
    await rm.close();
  });

  it('counts every event exactly once across stops and restarts', async () => {
    const store = new InMemoryEventStore();
    const rm = readModelStore();
    for (let round = 0; round < 5; round++) {
      await fill(store, 60, round * 60);
      const projector = new Projector(store, rm, [counting('a')], { batchSize: 7 });
      await projector.start();
      // Stop part-way through catching up, or after, depending on the round.
      if (round % 2 === 0) await new Promise((r) => setTimeout(r, 1));
      else await projector.waitFor(round * 60 + 59, 5_000);
      await projector.stop();
    }
    const projector = new Projector(store, rm, [counting('a')], { batchSize: 7 });
    await projector.start();
    expect(await projector.waitFor(299, 5_000)).toBe(true);
    const total = [0, 1, 2, 3, 4, 5, 6].reduce((sum, s) => sum + count(projector, 'a', `s-${s}`), 0);
    expect(total).toBe(300);
    await projector.stop();
    await rm.close();
  });

  it('reads the log once for every projection, each applying every event exactly once from its own checkpoint', async () => {
    const inner = new InMemoryEventStore();
    let subscriptions = 0;
    const store: EventStore = Object.assign(Object.create(inner) as EventStore, {
      subscribeAll: (options: Parameters<EventStore['subscribeAll']>[0]) => {
        subscriptions++;
        return inner.subscribeAll(options);
      },
    });
    const rm = readModelStore();
    await fill(inner, 120);
    // "a" alone first, over the first 120 events.
    const first = new Projector(store, rm, [counting('a')], { batchSize: 9 });
    await first.start();
    expect(await first.waitFor(119, 5_000)).toBe(true);
    await first.stop();
    expect(rm.checkpoint('a', 1)).toBe(119);
    await fill(inner, 80, 120);
    // Then "a" with two new projections, from checkpoints far apart, on one subscription.
    subscriptions = 0;
    const projector = new Projector(store, rm, [counting('a'), counting('b'), counting('c', 1, 2)], {
      batchSize: 9,
    });
    await projector.start();
    expect(await projector.waitFor(199, 5_000)).toBe(true);
    expect(subscriptions).toBe(1);
    const total = (name: string) =>
      [0, 1, 2, 3, 4, 5, 6].reduce((sum, s) => sum + count(projector, name, `s-${s}`), 0);
    expect([total('a'), total('b'), total('c')]).toEqual([200, 200, 400]);
    await projector.stop();
    await rm.close();
  });

  it('stops only the projection a poison event breaks, naming it, its position and the event type', async () => {
    const store = new InMemoryEventStore();
    await fill(store, 10);
    await store.appendToStream('s-bad' as StreamId, [{ type: 'Spoiled', data: { poison: true } }], {
      expectedRevision: 'any',
    });
    await fill(store, 10, 10);
    const rm = readModelStore();
    const healthy: Projection<'counts'> = {
      ...counting('healthy'),
      apply: (dbs, events) =>
        counting('x').apply(
          dbs,
          events.filter((e) => e.type !== 'Spoiled'),
        ),
    };
    const projector = new Projector(store, rm, [counting('fragile'), healthy], { batchSize: 64 });
    await projector.start();
    expect(await projector.waitFor(20, 500)).toBe(false);
    const fragile = projector.status().find((s) => s.projection === 'fragile');
    expect(fragile).toMatchObject({
      state: 'failed',
      position: 9,
      failure: { projection: 'fragile', position: 10, type: 'Spoiled', streamId: 's-bad' },
    });
    expect(projector.status().find((s) => s.projection === 'healthy')).toMatchObject({
      state: 'live',
      position: 20,
    });
    // The events before the poison one were kept (the batch was split), nothing after it.
    const counted = [0, 1, 2, 3, 4, 5, 6].reduce((sum, s) => sum + count(projector, 'fragile', `s-${s}`), 0);
    expect(counted).toBe(10);
    expect(projector.ready()).toBe(false);
    await projector.stop();
    await rm.close();
  });

  it('rebuilds a new version beside the old one, which serves until the switch (blue/green)', async () => {
    const store = new InMemoryEventStore();
    await fill(store, 70);
    const rm = readModelStore();
    const v1 = new Projector(store, rm, [counting('p', 1, 1)]);
    await v1.start();
    await v1.waitFor(69, 5_000);
    await v1.stop();
    // Version 2 counts double: it builds in a new slot; the old slot's figures are served meanwhile.
    const v2 = new Projector(store, rm, [counting('p', 2, 2)], { batchSize: 5 });
    const slotBefore = rm.slots('p');
    await v2.start();
    expect(count(v2, 'p', 's-0')).toBe(10);
    // The old version's slot serves frozen, so the projector is ready only once the new one is in.
    expect(await v2.waitUntilReady(10_000)).toBe(true);
    expect(rm.slots('p')).toMatchObject({
      active: { version: 2, slot: (slotBefore.active?.slot ?? 0) + 1 },
      building: null,
    });
    expect(count(v2, 'p', 's-0')).toBe(20);
    await v2.stop();
    await rm.close();
  });

  it('reports no difference when a rebuild of the same version matches, and the differences when it does not', async () => {
    const store = new InMemoryEventStore();
    await fill(store, 50);
    const rm = readModelStore();
    const projector = new Projector(store, rm, [counting('p')]);
    await projector.start();
    await projector.waitFor(49, 5_000);
    const report = await projector.rebuild('p');
    expect(report).toMatchObject({
      projection: 'p',
      differences: 0,
      comparedAt: { active: 49, rebuilt: 49 },
    });
    // Corrupt the serving slot by hand: the next rebuild finds it and switches to a correct slot.
    await rm.write(() => projector.databases<'counts'>('p').counts.putSync('s-3', 999));
    const repaired = await projector.rebuild('p');
    expect(repaired.differences).toBe(1);
    expect(repaired.samples[0]).toMatchObject({ database: 'counts', key: 's-3', active: 999, rebuilt: 7 });
    expect(count(projector, 'p', 's-3')).toBe(7);
    await projector.stop();
    await rm.close();
  });

  it('runs one rebuild of a projection at a time: a second request (a retry, a second admin) gets the first one’s report, and the serving slot keeps its data', async () => {
    const store = new InMemoryEventStore();
    await fill(store, 70);
    const rm = readModelStore();
    const projector = new Projector(store, rm, [counting('p')]);
    await projector.start();
    await projector.waitFor(69, 5_000);
    const first = projector.rebuild('p', { timeoutMs: 2_000 });
    const second = projector.rebuild('p', { timeoutMs: 2_000 });
    const [a, b] = await Promise.allSettled([first, second]);
    expect(a).toMatchObject({ status: 'fulfilled', value: { differences: 0 } });
    expect(b).toEqual(a);
    // Long after either could have given up, the slot answering queries still holds every count.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    for (let s = 0; s < 7; s++) expect(count(projector, 'p', `s-${s}`), `s-${s}`).toBe(10);
    expect(projector.status().map((p) => [p.role, p.state])).toEqual([['active', 'live']]);
    await projector.stop();
    await rm.close();
  });
});

describe('batches (the batch source)', () => {
  it('reads no further ahead of a slow consumer than one batch plus one subscription page', async () => {
    const store = new InMemoryEventStore();
    await fill(store, 5_000);
    const inner = store.subscribeAll({});
    let pulled = 0;
    const counted: Subscription = {
      get buffered() {
        return inner.buffered;
      },
      close: () => inner.close(),
      [Symbol.asyncIterator]: () => {
        const iterator = inner[Symbol.asyncIterator]();
        return {
          next: async () => {
            const result = await iterator.next();
            if (result.done !== true && result.value.kind === 'event') pulled++;
            return result;
          },
        };
      },
    };
    const gate = new Gate();
    let consumed = 0;
    let maxAhead = 0;
    for await (const batch of batches(counted, { size: 100, maxWaitMs: 5 }, gate)) {
      maxAhead = Math.max(maxAhead, pulled - consumed);
      await new Promise((r) => setTimeout(r, 1));
      consumed += batch.events.length;
      gate.open();
      if (batch.caughtUp) break;
    }
    await counted.close();
    expect(consumed).toBe(5_000);
    expect(maxAhead).toBeLessThanOrEqual(100);
  });

  it('assembles the next batch while one commits, and never more than that one ahead', async () => {
    const store = new InMemoryEventStore();
    await fill(store, 5_000);
    const inner = store.subscribeAll({});
    let pulled = 0;
    const counted: Subscription = {
      get buffered() {
        return inner.buffered;
      },
      close: () => inner.close(),
      [Symbol.asyncIterator]: () => {
        const iterator = inner[Symbol.asyncIterator]();
        return {
          next: async () => {
            const result = await iterator.next();
            if (result.done !== true && result.value.kind === 'event') pulled++;
            return result;
          },
        };
      },
    };
    // Consumed as the projection feed consumes it: rxjs pulls eagerly, concatMap commits one by one.
    const gate = new Gate();
    let committed = 0;
    let maxAhead = 0;
    const positions: number[] = [];
    await new Promise<void>((resolve, reject) => {
      const subscription = rxFrom(batches(counted, { size: 100, maxWaitMs: 5 }, gate))
        .pipe(
          concatMap((batch) =>
            rxFrom(
              (async () => {
                // A commit that takes a while (its write to disk): the source reads meanwhile.
                await new Promise((r) => setTimeout(r, 3));
                maxAhead = Math.max(maxAhead, pulled - committed);
                for (const event of batch.events) positions.push(event.position);
                committed += batch.events.length;
                if (batch.caughtUp) {
                  subscription.unsubscribe();
                  resolve();
                }
              })().finally(() => gate.open()),
            ),
          ),
        )
        .subscribe({ error: reject });
    });
    await counted.close();
    expect(positions).toEqual(Array.from({ length: 5_000 }, (_, i) => i));
    // One batch committing and the next assembled (a page of the store may be read into a third)…
    expect(maxAhead).toBeLessThanOrEqual(2 * 100 + inner.buffered + 512);
    // …and the next one is assembled during the commit, not after it.
    expect(maxAhead).toBeGreaterThan(100);
  });

  it('live, waits for each commit before taking more, so what arrives meanwhile makes one batch', async () => {
    const store = new InMemoryEventStore();
    const inner = store.subscribeAll({});
    let pulled = 0;
    const counted: Subscription = {
      get buffered() {
        return inner.buffered;
      },
      close: () => inner.close(),
      [Symbol.asyncIterator]: () => {
        const iterator = inner[Symbol.asyncIterator]();
        return {
          next: async () => {
            const result = await iterator.next();
            if (result.done !== true && result.value.kind === 'event') pulled++;
            return result;
          },
        };
      },
    };
    const gate = new Gate();
    let committed = 0;
    const pulledDuringCommits: number[] = [];
    const sizes: number[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const subscription = rxFrom(batches(counted, { size: 100, maxWaitMs: 0 }, gate))
        .pipe(
          concatMap((batch) =>
            rxFrom(
              (async () => {
                const before = pulled;
                await new Promise((r) => setTimeout(r, 10));
                pulledDuringCommits.push(pulled - before);
                committed += batch.events.length;
                if (batch.events.length > 0) sizes.push(batch.events.length);
                if (committed >= 40) {
                  subscription.unsubscribe();
                  resolve();
                }
              })().finally(() => gate.open()),
            ),
          ),
        )
        .subscribe({ error: reject });
    });
    for (let i = 0; i < 40; i++) {
      await store.appendToStream('s-live' as StreamId, [{ type: 'Tested', data: { i } }], {
        expectedRevision: 'any',
      });
      await new Promise((r) => setTimeout(r, 1));
    }
    await done;
    await counted.close();
    // Nothing is read while a live batch commits…
    expect(pulledDuringCommits.every((n) => n === 0)).toBe(true);
    // …so the events that arrive during a commit are taken together: fewer commits than events.
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(40);
    expect(sizes.length).toBeLessThan(40);
  });

  it('fills each batch to its size while catching up, however small the store reads its pages', async () => {
    const store = new InMemoryEventStore();
    await fill(store, 2_500);
    const inner = store.subscribeAll({});
    // A store whose every event is a read of its own: nothing is ever buffered ahead.
    const unbuffered: Subscription = {
      buffered: 0,
      close: () => inner.close(),
      [Symbol.asyncIterator]: () => {
        const iterator = inner[Symbol.asyncIterator]();
        return {
          next: async () => {
            await new Promise((r) => setImmediate(r));
            return iterator.next();
          },
        };
      },
    };
    const gate = new Gate();
    const sizes: number[] = [];
    for await (const batch of batches(unbuffered, { size: 1_000, maxWaitMs: 0 }, gate)) {
      sizes.push(batch.events.length);
      gate.open();
      if (batch.caughtUp) break;
    }
    await unbuffered.close();
    // Three transactions for the rebuild, not one per event (or per page).
    expect(sizes).toEqual([1_000, 1_000, 500]);
  });

  it('cuts a batch after the wait when no more events come, and says when it caught up', async () => {
    const store = new InMemoryEventStore();
    await fill(store, 3);
    const subscription = store.subscribeAll({});
    const gate = new Gate();
    const iterator = batches(subscription, { size: 100, maxWaitMs: 20 }, gate);
    const first = await iterator.next();
    expect(first.value).toMatchObject({ caughtUp: true, position: 2 });
    expect((first.value as { events: RecordedEvent[] }).events).toHaveLength(3);
    gate.open();
    // Both events in one append: they arrive together, however busy the machine.
    let appended: Promise<unknown> = Promise.resolve();
    setTimeout(() => {
      appended = store.appendToStream(
        's-3' as StreamId,
        [3, 4].map((i) => ({ type: 'Tick', data: { i } })),
        { expectedRevision: 'any' },
      );
    }, 10);
    const second = await iterator.next();
    expect((second.value as { events: RecordedEvent[] }).events.map((e) => e.position)).toEqual([3, 4]);
    await appended;
    await subscription.close();
  });
});
