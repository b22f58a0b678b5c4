import {
  ActivityId,
  CogovService,
  CommitteeId,
  GridId,
  HUITONG_2022,
  IssueId,
  MemberId,
  ProjectId,
  RegionId,
  UnitId,
  type DomainCommand,
  type PlainDate,
} from '@cogov/domain';
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

/**
 * A second county with one record of every kind in a community of its own: what a token scoped
 * to lincheng must never reach. Ids by brand, as the bodies name them.
 */
export const OTHER_WORLD: Readonly<Record<string, string>> = {
  RegionId: 'othercommunity',
  CommitteeId: 'other-ppc',
  MemberId: 'other-m-1',
  UnitId: 'other-unit-1',
  GridId: 'other-g1',
  IssueId: 'other-issue-1',
  ProjectId: 'other-wish-1',
  ActivityId: 'other-activity-1',
};

const day = (d: string) => d as PlainDate;
const OTHER_COUNTY: readonly DomainCommand[] = [
  {
    type: 'DefineRegion',
    regionId: RegionId.parse('othercounty'),
    name: '他县',
    level: 'county',
    definedOn: day('2020-01-01'),
  },
  {
    type: 'DefineRegion',
    regionId: RegionId.parse('othertown'),
    name: '他镇',
    level: 'town',
    parentId: RegionId.parse('othercounty'),
    definedOn: day('2020-01-01'),
  },
  {
    type: 'DefineRegion',
    regionId: RegionId.parse('othercommunity'),
    name: '他社区',
    level: 'community',
    parentId: RegionId.parse('othertown'),
    definedOn: day('2020-01-01'),
  },
  {
    type: 'EstablishCommittee',
    committeeId: CommitteeId.parse('other-ppc'),
    kind: 'community-party-committee',
    regionId: RegionId.parse('othercommunity'),
    name: '他社区大党委',
    establishedOn: day('2020-02-01'),
  },
  {
    type: 'RegisterMember',
    memberId: MemberId.parse('other-m-1'),
    name: '他社区党员',
    category: 'resident',
    communityId: RegionId.parse('othercommunity'),
    registeredOn: day('2020-02-01'),
  },
  {
    type: 'RegisterUnit',
    unitId: UnitId.parse('other-unit-1'),
    name: '他县单位',
    kind: 'organ',
    regionId: RegionId.parse('othercommunity'),
    registeredOn: day('2020-02-01'),
  },
  {
    type: 'DrawGridCell',
    gridId: GridId.parse('other-g1'),
    communityId: RegionId.parse('othercommunity'),
    name: '他网格',
    households: 300,
    drawnOn: day('2020-02-01'),
  },
  {
    type: 'RegisterIssue',
    issueId: IssueId.parse('other-issue-1'),
    committeeId: CommitteeId.parse('other-ppc'),
    title: '他处问题',
    trade: 'property',
    source: 'resident',
    registeredOn: day('2022-02-01'),
  },
  {
    type: 'PostMicroWish',
    projectId: ProjectId.parse('other-wish-1'),
    communityId: RegionId.parse('othercommunity'),
    title: '他处心愿',
    wisher: '居民',
    postedOn: day('2022-02-01'),
  },
  {
    type: 'PlanActivity',
    activityId: ActivityId.parse('other-activity-1'),
    kind: 'volunteer-service',
    regionId: RegionId.parse('othercommunity'),
    title: '他处活动',
    scheduledFor: day('2022-03-01'),
    unitIds: [],
    plannedOn: day('2022-02-01'),
  },
  {
    type: 'RegisterMember',
    memberId: MemberId.parse('other-m-2'),
    name: '他社区在职党员',
    category: 'in-service',
    communityId: RegionId.parse('othercommunity'),
    registeredOn: day('2020-02-01'),
  },
  {
    type: 'RegisterUnit',
    unitId: UnitId.parse('other-unit-2'),
    name: '他县驻区单位',
    kind: 'organ',
    regionId: RegionId.parse('othercommunity'),
    registeredOn: day('2020-02-01'),
  },
];
// Huitong draws no grid cells; the routes of grids need one.
const DONGMEN_GRID: DomainCommand = {
  type: 'DrawGridCell',
  gridId: GridId.parse('dongmen-g1'),
  communityId: RegionId.parse('dongmen'),
  name: '东门一网格',
  households: 280,
  drawnOn: day('2022-03-01'),
};

/** The token of a role and scope in a test server: `t-clerk-lincheng`. */
export const tokenOf = (role: Role, scope: TestScope) => `t-${role}-${scope === '*' ? 'all' : scope}`;

export interface TestServer {
  /** The runtime and app of the current run (a restart replaces them). */
  readonly runtime: Runtime;
  readonly app: FastifyInstance;
  /** Stops the server, lets `meanwhile` do something to its data directory, and starts it again. */
  restart(meanwhile?: (dataDir: string) => Promise<void> | void): Promise<void>;
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
  for (const command of [...OTHER_COUNTY, DONGMEN_GRID]) {
    const result = await elsewhere.execute(command, { actor: 'test' });
    if (result.status === 'rejected') throw new Error(`test world: ${command.type} ${result.rejection.code}`);
  }
  await seedStore.close();
  const start = async () => {
    const runtime = await openRuntime(config);
    await runtime.readModels.waitFor((await runtime.store.lastPosition()) ?? -1, 60_000);
    if (!(await runtime.readModels.waitUntilReady(60_000)))
      throw new Error('the read models did not get ready');
    const app = await buildApp({ runtime });
    const url = options.listen === true ? await app.listen({ port: 0, host: '127.0.0.1' }) : null;
    await app.ready();
    return { runtime, app, url };
  };
  let current = await start();
  const stop = async () => {
    await current.app.close();
    await current.runtime.close();
  };
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
      await stop();
      await meanwhile?.(dir);
      current = await start();
    },
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
