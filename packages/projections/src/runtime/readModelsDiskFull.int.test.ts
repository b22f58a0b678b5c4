import { readOnlyDirectory, smallFilesystem } from '@cogov/eventstore/testing';
import { isDataDirectoryError } from '@cogov/storage';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReadModelStore } from './readModelStore.ts';

const text = '网格员走访记录 '.repeat(200);

/** Rejections nobody handled while `run` ran (and shortly after): each would end a server. */
const unhandledDuring = async (run: () => Promise<void>): Promise<unknown[]> => {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await run();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
};

describe('the read models on a full disk (R7)', () => {
  it('refuse a batch with its cause and no unhandled rejection, close, and open again whole once there is space', async () => {
    const fs = smallFilesystem(24);
    const ballast = join(dirname(fs.path), 'ballast');
    writeFileSync(ballast, Buffer.alloc(4 * 1024 * 1024));
    let store = ReadModelStore.open({ path: fs.path, mapSize: 64 * 1024 * 1024 });
    const committed = new Map<string, number>();
    try {
      for (const write of ['write', 'writeNow'] as const) {
        let failure: unknown;
        const unhandled = await unhandledDuring(async () => {
          const db = store.database<string, number>('statistics', 1, write);
          for (let i = 0; i < 20_000 && failure === undefined; i++) {
            const batch = () => {
              for (let k = 0; k < 10; k++) db.putSync(i * 10 + k, text);
            };
            try {
              if (write === 'write') await store.write(batch);
              else store.writeNow(batch);
              committed.set(write, i);
            } catch (error) {
              failure = error;
            }
          }
        });
        expect(unhandled.map(String), write).toEqual([]);
        expect(String(failure), write).toMatch(/space|Input\/output|ENOSPC|MDB_MAP_FULL|No space/i);
      }
      // Closing reports that the read models could not be flushed, but closes and lets go.
      const closing = await unhandledDuring(async () => {
        await store.close().catch(() => undefined);
      });
      expect(closing.map(String)).toEqual([]);
      rmSync(ballast);
      store = ReadModelStore.open({ path: fs.path, mapSize: 64 * 1024 * 1024 });
      // Every batch acknowledged before the disk filled is there.
      expect(committed.get('write')).toBeGreaterThan(0);
      for (const [name, last] of committed)
        for (let k = 0; k < 10; k++)
          expect(store.database<string, number>('statistics', 1, name).get(last * 10 + k)).toBe(text);
      const db = store.database<string, number>('statistics', 1, 'writeNow');
      store.writeNow(() => db.putSync(-1, 'after'));
      expect(db.get(-1)).toBe('after');
    } finally {
      await store.close().catch(() => undefined);
      fs.release();
    }
  });
});

describe('the read models on a read-only volume (R7)', () => {
  it('are refused with the directory named and the real cause, not ENOENT', () => {
    const readOnly = readOnlyDirectory();
    try {
      const path = join(readOnly.path, 'read-models');
      let error: unknown;
      try {
        ReadModelStore.open({ path });
      } catch (thrown) {
        error = thrown;
      }
      expect(isDataDirectoryError(error) && error.problem).toBe('read-only');
      expect(String(error)).toContain(path);
      expect(String(error)).toMatch(/EROFS|EACCES/);
      expect(String(error)).not.toContain('ENOENT');
    } finally {
      readOnly.release();
    }
  });
});
