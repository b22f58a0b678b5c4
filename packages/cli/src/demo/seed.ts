import { type Config, dataPaths, sealingPersonalData } from '@cogov/api';
import { LmdbEventStore } from '@cogov/eventstore/lmdb';
import { SCENARIOS, ScenarioClock, type ScenarioResult } from '@cogov/testkit/scenarios';
import { unsafe, type EventStore } from '@cogov/domain';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Progress } from '../progress.ts';

export const SCENARIO_NAMES = Object.keys(SCENARIOS);

/**
 * Writes a seed scenario into the configured store through the real command handler, on the
 * scenario's simulated days (so recorded times follow the business dates). Refuses a store that
 * already holds events unless `force`: a demo never mixes into real records.
 */
export const seedScenario = async (
  config: Config,
  name: string,
  options: { readonly scale?: number; readonly force?: boolean; readonly progress?: Progress } = {},
): Promise<(ScenarioResult & { readonly lastPosition: number }) | null> => {
  const scenario = SCENARIOS[name];
  if (scenario === undefined)
    throw new Error(`unknown scenario ${name}; known: ${SCENARIO_NAMES.join(', ')}`);
  const clock = new ScenarioClock();
  const store = sealingPersonalData(
    config.kurrentdbConnectionString === undefined
      ? await LmdbEventStore.open({ path: dataPaths(config).events, clock: clock.now })
      : (await import('@cogov/eventstore/esdb')).KurrentDbEventStore.connect({
          connectionString: config.kurrentdbConnectionString,
        }),
    config,
  );
  try {
    if ((await store.lastPosition()) !== null && options.force !== true) return null;
    const expected = scenario.expectedCommands(options.scale);
    options.progress?.start(expected, `seeding ${name}`);
    const result = await scenario.run({
      store,
      clock,
      ...(options.scale === undefined ? {} : { scale: options.scale }),
      ...(name === 'changsha' ? { concurrency: 64 } : {}),
      onProgress: ({ commands, total, label }) =>
        options.progress?.update(commands, label, Math.max(expected, total)),
    });
    options.progress?.stop(`${result.events} events from ${result.commands} commands`);
    return { ...result, lastPosition: (await store.lastPosition()) ?? -1 };
  } finally {
    await store.close();
  }
};

/** Written beside the log when a demo is seeded: the store holds demo records, and where they end. */
interface DemoMarker {
  readonly scenario: string;
  /** The last log position the seeding wrote. */
  readonly seededTo: number;
  readonly seededAt: string;
}

const markerPath = (config: Config) => join(dataPaths(config).root, 'demo.json');

/** Notes that this data directory now holds a demo, seeded up to `seededTo`. */
export const markDemo = (config: Config, scenario: string, seededTo: number): void => {
  const marker: DemoMarker = { scenario, seededTo, seededAt: new Date().toISOString() };
  writeFileSync(markerPath(config), `${JSON.stringify(marker, null, 2)}\n`);
};

/** Actors whose records keep a demo store a demo: the demo tokens and the points process manager. */
const DEMO_ACTOR = /^(demo-[a-z]+|process-manager:.*)$/;

/**
 * Whether a store that already holds events is a demo store of this scenario and nothing more:
 * seeded by `serve --demo`, and written since only through demo tokens. Only such a store may be
 * handed new demo tokens (an unscoped admin among them); real records never are.
 */
export const isPureDemoStore = async (
  config: Config,
  scenario: string,
  store: EventStore,
): Promise<boolean> => {
  const file = markerPath(config);
  if (!existsSync(file)) return false;
  let marker: DemoMarker;
  try {
    marker = JSON.parse(readFileSync(file, 'utf8')) as DemoMarker;
  } catch {
    return false;
  }
  if (marker.scenario !== scenario || !Number.isInteger(marker.seededTo)) return false;
  for await (const event of store.readAll({ fromPosition: unsafe.position(marker.seededTo + 1) }))
    if (!DEMO_ACTOR.test(event.metadata.actor ?? '')) return false;
  return true;
};
