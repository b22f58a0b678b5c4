import { KurrentDbEventStore } from '@cogov/eventstore/esdb';
import { LmdbEventStore } from '@cogov/eventstore/lmdb';
import { SCENARIOS, ScenarioClock, type ScenarioResult } from '@cogov/testkit/scenarios';
import type { Config } from '../config.ts';
import { dataPaths } from '../runtime.ts';
import type { Progress } from '../cli/progress.ts';

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
): Promise<ScenarioResult | null> => {
  const scenario = SCENARIOS[name];
  if (scenario === undefined)
    throw new Error(`unknown scenario ${name}; known: ${SCENARIO_NAMES.join(', ')}`);
  const clock = new ScenarioClock();
  const store =
    config.kurrentdbConnectionString === undefined
      ? await LmdbEventStore.open({ path: dataPaths(config).events, clock: clock.now })
      : KurrentDbEventStore.connect({ connectionString: config.kurrentdbConnectionString });
  try {
    if ((await store.lastPosition()) !== null && options.force !== true) return null;
    const expected = scenario.expectedCommands(options.scale);
    options.progress?.start(expected, `seeding ${name}`);
    const result = await scenario.run({
      store,
      clock,
      ...(options.scale === undefined ? {} : { scale: options.scale }),
      ...(name === 'changsha' ? { concurrency: 64 } : {}),
      onProgress: ({ commands, label }) => options.progress?.update(Math.min(commands, expected), label),
    });
    options.progress?.stop(`${result.events} events from ${result.commands} commands`);
    return result;
  } finally {
    await store.close();
  }
};
