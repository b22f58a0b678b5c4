import type { StreamId } from '@cogov/domain/kernel';
import fc from 'fast-check';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORRUPTIONS, flipOnDisk, RawLog } from '../testing/corrupt.ts';
import { tempDirectory } from '../testing/directories.ts';
import { LmdbEventStore } from './lmdbEventStore.ts';

/** R8 locally: `R8_RUNS=1000 pnpm vitest run corruption`. */
const RUNS = Number(process.env.R8_RUNS ?? 300);

/** A log of random appends: a few streams, batches of one to five events, some large ones. */
const writeLog = async (directory: string, seed: number): Promise<void> => {
  const random = fc.sample(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { numRuns: 400, seed });
  let r = 0;
  const next = () => (random[r++ % random.length] as number) / 2 ** 31;
  const store = await LmdbEventStore.open({ path: directory });
  try {
    const appends = 40 + Math.floor(next() * 40);
    for (let i = 0; i < appends; i++) {
      const stream = `member-${Math.floor(next() * 6)}` as StreamId;
      const count = 1 + Math.floor(next() * 5);
      await store.appendToStream(
        stream,
        Array.from({ length: count }, (_, k) => ({
          type: 'MemberAppointed',
          data: {
            i,
            k,
            name: '张三'.repeat(1 + Math.floor(next() * 3)),
            note: 'x'.repeat(Math.floor(next() * 3000)),
          },
          metadata: { schemaVersion: 1, actor: 'clerk-huitong' },
        })),
        { expectedRevision: 'any' },
      );
    }
  } finally {
    await store.close();
  }
};

describe('a corrupted log (R8): every corruption found at its position, no false alarm', () => {
  const directories: string[] = [];
  const logs: RawLog[] = [];
  beforeAll(async () => {
    for (let seed = 1; seed <= 3; seed++) {
      const directory = tempDirectory('cogov-r8-');
      directories.push(directory);
      await writeLog(directory, seed);
      logs.push(new RawLog(directory));
    }
  });
  afterAll(async () => {
    for (const log of logs) await log.close();
    for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  });

  it('verifies the clean logs', () => {
    for (const log of logs)
      expect(log.verify()).toMatchObject({ break: null, events: expect.any(Number) as number });
  });

  it(`finds each of ${RUNS} random corruptions at its position, and none once it is undone`, () => {
    const found: Record<string, number> = {};
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 }),
        fc.constantFrom(...CORRUPTIONS),
        fc.infiniteStream(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })),
        (which, kind, randoms) => {
          const log = logs[which] as RawLog;
          const iterator = randoms[Symbol.iterator]();
          const corruption = log.corrupt(kind, () => iterator.next().value as number);
          try {
            const report = log.verify();
            expect(report.break, corruption.description).not.toBeNull();
            expect(report.break?.position, `${corruption.description}: ${report.break?.detail}`).toBe(
              corruption.position,
            );
            if (corruption.streamId !== null) expect(report.break?.streamId).toBe(corruption.streamId);
            found[kind] = (found[kind] ?? 0) + 1;
          } finally {
            corruption.undo();
          }
          expect(log.verify().break).toBeNull();
        },
      ),
      { numRuns: RUNS },
    );
    // Every kind was tried.
    expect(Object.keys(found).sort()).toEqual([...CORRUPTIONS].sort());
  });

  it('finds a byte flipped in the file on disk, at the record holding it', async () => {
    const directory = tempDirectory('cogov-r8-disk-');
    try {
      await writeLog(directory, 7);
      let tried = 0;
      for (let run = 0; run < 20; run++) {
        const random = fc.sample(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
          numRuns: 3,
          seed: run,
        });
        const log = new RawLog(directory);
        const keys = log.keys();
        const key = keys[Math.floor((random[0] as number) * keys.length)] as number;
        const bytes = Buffer.from(log.records.getBinary(key) as Buffer);
        await log.close();
        const flip = flipOnDisk(directory, bytes, () => random[1] as number);
        if (flip === null) continue;
        tried++;
        const damaged = new RawLog(directory);
        try {
          expect(damaged.verify().break).toMatchObject({ kind: 'damaged', position: key });
        } finally {
          await damaged.close();
          flip.undo();
        }
        const store = await LmdbEventStore.open({ path: directory });
        try {
          expect(store.verify().break).toBeNull();
        } finally {
          await store.close();
        }
      }
      expect(tried).toBeGreaterThan(10);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('raises no false alarm while appends go on (verifying in slices, beside the writer)', async () => {
    const directory = tempDirectory('cogov-r8-live-');
    const store = await LmdbEventStore.open({ path: directory });
    let writing = true;
    let writer: Promise<void> = Promise.resolve();
    try {
      writer = (async () => {
        for (let i = 0; writing; i++)
          await Promise.all(
            Array.from({ length: 8 }, (_, k) =>
              store.appendToStream(`s-${k}` as StreamId, [{ type: 'T', data: { i } }], {
                expectedRevision: 'any',
              }),
            ),
          );
      })();
      while ((await store.lastPosition()) === null) await new Promise((resolve) => setTimeout(resolve, 5));
      for (let round = 0; round < 10; round++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        const report = await store.verifyInSlices();
        expect(report.break).toBeNull();
        expect(report.events).toBeGreaterThan(0);
      }
      writing = false;
      await writer;
      expect(store.verify()).toMatchObject({ break: null, events: ((await store.lastPosition()) ?? -1) + 1 });
    } finally {
      writing = false;
      await writer;
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
