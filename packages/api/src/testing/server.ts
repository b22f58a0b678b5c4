import { LmdbEventStore } from '@cogov/eventstore/lmdb';
import { ScenarioClock } from '@cogov/testkit/scenarios';
import { seedTestWorld, worldTokens } from '@cogov/testkit/http';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { loadConfig, ROLES, type Config } from '../config.ts';
import { dataPaths, sealingPersonalData } from '../runtime.ts';
import { startServer, type Server } from '../server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A data directory holding the test world, its keys and caught-up read models (closed). */
    cogovTestWorld: string;
  }
}

export interface TestServer extends Server {
  readonly dir: string;
  /** Stops the server, lets `meanwhile` do something to its data directory, and starts it again. */
  restart(meanwhile?: (dataDir: string) => Promise<void> | void): Promise<void>;
}

/**
 * A real server over a real LMDB store seeded with the test world (huitong, and a second county
 * for tokens out of huitong's scope), with a token for every role and scope. Listens on a loopback
 * port when asked; starts once its read models are ready.
 */
export const startTestServer = async (
  options: { readonly listen?: boolean; readonly config?: Partial<Config> } = {},
): Promise<TestServer> => {
  const dir = mkdtempSync(join(tmpdir(), 'cogov-api-'));
  const tokens = worldTokens(ROLES);
  const config = loadConfig(
    {},
    { dataDir: dir, minPositionWaitMs: 300, port: 0, host: '127.0.0.1', ...options.config, tokens },
  );
  // The world the run's global setup seeded once (globalSetup.ts), copied; seeded here otherwise.
  const template = inject('cogovTestWorld') as string | undefined;
  if (template !== undefined && existsSync(template)) cpSync(template, dir, { recursive: true });
  else {
    const clock = new ScenarioClock();
    const seedStore = await LmdbEventStore.open({ path: dataPaths(config).events, clock: clock.now });
    await seedTestWorld(sealingPersonalData(seedStore, config), clock);
    await seedStore.close();
  }
  const start = async () => {
    const server = await startServer({ config, logger: false, listen: options.listen === true });
    const { readModels, store } = server.runtime;
    await readModels.waitFor((await store.lastPosition()) ?? -1, 60_000);
    if (!(await readModels.waitUntilReady(60_000))) throw new Error('the read models did not get ready');
    return server;
  };
  let current = await start();
  return {
    get runtime() {
      return current.runtime;
    },
    get app() {
      return current.app;
    },
    get url() {
      return current.url;
    },
    dir,
    restart: async (meanwhile) => {
      await current.close();
      await meanwhile?.(dir);
      current = await start();
    },
    close: async () => {
      await current.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
