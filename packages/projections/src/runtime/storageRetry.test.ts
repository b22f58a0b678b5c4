import { StoreUnavailableError } from '@cogov/domain';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CANCELLED, StorageRetry, type Stall } from './storageRetry.ts';

const full = () => new StoreUnavailableError('writing the read models failed: No space left on device');

describe('StorageRetry', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('tries again while storage fails, waiting twice as long each time up to the longest wait, and reports each stall and the recovery', async () => {
    const retry = new StorageRetry({ firstMs: 10, maxMs: 40 });
    const attemptsAt: number[] = [];
    const stalls: (Stall | null)[] = [];
    const start = Date.now();
    const result = retry.run(
      () => {
        attemptsAt.push(Date.now() - start);
        return attemptsAt.length < 6 ? Promise.reject(full()) : Promise.resolve('committed');
      },
      (stall) => stalls.push(stall),
    );
    await vi.runAllTimersAsync();
    await expect(result).resolves.toBe('committed');
    // Waits of 10, 20, 40, 40, 40 ms between the six attempts.
    expect(attemptsAt).toEqual([0, 10, 30, 70, 110, 150]);
    expect(stalls.map((s) => s?.attempts ?? null)).toEqual([1, 2, 3, 4, 5, null]);
    // One stall, from its first failure: `since` does not move with each attempt.
    expect(new Set(stalls.filter((s) => s !== null).map((s) => s.since)).size).toBe(1);
    expect(stalls[0]?.error).toMatch(/No space left/);
  });

  it('throws any other error at once: it is the work’s own, and no wait cures it', async () => {
    const retry = new StorageRetry({ firstMs: 10, maxMs: 40 });
    let attempts = 0;
    const stalls: (Stall | null)[] = [];
    const handler = new Error('handler failed on event 42');
    await expect(
      retry.run(
        () => {
          attempts++;
          return Promise.reject(handler);
        },
        (stall) => stalls.push(stall),
      ),
    ).rejects.toBe(handler);
    expect(attempts).toBe(1);
    expect(stalls).toEqual([]);
  });

  it('cancelled mid-wait, resolves at once as cancelled and tries no more', async () => {
    const retry = new StorageRetry({ firstMs: 60_000, maxMs: 60_000 });
    let attempts = 0;
    const result = retry.run(
      () => {
        attempts++;
        return Promise.reject(full());
      },
      () => undefined,
    );
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts).toBe(1);
    retry.cancel();
    await expect(result).resolves.toBe(CANCELLED);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(attempts).toBe(1);
    // Once cancelled, later work is not even started.
    await expect(
      retry.run(
        () => Promise.resolve('late'),
        () => undefined,
      ),
    ).resolves.toBe(CANCELLED);
  });
});
