import { isStoreUnavailable } from '@cogov/domain';
import { fillFilesystem, smallFilesystem } from '@cogov/eventstore/testing';
import { ReadModelStore } from '@cogov/projections';
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IdempotencyStore } from './idempotency.ts';

describe('the Idempotency-Key store on a full disk (R7)', () => {
  it('refuses an answer it cannot store with StoreUnavailableError, leaves no rejection unhandled, and stores again once there is space', async () => {
    const fs = smallFilesystem(24);
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    let store = ReadModelStore.open({ path: fs.path, mapSize: 64 * 1024 * 1024 });
    let ballast: string | undefined;
    try {
      let keys = new IdempotencyStore(store, 3_600_000);
      const answer = (n: number) => ({
        fingerprint: `f-${n}`,
        status: 201,
        headers: { etag: `"${n}"` },
        body: { note: '网格员走访记录 '.repeat(50), n },
        at: Date.now(),
      });
      let stored = 0;
      for (; stored < 10; stored++) await keys.put(`client\u0000key-${stored}`, answer(stored));
      ballast = fillFilesystem(fs.path);
      let failure: unknown;
      for (let n = stored; n < 50_000 && failure === undefined; n++) {
        try {
          await keys.put(`client\u0000key-${n}`, answer(n));
          stored = n + 1;
        } catch (error) {
          failure = error;
        }
      }
      expect(isStoreUnavailable(failure), String(failure)).toBe(true);
      expect(String(failure)).toMatch(/No space left on device/);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(unhandled.map(String)).toEqual([]);

      rmSync(ballast);
      ballast = undefined;
      await keys.put('client\u0000after', answer(-1));
      expect(keys.get('client\u0000after')?.fingerprint).toBe('f--1');
      // What was acknowledged before the disk filled is there after a reopen.
      await store.close();
      store = ReadModelStore.open({ path: fs.path, mapSize: 64 * 1024 * 1024 });
      keys = new IdempotencyStore(store, 3_600_000);
      expect(stored).toBeGreaterThan(0);
      expect(keys.get(`client\u0000key-${stored - 1}`)?.fingerprint).toBe(`f-${stored - 1}`);
    } finally {
      process.off('unhandledRejection', listener);
      if (ballast !== undefined) rmSync(ballast, { force: true });
      await store.close().catch(() => undefined);
      fs.release();
    }
  });
});
