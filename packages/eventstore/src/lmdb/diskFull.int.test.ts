import { isStoreUnavailable, type RecordedEvent, type StreamId } from '@cogov/domain/kernel';
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
});
