import { CogovService, LIUYANG_2013, type EventStore, type RecordedEvent } from '@cogov/domain';
import { LmdbEventStore } from '@cogov/eventstore/lmdb';
import { fillFilesystem, smallFilesystem, tempDirectory } from '@cogov/eventstore/testing';
import { changsha, ScenarioClock } from '@cogov/testkit/scenarios';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReadModels, type ReadModels } from '../readModels.ts';
import { exactlyOnceProblems } from '../testing/exactlyOnce.ts';
import type { RunnerStatus } from './runner.ts';

const until = async (what: string, condition: () => boolean, timeoutMs = 30_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** Appends the source's events from `from` on, as they were (same streams and revisions). */
const copy = async (source: RecordedEvent[], target: EventStore, from: number, to: number) => {
  for (const event of source.slice(from, to))
    await target.appendToStream(
      event.streamId,
      [{ type: event.type, data: event.data, metadata: event.metadata }],
      {
        expectedRevision: event.revision === 0 ? 'no_stream' : ((event.revision - 1) as never),
      },
    );
};

describe('the projector on a full disk (R7)', () => {
  const dir = tempDirectory('cogov-stall-');
  let log: RecordedEvent[] = [];

  beforeAll(async () => {
    const clock = new ScenarioClock();
    const store = await LmdbEventStore.open({ path: join(dir, 'scenario'), clock: clock.now });
    await changsha.run({ store, clock, scale: 0.004, concurrency: 16 });
    for await (const event of store.readAll()) log.push(event);
    await store.close();
  }, 120_000);

  afterAll(() => {
    log = [];
    rmSync(dir, { recursive: true, force: true });
  });

  for (const phase of ['catching up', 'live'] as const) {
    it(`${phase}, stalls on the batch it cannot commit, retries it without blaming an event, and resumes exactly once when space comes back${phase === 'catching up' ? ' (after a stop mid-stall)' : ''}`, async () => {
      const fs = smallFilesystem(48);
      const store = await LmdbEventStore.open({ path: join(dir, `events-${phase.replace(' ', '-')}`) });
      let readModels: ReadModels | undefined;
      let ballast: string | undefined;
      let snapshot: { done(): void } | undefined;
      try {
        // Live: the read models have caught up with the first half before the disk fills.
        // Catching up: they were started once on an empty log (their slots exist), then the whole
        // log arrives while they are closed.
        const half = phase === 'live' ? Math.floor(log.length / 2) : 0;
        await copy(log, store, 0, half);
        // Catching up, the points process manager runs too: its checkpoint is in the read models.
        const open = () =>
          openReadModels({
            path: fs.path,
            store,
            retry: { firstMs: 20, maxMs: 200 },
            ...(phase === 'catching up' ? { cogov: new CogovService({ store, policy: LIUYANG_2013 }) } : {}),
          });
        readModels = open();
        await readModels.start();
        await until('the read models are live', () => readModels?.ready() === true);
        if (phase === 'catching up') {
          await readModels.close();
          await copy(log, store, 0, log.length);
          readModels = open();
        }
        const models = readModels;
        ballast = fillFilesystem(fs.path);
        // A reader held open keeps every page a commit frees from being reused: each write then
        // needs pages the volume no longer has, however small (the process manager's checkpoint).
        snapshot = models.store.root.useReadTransaction();
        const active = () => models.projector.status().filter((s) => s.role === 'active');
        for (const runner of active()) expect(runner.stall).toBeNull();
        const at = models.projector.minimumPosition();
        if (phase === 'live') await copy(log, store, half, log.length);
        else await models.start();

        const seen: RunnerStatus[] = [];
        // Several attempts fail: each is seen as a stall, none as a poison event.
        await until('a read model has retried three times', () =>
          active().some((s) => (s.stall?.attempts ?? 0) >= 3),
        );
        for (const status of active()) {
          seen.push(status);
          expect(status.state, status.projection).not.toBe('failed');
          expect(status.failure, status.projection).toBeNull();
        }
        if (phase === 'catching up') {
          await until(
            'the process manager has retried its checkpoint',
            () => (models.processManager?.status().stall?.attempts ?? 0) >= 2,
          );
          expect(models.processManager?.status()).toMatchObject({ state: 'running', error: null });
        }
        const stalled = seen.find((s) => s.stall !== null);
        expect(stalled?.stall?.error).toMatch(/space|ENOSPC|Input\/output|MDB_/i);
        expect(Date.parse(stalled?.stall?.since ?? '')).not.toBeNaN();
        // Nothing was committed past the last batch that fitted: the stall holds its position.
        expect(models.projector.minimumPosition()).toBeLessThan(log.length - 1);
        expect(models.projector.minimumPosition()).toBeGreaterThanOrEqual(at);

        snapshot.done();
        snapshot = undefined;
        if (phase === 'catching up') {
          // Stopped mid-stall, the retries end at once (the flush of the close fails: the disk is
          // still full); the next start resumes from the checkpoints.
          const stopping = Date.now();
          await models.close().catch(() => undefined);
          readModels = undefined;
          expect(Date.now() - stopping).toBeLessThan(5_000);
        }
        rmSync(ballast);
        ballast = undefined;
        if (readModels === undefined) {
          readModels = open();
          await readModels.start();
        }
        const resumed = readModels;
        // Until the log stands still: the process manager's awards, if any, go to the log too.
        for (let last = -2; ;) {
          const now = (await store.lastPosition()) ?? -1;
          expect(await resumed.waitFor(now, 60_000)).toBe(true);
          await new Promise((resolve) => setTimeout(resolve, 50));
          if (now === last && (resumed.processManager?.status().position ?? now) >= now) break;
          last = now;
        }
        await until('every read model is live again', () => resumed.ready());
        const end = (await store.lastPosition()) ?? -1;
        for (const status of resumed.projector.status()) {
          expect(status.stall, status.projection).toBeNull();
          expect(status.failure, status.projection).toBeNull();
          expect(status.position, status.projection).toBe(end);
        }
        if (phase === 'catching up')
          expect(resumed.processManager?.status()).toMatchObject({
            state: 'running',
            error: null,
            stall: null,
            position: end,
          });
        // Exactly once: rebuilt read models equal the stalled ones, and each cause scores once.
        expect(await exactlyOnceProblems(resumed, store)).toEqual([]);
        const count = resumed
          .statistics()
          .total('meetings.held', { scope: 'r:changsha' }, '1990-01-01' as never, '2100-12-31' as never);
        const held = log.filter((e) => e.type === 'JointMeetingHeld').length;
        expect(held).toBeGreaterThan(0);
        expect(count).toBe(held);
      } finally {
        snapshot?.done();
        if (ballast !== undefined) rmSync(ballast, { force: true });
        await readModels?.close().catch(() => undefined);
        await store.close();
        fs.release();
      }
    }, 180_000);
  }
});
