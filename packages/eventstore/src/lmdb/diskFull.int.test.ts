import {
  isStoreUnavailable,
  type AppendResult,
  type RecordedEvent,
  type StreamId,
} from '@cogov/domain/kernel';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { smallFilesystem } from '../testing/directories.ts';
import { LmdbEventStore } from './lmdbEventStore.ts';

const text = '网格员走访记录 '.repeat(200);

describe('LmdbEventStore on a full disk (R7)', () => {
  it('refuses appends with a typed error, half-writes nothing, and carries on once space is freed', async () => {
    const fs = smallFilesystem(24);
    const ballast = join(dirname(fs.path), 'ballast');
    writeFileSync(ballast, Buffer.alloc(4 * 1024 * 1024));
    const store = await LmdbEventStore.open({ path: fs.path, mapSize: 64 * 1024 * 1024 });
    try {
      const streams = ['full-a', 'full-b', 'full-c'] as StreamId[];
      let failure: unknown;
      let acknowledged = 0;
      for (let i = 0; i < 5_000 && failure === undefined; i++) {
        const batch = await Promise.allSettled(
          streams.map((s) =>
            store.appendToStream(s, [{ type: 'Filled', data: { i, text } }], { expectedRevision: 'any' }),
          ),
        );
        for (const r of batch) {
          if (r.status === 'fulfilled') acknowledged++;
          else failure = r.reason;
        }
      }
      expect(isStoreUnavailable(failure), String(failure)).toBe(true);

      const check = async () => {
        const all: RecordedEvent[] = [];
        for await (const e of store.readAll()) all.push(e);
        all.forEach((e, i) => expect(e.position).toBe(i));
        for (const s of streams) {
          const events = await store.readStream(s);
          expect(events.map((e) => e.revision)).toEqual(events.map((_, k) => k));
        }
        return all.length;
      };
      expect(await check()).toBe(acknowledged);

      rmSync(ballast);
      const after = await store.appendToStream(streams[0]!, [{ type: 'AfterSpace', data: {} }], {
        expectedRevision: 'any',
      });
      expect(after.position).toBe(acknowledged);
      expect(await check()).toBe(acknowledged + 1);
    } finally {
      await store.close();
      fs.release();
    }
  });

  it('answers every append made while others are in flight when the disk fills, leaves no gap, and closes', async () => {
    // Appends pipelined over many turns, as concurrent clients make them, so that groups queue
    // behind a transaction that fails. lmdb-js answered neither the transactions queued behind a
    // failed one nor the flushes waiting on them (those appends waited for ever), and its close
    // waited for ever for the flush of a failed transaction.
    const fs = smallFilesystem(24);
    const ballast = join(dirname(fs.path), 'ballast');
    writeFileSync(ballast, Buffer.alloc(4 * 1024 * 1024));
    let store = await LmdbEventStore.open({ path: fs.path, mapSize: 64 * 1024 * 1024 });
    const streams = ['piped-a', 'piped-b', 'piped-c', 'piped-d'] as StreamId[];
    const appends: { streamId: StreamId; tag: number; outcome: Promise<AppendResult> }[] = [];
    let refused = 0;
    let answered = 0;
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    const within = async <T>(promise: Promise<T>, what: () => string): Promise<T> => {
      let timer: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          promise,
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(what())), 15_000);
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
    };
    // Several groups in flight at once: a few appends a turn, never awaiting their acknowledgement.
    const pipeline = async (turns: number, stop: () => boolean) => {
      for (let t = 0; t < turns && !stop(); t++) {
        for (let k = 0; k < 3; k++) {
          const streamId = streams[(t + k) % streams.length] as StreamId;
          const tag = appends.length;
          const outcome = store.appendToStream(streamId, [{ type: 'Filled', data: { tag, text } }], {
            expectedRevision: 'any',
          });
          outcome.then(
            () => answered++,
            () => (answered++, refused++),
          );
          appends.push({ streamId, tag, outcome });
        }
        await turn();
      }
    };
    try {
      await pipeline(20_000, () => refused > 0);
      expect(refused).toBeGreaterThan(0);
      // Go on writing to the full disk for a while, still pipelined.
      await pipeline(50, () => false);
      const results = await within(
        Promise.allSettled(appends.map((a) => a.outcome)),
        () => `${appends.length - answered} of ${appends.length} appends never answered`,
      );
      for (const r of results)
        if (r.status === 'rejected') expect(isStoreUnavailable(r.reason), String(r.reason)).toBe(true);

      const all: RecordedEvent[] = [];
      for await (const e of store.readAll()) all.push(e);
      all.forEach((e, i) => expect(e.position).toBe(i));
      for (const s of streams) {
        const events = await store.readStream(s);
        expect(events.map((e) => e.revision)).toEqual(events.map((_, k) => k));
      }
      // Each acknowledged append is where its acknowledgement said; each refused one is nowhere.
      const byTag = new Map(all.map((e) => [(e.data as { tag: number }).tag, e]));
      results.forEach((r, i) => {
        const { streamId, tag } = appends[i] as (typeof appends)[number];
        const recorded = byTag.get(tag);
        if (r.status === 'rejected') return expect(recorded).toBeUndefined();
        expect(recorded?.streamId).toBe(streamId);
        expect(recorded?.position).toBe(r.value.position);
        expect(recorded?.revision).toBe(r.value.nextExpectedRevision);
      });
      expect(byTag.size).toBe(results.filter((r) => r.status === 'fulfilled').length);

      // Closes with the disk still full; opens again once there is space, whole, and goes on.
      await within(store.close(), () => 'close never finished after a failed write');
      rmSync(ballast);
      store = await LmdbEventStore.open({ path: fs.path, mapSize: 64 * 1024 * 1024 });
      const report = store.verify();
      expect(report.break).toBeNull();
      expect(report.events).toBe(all.length);
      const after = await store.appendToStream(streams[0]!, [{ type: 'AfterSpace', data: {} }], {
        expectedRevision: 'any',
      });
      expect(after.position).toBe(all.length);
    } finally {
      await store.close();
      fs.release();
    }
  });

  it('closes after a failed write while the disk is still full', async () => {
    const fs = smallFilesystem(24);
    writeFileSync(join(dirname(fs.path), 'ballast'), Buffer.alloc(4 * 1024 * 1024));
    const store = await LmdbEventStore.open({ path: fs.path, mapSize: 64 * 1024 * 1024 });
    try {
      let failure: unknown;
      for (let i = 0; i < 5_000 && failure === undefined; i++)
        await store
          .appendToStream('full-one' as StreamId, [{ type: 'Filled', data: { i, text } }], {
            expectedRevision: 'any',
          })
          .catch((error: unknown) => (failure = error));
      expect(isStoreUnavailable(failure), String(failure)).toBe(true);
      let timer: NodeJS.Timeout | undefined;
      const closed = await Promise.race([
        store.close().then(() => 'closed'),
        new Promise((resolve) => {
          timer = setTimeout(() => resolve('still closing after 10 s'), 10_000);
        }),
      ]);
      clearTimeout(timer);
      expect(closed).toBe('closed');
    } finally {
      fs.release();
    }
  });
});
