import { LmdbEventStore } from '@cogov/eventstore/lmdb';
import { seedTestWorld, worldTokens } from '@cogov/testkit/http';
import { ScenarioClock } from '@cogov/testkit/scenarios';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig, ROLES } from '../config.ts';
import { dataPaths, sealingPersonalData } from '../runtime.ts';
import { startServer } from '../server.ts';
// The name the world's directory is provided under (declared there).
import type {} from './server.ts';

/**
 * Once per test run: the test world seeded (about 3 200 events through the command handler) and
 * its read models projected, in a directory each test server copies (half a second) instead of
 * seeding its own (about seven). The same code seeds it as before; only the work is shared.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'cogov-test-world-'));
  const config = loadConfig({}, { dataDir: dir, port: 0, host: '127.0.0.1', tokens: worldTokens(ROLES) });
  const clock = new ScenarioClock();
  const store = await LmdbEventStore.open({ path: dataPaths(config).events, clock: clock.now });
  await seedTestWorld(sealingPersonalData(store, config), clock);
  await store.close();
  const server = await startServer({ config, logger: false, listen: false });
  const { readModels, store: log } = server.runtime;
  await readModels.waitFor((await log.lastPosition()) ?? -1, 120_000);
  if (!(await readModels.waitUntilReady(120_000)))
    throw new Error('the test world’s read models did not get ready');
  await server.close();
  project.provide('cogovTestWorld', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
