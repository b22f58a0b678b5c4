import { LmdbEventStore } from '@cogov/eventstore/lmdb';
import { changsha, ScenarioClock } from '@cogov/testkit/scenarios';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface Fixture {
  /** The LMDB event store's directory. */
  readonly path: string;
  readonly events: number;
  readonly scale: number;
}

const FIXTURES = resolve('.bench', 'fixtures');

/**
 * The changsha scenario's log at a scale, written once through the real command handler and kept
 * under `.bench/fixtures/` for later runs (at scale 1, about a million events and three minutes to
 * write on two cores). A run that was interrupted is started again.
 */
export const changshaLog = async (scale: number): Promise<Fixture> => {
  const path = join(FIXTURES, `changsha-${scale}`);
  const marker = join(path, 'complete.json');
  if (existsSync(marker))
    return { path, ...(JSON.parse(readFileSync(marker, 'utf8')) as Omit<Fixture, 'path'>) };
  rmSync(path, { recursive: true, force: true });
  const clock = new ScenarioClock();
  // 'commit': a fixture is written once and checked by its marker; no need to wait for each fsync.
  const store = await LmdbEventStore.open({ path, clock: clock.now, durability: 'commit' });
  const started = performance.now();
  let lastReport = 0;
  try {
    await changsha.run({
      store,
      clock,
      scale,
      concurrency: 64,
      onProgress: ({ commands, label }) => {
        if (performance.now() - lastReport < 5_000) return;
        lastReport = performance.now();
        console.error(`#   changsha ${scale}: ${commands} commands (${label})`);
      },
    });
    const events = ((await store.lastPosition()) ?? -1) + 1;
    writeFileSync(marker, JSON.stringify({ events, scale }));
    console.error(
      `# wrote the changsha log at scale ${scale}: ${events} events in ${Math.round((performance.now() - started) / 1000)} s`,
    );
    return { path, events, scale };
  } finally {
    await store.close();
  }
};
