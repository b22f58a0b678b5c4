import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CommandRoute,
  OTHER_WORLD,
  PATH_IDS,
  TEST_WORLD,
  commandRoutes,
  exampleOf,
  referenceProbes,
  tokenOf,
} from '@cogov/testkit/http';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { kebab, PLURAL } from '../../http/context.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 60_000);
afterAll(async () => server.close());

const CREATES = new Set([
  'DefineRegion',
  'EstablishCommittee',
  'RegisterMember',
  'RegisterUnit',
  'DrawGridCell',
  'RegisterIssue',
  'ListNeed',
  'PostMicroWish',
  'PlanActivity',
]);
const BRAND_OF_TARGET: Readonly<Record<string, string>> = {
  regionId: 'RegionId',
  committeeId: 'CommitteeId',
  memberId: 'MemberId',
  unitId: 'UnitId',
  gridId: 'GridId',
  issueId: 'IssueId',
  projectId: 'ProjectId',
  activityId: 'ActivityId',
};

let fresh = 0;
const send = (route: CommandRoute, targetId: string, body: unknown, scope: 'lincheng' | '*' = 'lincheng') =>
  server.app.inject({
    method: 'POST',
    url: `/v1/${PLURAL[route.aggregate]}/${encodeURIComponent(targetId)}/${kebab(route.type)}`,
    headers: { authorization: `Bearer ${tokenOf('clerk', scope)}`, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
const withoutInstance = (body: string) => {
  const { instance: _instance, ...rest } = JSON.parse(body) as Record<string, unknown>;
  return rest;
};
const position = async () => server.runtime.store.lastPosition();

describe('a clerk scoped to 林城镇 (lincheng)', () => {
  const routes = commandRoutes();
  const probes = routes.flatMap((route) =>
    referenceProbes(route.body, TEST_WORLD).map((probe) => ({ route, probe })),
  );

  it('finds the reference fields of every command from its documented schema', () => {
    expect(probes.map((p) => `${p.route.type} ${p.probe.field}`)).toEqual(
      expect.arrayContaining([
        'PlanActivity body.organiserCommitteeId',
        'PlanActivity body.unitIds.0',
        'HoldActivity body.participants.0',
        'RegisterMember body.unitId',
        'PostMicroWish body.gridId',
        'ClaimProject body.claimant.memberId',
        'RegisterIssue body.gridId',
        'NominateCandidate body.personId',
        'AssignIssue body.assignee.unitId',
        'RecordWithdrawal body.notice.unitId',
      ]),
    );
    expect(probes.length).toBeGreaterThan(35);
  });

  for (const { route, probe } of probes) {
    const targetId = (n: number) =>
      CREATES.has(route.type) ? `scope-new-${n}` : (PATH_IDS[route.idField] as string);

    it(`refuses ${route.type} naming another region's record in ${probe.field} (403, nothing written)`, async () => {
      const before = await position();
      const response = await send(route, targetId(fresh++), probe.body(OTHER_WORLD[probe.brand] as string));
      expect(response.statusCode, response.body).toBe(403);
      expect(response.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual([
        probe.field,
      ]);
      expect(await position()).toBe(before);
    });

    it(`answers ${route.type} naming a missing record in ${probe.field} exactly as one of another region`, async () => {
      const id = fresh++;
      const elsewhere = await send(route, targetId(id), probe.body(OTHER_WORLD[probe.brand] as string));
      const missing = await send(route, targetId(id), probe.body('no-such-record'));
      expect(missing.statusCode).toBe(elsewhere.statusCode);
      expect(withoutInstance(missing.body)).toEqual(withoutInstance(elsewhere.body));
    });
  }

  // Dual reporting and pairing reach records at home elsewhere by design (tested below).
  const RECEIVED = new Set([
    'ReportToCommunity',
    'DeregisterFromCommunity',
    'PairUnitWithCommunity',
    'UnpairUnit',
    'ReportUnitToCommunity',
  ]);
  for (const route of routes.filter((r) => !CREATES.has(r.type) && !RECEIVED.has(r.type))) {
    it(`refuses ${route.type} on another region's record, and on a missing one, alike (403)`, async () => {
      const before = await position();
      const body = route.body;
      const example = referenceProbes(body, TEST_WORLD)[0]?.body(TEST_WORLD.ids['RegionId'] as string);
      const payload = example ?? exampleOf(body, TEST_WORLD);
      const elsewhere = await send(
        route,
        OTHER_WORLD[BRAND_OF_TARGET[route.idField] ?? ''] as string,
        payload,
      );
      const missing = await send(route, 'no-such-record', payload);
      expect(elsewhere.statusCode, elsewhere.body).toBe(403);
      expect(withoutInstance(missing.body)).toEqual(withoutInstance(elsewhere.body));
      expect(await position()).toBe(before);
    });
  }

  for (const route of routes.filter((r) => CREATES.has(r.type))) {
    it(`answers ${route.type} with a taken id the same wherever its record is`, async () => {
      const payload = exampleOf(route.body, TEST_WORLD);
      const here = await send(route, PATH_IDS[route.idField] as string, payload);
      const elsewhere = await send(
        route,
        OTHER_WORLD[BRAND_OF_TARGET[route.idField] ?? ''] as string,
        payload,
      );
      expect(here.statusCode, here.body).toBe(422);
      expect(elsewhere.statusCode).toBe(422);
      const pick = (body: string) => {
        const { code, title, status } = JSON.parse(body) as Record<string, unknown>;
        return { code, title, status };
      };
      expect(pick(elsewhere.body)).toEqual(pick(here.body));
    });
  }
});

describe('records a scoped clerk begins', () => {
  const route = (type: string) => commandRoutes().find((r) => r.type === type) as CommandRoute;

  it('lets a town clerk define a community under their own town', async () => {
    const response = await send(route('DefineRegion'), 'lincheng-new-community', {
      name: '新社区',
      level: 'community',
      parentId: 'lincheng',
      definedOn: '2022-03-01',
    });
    expect(response.statusCode, response.body).toBe(201);
  });

  it('refuses a root region, or a member registered nowhere, to a scoped clerk (403, nothing written)', async () => {
    const before = await position();
    const root = await send(route('DefineRegion'), 'scoped-root', {
      name: '新县',
      level: 'county',
      definedOn: '2022-03-01',
    });
    const nowhere = await send(route('RegisterMember'), 'scoped-nowhere', {
      name: '无处党员',
      category: 'resident',
      registeredOn: '2022-03-01',
    });
    expect([root.statusCode, nowhere.statusCode]).toEqual([403, 403]);
    expect(await position()).toBe(before);
  });
});

describe('where the business crosses regions (dual reporting, pairing)', () => {
  const route = (type: string) => commandRoutes().find((r) => r.type === type) as CommandRoute;

  it('lets a lincheng clerk record that a member of another county reports to 东门社区, then name them there', async () => {
    const report = await send(route('ReportToCommunity'), 'other-m-2', {
      communityId: 'dongmen',
      reportedOn: '2022-03-01',
    });
    expect(report.statusCode, report.body).toBe(200);
    const plan = await send(route('PlanActivity'), 'scope-activity-1', {
      kind: 'volunteer-service',
      regionId: 'dongmen',
      title: '志愿服务',
      scheduledFor: '2022-03-05',
      plannedOn: '2022-03-02',
    });
    expect(plan.statusCode, plan.body).toBe(201);
    const held = await send(route('HoldActivity'), 'scope-activity-1', {
      heldOn: '2022-03-05',
      participants: ['other-m-2'],
    });
    expect(held.statusCode, held.body).toBe(200);
  });

  it('lets a lincheng clerk pair a unit of another county with 东门社区, then assign it an issue there', async () => {
    const paired = await send(route('PairUnitWithCommunity'), 'other-unit-2', {
      communityId: 'dongmen',
      pairedOn: '2022-03-01',
    });
    expect(paired.statusCode, paired.body).toBe(200);
    const registered = await send(route('RegisterIssue'), 'scope-issue-1', {
      committeeId: 'dongmen-ppc',
      title: '路灯不亮',
      trade: 'infrastructure',
      source: 'resident',
      registeredOn: '2022-03-02',
    });
    expect(registered.statusCode, registered.body).toBe(201);
    const assigned = await send(route('AssignIssue'), 'scope-issue-1', {
      assignee: { kind: 'unit', unitId: 'other-unit-2' },
      assignedOn: '2022-03-03',
      dueOn: '2022-03-20',
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
  });

  it('still refuses the member’s own records to the lincheng clerk (their home is elsewhere)', async () => {
    const before = await position();
    const response = await send(route('ChangeMemberCategory'), 'other-m-2', {
      category: 'retired',
      changedOn: '2022-03-04',
    });
    expect(response.statusCode).toBe(403);
    expect(await position()).toBe(before);
  });
});
