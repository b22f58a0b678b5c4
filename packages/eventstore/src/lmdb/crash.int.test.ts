import type { RecordedEvent } from '@cogov/domain/kernel';
import { fork } from 'node:child_process';
import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirectory } from '../testing/directories.ts';
import type { Ack } from '../testing/crashWriter.ts';
import { LmdbEventStore } from './lmdbEventStore.ts';

/** 20 in CI; `pnpm test:crash` runs 100. */
const RUNS = Number(process.env['CRASH_RUNS'] ?? 20);

const crashOnce = async (dir: string, run: number, killAfterMs: number): Promise<Ack[]> => {
  const child = fork(join(import.meta.dirname, '../testing/crashWriter.ts'), [dir, String(run)], {
    execArgv: ['--conditions=source', '--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const acks: Ack[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.on('message', (message) => {
      if (message === 'ready') resolve();
      else acks.push(message as Ack);
    });
    child.once('exit', (code, signal) => reject(new Error(`writer exited early: ${code} ${signal}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, killAfterMs));
  child.kill('SIGKILL');
  await exited;
  return acks;
};

describe('LmdbEventStore under SIGKILL (R1)', () => {
  it(`loses no acknowledged event, leaves no gap and no partial batch, and accepts appends again (${RUNS} kills)`, async () => {
    const dir = tempDirectory('cogov-crash-');
    const acknowledged: Ack[] = [];
    try {
      for (let run = 0; run < RUNS; run++) {
        acknowledged.push(...(await crashOnce(dir, run, 20 + Math.floor(Math.random() * 250))));
        const store = await LmdbEventStore.open({ path: dir });
        try {
          const all: RecordedEvent[] = [];
          for await (const event of store.readAll()) all.push(event);
          // Checked in plain code and asserted once: hundreds of thousands of expect() calls would dominate the run.
          const problems: string[] = [];
          all.forEach((event, i) => {
            if (event.position !== i) problems.push(`gap: position ${event.position} at index ${i}`);
          });
          const byId = new Map(all.map((e) => [e.eventId as string, e]));
          for (const ack of acknowledged) {
            ack.ids.forEach((id, j) => {
              const event = byId.get(id);
              if (event === undefined) problems.push(`acknowledged event ${id} lost`);
              else if (
                event.streamId !== ack.stream ||
                event.revision !== ack.revision - (ack.ids.length - 1 - j)
              ) {
                problems.push(`acknowledged event ${id} moved`);
              }
            });
            if (byId.get(ack.ids[ack.ids.length - 1] as string)?.position !== ack.position)
              problems.push(`position of ${ack.position} differs`);
          }
          // Every batch is all there or not at all, and every payload reads back intact.
          const batches = new Map<string, number>();
          for (const event of all) {
            if (event.type !== 'Crashed') continue;
            const data = event.data as { run: number; k: number; j: number; sum: number };
            if (data.sum !== (data.run * 7 + data.k * 31 + data.j * 17) % 9973)
              problems.push(`payload of ${event.eventId} damaged`);
            const key = `${data.run}:${data.k}`;
            batches.set(key, (batches.get(key) ?? 0) + 1);
          }
          for (const [key, count] of batches) {
            const k = Number(key.split(':')[1]);
            if (count !== (k % 5 === 0 ? 10 : 1)) problems.push(`batch ${key} is partial (${count} events)`);
          }
          expect(problems.slice(0, 10), `run ${run}`).toEqual([]);
          // The store takes appends again after the crash.
          const after = await store.appendToStream(
            'crash-after' as never,
            [{ type: 'After', data: { run } }],
            { expectedRevision: 'any' },
          );
          expect(after.position).toBe(all.length);
        } finally {
          await store.close();
        }
      }
      expect(acknowledged.length).toBeGreaterThan(RUNS * 10);
      // `pnpm test:reliability` reads the figures of the run from here.
      const figures = process.env['COGOV_FIGURES'];
      if (figures !== undefined)
        appendFileSync(
          figures,
          `${JSON.stringify({
            id: 'R1',
            kills: RUNS,
            acknowledgedAppends: acknowledged.length,
            acknowledgedEvents: acknowledged.reduce((n, a) => n + a.ids.length, 0),
            lost: 0,
            gaps: 0,
            partialBatches: 0,
          })}\n`,
        );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
