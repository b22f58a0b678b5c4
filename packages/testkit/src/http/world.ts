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
  type EventStore,
  type PlainDate,
} from '@cogov/domain';
import { createHash } from 'node:crypto';
import { huitong } from '../scenarios/huitong.ts';
import type { ScenarioClock } from '../scenarios/framework.ts';

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
export const tokenOf = (role: string, scope: TestScope) => `t-${role}-${scope === '*' ? 'all' : scope}`;

/**
 * The world the API's tests run in: the huitong scenario, a grid cell in 东门社区, and a second
 * county with one record of every kind (what a token scoped to lincheng must never reach). The
 * scenario is written on its simulated days; the rest now. `store` records with `clock.now`.
 */
export const seedTestWorld = async (store: EventStore, clock: ScenarioClock): Promise<void> => {
  await huitong.run({ store, clock });
  clock.useSystemTime();
  const cogov = new CogovService({ store, policy: HUITONG_2022, clock: clock.now });
  for (const command of [...OTHER_COUNTY, DONGMEN_GRID]) {
    const result = await cogov.execute(command, { actor: 'test' });
    if (result.status === 'rejected') throw new Error(`test world: ${command.type} ${result.rejection.code}`);
  }
};

/** A configuration entry for every role in every test scope, holding the SHA-256 of its `tokenOf`. */
export const worldTokens = (roles: readonly string[]) =>
  roles.flatMap((role) =>
    SCOPES.map((scope) => ({
      name: `${role}@${scope}`,
      sha256: createHash('sha256').update(tokenOf(role, scope)).digest('hex'),
      role,
      scope,
    })),
  );
