import { CogovService, GridId, HUITONG_2022, RegionId } from '@cogov/domain';
import { LmdbEventStore } from '@cogov/eventstore/lmdb';
import { huitong, ScenarioClock } from '@cogov/testkit/scenarios';
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../app.ts';
import { loadConfig, ROLES, type Config, type Role } from '../config.ts';
import { sha256 } from '../http/auth.ts';
import { dataPaths, openRuntime, type Runtime } from '../runtime.ts';

/** Token scopes the tests use: everything, a town of huitong, and a town of another county. */
export const SCOPES = ['*', 'lincheng', 'othertown'] as const;
export type TestScope = (typeof SCOPES)[number];

/** The token of a role and scope in a test server: `t-clerk-lincheng`. */
export const tokenOf = (role: Role, scope: TestScope) => `t-${role}-${scope === '*' ? 'all' : scope}`;

export interface TestServer {
  readonly runtime: Runtime;
  readonly app: FastifyInstance;
  /** Set when listening: `http://127.0.0.1:<port>`. */
  readonly url: string | null;
  readonly dir: string;
  close(): Promise<void>;
}

/**
 * A real server over a real LMDB store seeded with the huitong scenario (plus a grid cell in
 * dongmen, and a second county for tokens out of huitong's scope), with a token for every role and
 * scope. Listens on a loopback port when asked.
 */
export const startTestServer = async (
  options: { readonly listen?: boolean; readonly config?: Partial<Config> } = {},
): Promise<TestServer> => {
  const dir = mkdtempSync(join(tmpdir(), 'cogov-api-'));
  const tokens = ROLES.flatMap((role) =>
    SCOPES.map((scope) => ({ name: `${role}@${scope}`, sha256: sha256(tokenOf(role, scope)), role, scope })),
  );
  const config = loadConfig({}, { dataDir: dir, minPositionWaitMs: 300, ...options.config, tokens });
  const clock = new ScenarioClock();
  const seedStore = await LmdbEventStore.open({ path: dataPaths(config).events, clock: clock.now });
  await huitong.run({ store: seedStore, clock });
  clock.useSystemTime();
  const elsewhere = new CogovService({ store: seedStore, policy: HUITONG_2022 });
  for (const [regionId, level, parentId] of [
    ['othercounty', 'county', undefined],
    ['othertown', 'town', 'othercounty'],
  ] as const) {
    await elsewhere.execute(
      {
        type: 'DefineRegion',
        regionId: RegionId.parse(regionId),
        name: regionId,
        level,
        ...(parentId === undefined ? {} : { parentId: RegionId.parse(parentId) }),
        definedOn: '2020-01-01' as never,
      },
      { actor: 'test' },
    );
  }
  // Huitong draws no grid cells; the routes of grids need one.
  await elsewhere.execute(
    {
      type: 'DrawGridCell',
      gridId: GridId.parse('dongmen-g1'),
      communityId: RegionId.parse('dongmen'),
      name: '东门一网格',
      households: 280,
      drawnOn: '2022-03-01' as never,
    },
    { actor: 'test' },
  );
  await seedStore.close();
  const runtime = await openRuntime(config);
  await runtime.readModels.waitFor((await runtime.store.lastPosition()) ?? -1, 60_000);
  const app = await buildApp({ runtime });
  const url = options.listen === true ? await app.listen({ port: 0, host: '127.0.0.1' }) : null;
  await app.ready();
  return {
    runtime,
    app,
    url,
    dir,
    close: async () => {
      await app.close();
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
