import {
  dataPaths,
  loadConfig,
  ROLES,
  sealingPersonalData,
  startServer,
  type Config,
  type Server,
} from '@cogov/api';
import { LmdbEventStore } from '@cogov/eventstore/lmdb';
import { seedTestWorld, worldTokens } from '@cogov/testkit/http';
import { ScenarioClock } from '@cogov/testkit/scenarios';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface WorldServer extends Server {
  readonly dir: string;
}

/**
 * A real server over a real LMDB store seeded with the test world (huitong, and a second county),
 * with a token for every role and scope (`tokenOf` in `@cogov/testkit/http`): what the reliability
 * checks and benchmarks load. Removes its directory when closed, unless it was given one.
 */
export const startWorldServer = async (
  options: { readonly listen?: boolean; readonly config?: Partial<Config> } = {},
): Promise<WorldServer> => {
  const given = options.config?.dataDir;
  const dir = given ?? mkdtempSync(join(tmpdir(), 'cogov-world-'));
  const config = loadConfig(
    {},
    { port: 0, host: '127.0.0.1', ...options.config, dataDir: dir, tokens: worldTokens(ROLES) },
  );
  const clock = new ScenarioClock();
  const store = await LmdbEventStore.open({ path: dataPaths(config).events, clock: clock.now });
  await seedTestWorld(sealingPersonalData(store, config), clock);
  await store.close();
  const server = await startServer({ config, logger: false, listen: options.listen !== false });
  await server.runtime.readModels.waitUntilReady(60_000);
  return {
    ...server,
    dir,
    close: async () => {
      await server.close();
      if (given === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
};
