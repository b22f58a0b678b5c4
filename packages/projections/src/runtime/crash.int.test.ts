import { CogovService, LIUYANG_2013 } from '@cogov/domain';
import { isDataDirectoryError } from '@cogov/eventstore';
import { LmdbEventStore } from '@cogov/eventstore/lmdb';
import { changsha, ScenarioClock } from '@cogov/testkit/scenarios';
import { fork } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReadModels } from '../readModels.ts';
import { exactlyOnceProblems } from '../testing/exactlyOnce.ts';
import { ReadModelStore } from './readModelStore.ts';

/** 20 in CI; `pnpm test:crash` runs 100. */
const RUNS = Number(process.env['CRASH_RUNS'] ?? 20);

describe('the projector under SIGKILL (R2)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cogov-projector-crash-'));
  const storePath = join(dir, 'events');
  const readModelsPath = join(dir, 'read-models');
  const worldFile = join(dir, 'world.json');

  beforeAll(async () => {
    const clock = new ScenarioClock();
    const store = await LmdbEventStore.open({ path: storePath, clock: clock.now });
    await changsha.run({ store, clock, scale: 0.004, concurrency: 16 });
    const members = new Map<string, string[]>();
    for await (const event of store.readAll()) {
      if (event.type !== 'MemberRegistered') continue;
      const data = event.data as { memberId: string; category: string; communityId: string | null };
      if (data.category === 'in-service' || data.communityId === null) continue;
      members.set(data.communityId, [...(members.get(data.communityId) ?? []), data.memberId]);
    }
    writeFileSync(
      worldFile,
      JSON.stringify([...members].map(([community, list]) => ({ community, members: list }))),
    );
    await store.close();
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const crashOnce = async (run: number, killAfterMs: number, checkLock: boolean) => {
    const child = fork(
      join(import.meta.dirname, '../testing/crashProjector.ts'),
      [storePath, readModelsPath, String(run), worldFile],
      {
        execArgv: ['--conditions=source', '--import', 'tsx'],
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      },
    );
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code, signal) => reject(new Error(`projector exited early: ${code} ${signal}`)));
    });
    if (checkLock) {
      // A second projector on the same read models is refused: it would apply the log twice.
      let refused: unknown;
      try {
        await ReadModelStore.open({ path: readModelsPath }).close();
      } catch (error) {
        refused = error;
      }
      expect(isDataDirectoryError(refused) && refused.problem).toBe('locked');
    }
    await new Promise((resolve) => setTimeout(resolve, killAfterMs));
    child.kill('SIGKILL');
    await exited;
  };

  it(`read models equal a fresh rebuild after every kill, and no point is awarded twice (${RUNS} kills)`, async () => {
    let projectedByChildren = 0;
    let killedMidway = 0;
    let events = 0;
    for (let run = 0; run < RUNS; run++) {
      await crashOnce(run, 30 + Math.floor(Math.random() * 1_200), run === 0);

      const store = await LmdbEventStore.open({ path: storePath });
      const readModels = openReadModels({
        path: readModelsPath,
        store,
        cogov: new CogovService({ store, policy: LIUYANG_2013 }),
      });
      try {
        const slot = readModels.store.slots('statistics').active?.slot ?? 1;
        const before = readModels.store.checkpoint('statistics', slot);
        await readModels.start();
        // Catch up, the process manager's late awards included.
        for (let last = -2; ;) {
          const now = (await store.lastPosition()) ?? -1;
          expect(await readModels.waitFor(now, 60_000)).toBe(true);
          await new Promise((resolve) => setTimeout(resolve, 50));
          if (now === last && (readModels.processManager?.status().position ?? now) >= now) break;
          last = now;
        }
        projectedByChildren += Math.max(0, before + 1);
        if (before >= 0 && before < ((await store.lastPosition()) ?? -1)) killedMidway++;
        events = ((await store.lastPosition()) ?? -1) + 1;

        // Each event once: rebuilt read models equal these, and each cause scores once.
        const problems = await exactlyOnceProblems(readModels, store);
        expect(problems, `run ${run}`).toEqual([]);
      } finally {
        await readModels.close();
        await store.close();
      }
    }
    // The kills landed while the children were projecting (not only before they started).
    expect(projectedByChildren).toBeGreaterThan(0);
    // `pnpm test:reliability` reads the figures of the run from here.
    const figures = process.env['COGOV_FIGURES'];
    if (figures !== undefined)
      appendFileSync(
        figures,
        `${JSON.stringify({ id: 'R2', kills: RUNS, killedMidway, events, differences: 0, countedTwice: 0 })}\n`,
      );
  }, 900_000);
});
