import {
  addDays,
  ActivityId,
  ClaimId,
  CommitteeId,
  GridId,
  HUITONG_2022,
  MemberId,
  ProjectId,
  RegionId,
  ResourceId,
  UnitId,
  WorkerId,
  type ActivityKind,
  type CommitteeKind,
  type PlainDate,
  type ResourceKind,
  type UnitKind,
} from '@cogov/domain';
import {
  random,
  ScenarioWriter,
  type Scenario,
  type ScenarioOptions,
  type ScenarioResult,
} from './framework.ts';
import { appoint, d, defineRegion, meet } from './steps.ts';

const STREETS = [
  { id: 'kaiyuan-jd', name: '开原街道', communities: 20 },
  { id: 'xincheng-jd', name: '新城街道', communities: 17 },
] as const;
/** The 14 functional departments whose heads sit on the two 大工委. */
const DEPARTMENTS = [
  '市民政局',
  '市住建局',
  '市城管局',
  '市公安局',
  '市卫健局',
  '市教育局',
  '市人社局',
  '市市场监管局',
  '市应急管理局',
  '市司法局',
  '市退役军人事务局',
  '市生态环境局',
  '市交通运输局',
  '市文旅广电局',
];
const LEAD_UNITS = [
  '市委办',
  '市政府办',
  '市纪委监委',
  '市委组织部',
  '市委宣传部',
  '市委统战部',
  '市委政法委',
  '市发改局',
  '市财政局',
  '市自然资源局',
  '市水利局',
  '市农业农村局',
  '市商务局',
  '市审计局',
  '市统计局',
  '市医保局',
  '市信访局',
  '市总工会',
  '团市委',
  '市妇联',
  '市科协',
  '市工商联',
  '市税务局',
  '市供电公司',
  '市自来水公司',
  '市热力公司',
  '市燃气公司',
  '市邮政分公司',
  '市移动公司',
  '市联通公司',
  '市电信公司',
  '市农商银行',
  '市工商银行',
  '市建设银行',
  '市中心医院',
  '市中医院',
  '市职业教育中心',
];
const CO_BUILDERS = Array.from({ length: 28 }, (_, i) =>
  i < 10 ? `市第${i + 1}中学` : i < 18 ? `开原${i - 9}号非公企业` : `社会组织${i - 17}`,
);
const CO_KIND = (i: number): UnitKind =>
  i < 10 ? 'school' : i < 18 ? 'private-enterprise' : 'social-organisation';
const NEEDS = [
  'elderly-care',
  'children',
  'environment',
  'employment',
  'health',
  'culture',
  'safety',
] as const;
const RESOURCES: readonly ResourceKind[] = ['venue', 'expertise', 'funds', 'volunteers', 'equipment'];
/** 七一 (1 July) week: lectures on the party, retaking the oath, a gala (57 in the seed). */
const JULY_FIRST_KINDS: readonly ActivityKind[] = ['lecture', 'theme-party-day', 'cultural'];
/** Through the year: clearing fly-posters, promoting the anti-fraud app, visiting members in need (120+). */
const YEAR_KINDS: readonly ActivityKind[] = ['clean-up', 'volunteer-service', 'visit'];

/** The 2022 "July first" window the seed's 57 activities fall in. */
export const KAIYUAN_JULY_FIRST = { from: d('2022-06-24'), to: d('2022-07-05') } as const;

/**
 * 开原市 (seed 002), 2022: two street 大工委 whose first secretaries are city standing committee
 * members and on which the heads of 14 functional departments sit; 37 community 大党委 with the
 * leaders of their 65 lead and co-building units (and some property companies) as part-time
 * members and 37 first secretaries sent by the lead units; 448 grids of about 300 households with
 * 88 grid branches and 112 community workers as grid workers; 47 service-project lists agreed at
 * joint meetings that solved 156 difficulties; 57 activities around 1 July and 124 more.
 *
 * The seed does not state Kaiyuan's own procedure, so the 2018 rules as practised in Huitong apply.
 */
const run = async (options: ScenarioOptions): Promise<ScenarioResult> => {
  const w = new ScenarioWriter(options, HUITONG_2022);
  const rng = random(2002);
  const on = d('2021-12-01');

  w.phase('regions, units and people');
  defineRegion(w, on, 'kaiyuan', '开原市', 'city');
  const communities: { id: string; name: string; street: string; index: number }[] = [];
  for (const street of STREETS) {
    defineRegion(w, on, street.id, street.name, 'subdistrict', 'kaiyuan');
    for (let i = 1; i <= street.communities; i++) {
      const id = `${street.id}-c${i}`;
      communities.push({
        id,
        name: `${street.name}第${i}社区`,
        street: street.id,
        index: communities.length,
      });
      defineRegion(w, on, id, `${street.name}第${i}社区`, 'community', street.id);
    }
  }
  const unit = (id: string, name: string, kind: UnitKind, regionId: string) =>
    w.schedule(d('2021-12-10'), {
      type: 'RegisterUnit',
      unitId: UnitId.parse(id),
      name,
      kind,
      regionId: RegionId.parse(regionId),
      registeredOn: d('2021-12-10'),
    });
  const person = (
    id: string,
    name: string,
    category: 'in-service' | 'retired' | 'resident',
    community: string,
  ) =>
    w.schedule(d('2021-12-15'), {
      type: 'RegisterMember',
      memberId: MemberId.parse(id),
      name,
      category,
      communityId: RegionId.parse(community),
      registeredOn: d('2021-12-15'),
    });
  // Each department's offices are in the street whose 大工委 its head sits on (a unit of the area).
  DEPARTMENTS.forEach((name, i) => unit(`ky-dept-${i + 1}`, name, 'organ', STREETS[i % 2]!.id));
  // Lead unit i looks after community i; co-builder j works with community j (1+1+N).
  LEAD_UNITS.forEach((name, i) =>
    unit(
      `ky-lead-${i + 1}`,
      name,
      name.includes('银行')
        ? 'financial'
        : name.includes('公司')
          ? 'state-enterprise'
          : name.includes('医院') || name.includes('中心')
            ? 'public-institution'
            : 'organ',
      communities[i]!.id,
    ),
  );
  CO_BUILDERS.forEach((name, j) => unit(`ky-co-${j + 1}`, name, CO_KIND(j), communities[j]!.id));
  for (let k = 0; k < 12; k++)
    unit(`ky-property-${k + 1}`, `物业公司${k + 1}`, 'property-company', communities[k]!.id);

  for (const [s, street] of STREETS.entries()) {
    person(`ky-standing-${s + 1}`, `市委常委(包${street.name})`, 'in-service', communities[0]!.id);
    person(`ky-street-secretary-${s + 1}`, `${street.name}党工委书记`, 'in-service', communities[0]!.id);
  }
  DEPARTMENTS.forEach((name, i) =>
    person(`ky-dept-head-${i + 1}`, `${name}负责人`, 'in-service', communities[i % communities.length]!.id),
  );
  const residents: Record<string, string[]> = {};
  for (const c of communities) {
    person(`${c.id}-secretary`, `${c.name}党组织书记`, 'in-service', c.id);
    person(`${c.id}-first`, `${LEAD_UNITS[c.index]}选派第一书记`, 'in-service', c.id);
    person(`${c.id}-lead-rep`, `${LEAD_UNITS[c.index]}负责同志`, 'in-service', c.id);
    if (c.index < 28) person(`${c.id}-co-rep`, `${CO_BUILDERS[c.index]}负责同志`, 'in-service', c.id);
    if (c.index < 12) person(`${c.id}-property-rep`, `物业公司${c.index + 1}负责人`, 'in-service', c.id);
    residents[c.id] = [];
    for (let i = 1; i <= 8; i++) {
      const id = `${c.id}-m${i}`;
      person(id, `${c.name}党员${i}`, i <= 3 ? 'in-service' : i <= 6 ? 'resident' : 'retired', c.id);
      residents[c.id]?.push(id);
    }
  }

  w.phase('大工委 and 大党委');
  const establish = (
    committee: string,
    kind: CommitteeKind,
    region: string,
    name: string,
    day: PlainDate,
    officers: readonly (readonly [string, 'secretary' | 'first-secretary'])[],
  ) => {
    const committeeId = CommitteeId.parse(committee);
    w.schedule(day, {
      type: 'EstablishCommittee',
      committeeId,
      kind,
      regionId: RegionId.parse(region),
      name,
      establishedOn: day,
    });
    w.scheduleNext({ type: 'StartTerm', committeeId, termNumber: 1, startsOn: day, renewals: [] });
    for (const [personId, role] of officers)
      w.scheduleNext({
        type: 'AssignOfficer',
        committeeId,
        personId: MemberId.parse(personId),
        role,
        effectiveOn: day,
      });
  };
  for (const [s, street] of STREETS.entries())
    establish(
      `${street.id}-dgw`,
      'subdistrict-working-committee',
      street.id,
      `${street.name}大工委`,
      d('2022-03-01'),
      [
        [`ky-standing-${s + 1}`, 'first-secretary'],
        [`ky-street-secretary-${s + 1}`, 'secretary'],
      ],
    );
  for (const c of communities)
    establish(`${c.id}-ppc`, 'community-party-committee', c.id, `${c.name}大党委`, d('2022-03-15'), [
      [`${c.id}-secretary`, 'secretary'],
    ]);
  // 37 first secretaries sent by the lead units, with the young cadres sent down in April.
  for (const c of communities)
    w.schedule(d('2022-04-06'), {
      type: 'AssignOfficer',
      committeeId: CommitteeId.parse(`${c.id}-ppc`),
      personId: MemberId.parse(`${c.id}-first`),
      role: 'first-secretary',
      effectiveOn: d('2022-04-06'),
    });

  w.phase('pairing (1+1+N)');
  for (const c of communities) {
    const pair = (unitId: string) =>
      w.schedule(d('2022-03-10'), {
        type: 'PairUnitWithCommunity',
        unitId: UnitId.parse(unitId),
        communityId: RegionId.parse(c.id),
        pairedOn: d('2022-03-10'),
        agreementRef: `区域化联建协议 ${unitId}`,
      });
    pair(`ky-lead-${c.index + 1}`);
    if (c.index < 28) pair(`ky-co-${c.index + 1}`);
    for (let r = 1; r <= 2; r++)
      w.schedule(d('2022-03-20'), {
        type: 'OfferResource',
        unitId: UnitId.parse(`ky-lead-${c.index + 1}`),
        resourceId: ResourceId.parse(`ky-lead-${c.index + 1}-res-${r}`),
        title: `${LEAD_UNITS[c.index]}资源清单 ${r}`,
        kind: rng.pick(RESOURCES),
        offeredOn: d('2022-03-20'),
      });
  }

  w.phase('part-time members');
  const streetMembers: Record<string, string[]> = {};
  DEPARTMENTS.forEach((_, i) => {
    const street = STREETS[i % 2]!;
    const appointed = appoint(w, {
      committee: `${street.id}-dgw`,
      candidate: `ky-dc-${i + 1}`,
      person: `ky-dept-head-${i + 1}`,
      category: 'institution-leader',
      unit: `ky-dept-${i + 1}`,
      level: 'subdistrict',
      nominatedOn: addDays(d('2022-03-04'), i % 3),
    });
    if (appointed !== null) (streetMembers[street.id] ??= []).push(`ky-dept-head-${i + 1}`);
  });
  const communityMembers: Record<string, string[]> = {};
  for (const c of communities) {
    const seats: {
      person: string;
      unit: string;
      category: 'institution-leader' | 'non-public-enterprise-leader';
    }[] = [{ person: `${c.id}-lead-rep`, unit: `ky-lead-${c.index + 1}`, category: 'institution-leader' }];
    if (c.index < 28)
      seats.push({ person: `${c.id}-co-rep`, unit: `ky-co-${c.index + 1}`, category: 'institution-leader' });
    if (c.index < 12)
      seats.push({
        person: `${c.id}-property-rep`,
        unit: `ky-property-${c.index + 1}`,
        category: 'non-public-enterprise-leader',
      });
    communityMembers[c.id] = [];
    for (const [k, seat] of seats.entries()) {
      const appointed = appoint(w, {
        committee: `${c.id}-ppc`,
        candidate: `${c.id}-pc${k + 1}`,
        person: seat.person,
        category: seat.category,
        unit: seat.unit,
        level: 'community',
        nominatedOn: addDays(d('2022-03-21'), k),
      });
      if (appointed !== null) communityMembers[c.id]?.push(seat.person);
    }
  }

  w.phase('grids, grid branches and grid workers');
  let gridNo = 0;
  let branchNo = 0;
  let workerNo = 0;
  for (const c of communities) {
    const cells = c.index < 4 ? 13 : 12; // 448 cells over 37 communities
    const branches = c.index < 14 ? 3 : 2; // 88 grid branches
    const workers = c.index === 0 ? 4 : 3; // 112 grid workers
    const gridIds: string[] = [];
    for (let g = 1; g <= cells; g++) {
      gridNo++;
      const gridId = `${c.id}-g${g}`;
      gridIds.push(gridId);
      w.schedule(d('2022-04-15'), {
        type: 'DrawGridCell',
        gridId: GridId.parse(gridId),
        communityId: RegionId.parse(c.id),
        name: `${c.name}第${g}网格`,
        households: rng.int(240, 300),
        drawnOn: d('2022-04-15'),
      });
    }
    const branchIds: string[] = [];
    for (let b = 1; b <= branches; b++) {
      branchNo++;
      const committee = `${c.id}-gb${b}`;
      branchIds.push(committee);
      establish(committee, 'grid-branch', c.id, `${c.name}网格功能性党支部${b}`, d('2022-05-10'), [
        [residents[c.id]![b - 1]!, 'secretary'],
      ]);
    }
    gridIds.forEach((gridId, g) => {
      w.schedule(d('2022-05-12'), {
        type: 'LinkGridBranch',
        gridId: GridId.parse(gridId),
        committeeId: CommitteeId.parse(branchIds[g % branchIds.length]!),
        linkedOn: d('2022-05-12'),
      });
    });
    const workerIds = Array.from({ length: workers }, () => `ky-worker-${++workerNo}`);
    gridIds.forEach((gridId, g) => {
      const workerId = workerIds[g % workerIds.length]!;
      w.schedule(d('2022-04-20'), {
        type: 'AssignGridWorker',
        gridId: GridId.parse(gridId),
        workerId: WorkerId.parse(workerId),
        name: `${c.name}社区工作者${workerId.split('-').pop() ?? ''}`,
        assignedOn: d('2022-04-20'),
      });
    });
    // 党员联系户: every resident member looks after some households of a cell.
    (residents[c.id] ?? []).forEach((memberId, m) => {
      w.schedule(d('2022-05-20'), {
        type: 'AssignContactHouseholds',
        gridId: GridId.parse(gridIds[m % gridIds.length]!),
        memberId: MemberId.parse(memberId),
        households: rng.int(10, 30),
        assignedOn: d('2022-05-20'),
      });
    });
    // 双报到: in-service members report to the community they live in.
    for (const memberId of (residents[c.id] ?? []).slice(0, 3))
      w.schedule(d('2022-05-05'), {
        type: 'ReportToCommunity',
        memberId: MemberId.parse(memberId),
        communityId: RegionId.parse(c.id),
        reportedOn: d('2022-05-05'),
      });
  }
  if (gridNo !== 448 || branchNo !== 88 || workerNo !== 112)
    throw new Error('kaiyuan: sizes drifted from the seed');

  w.phase('joint meetings and service-project lists');
  const meetingDays = [d('2022-05-20'), d('2022-08-19'), d('2022-11-18')];
  const open: Record<string, string[]> = {};
  for (const c of communities) {
    open[c.id] = [];
    for (const [q, heldOn] of meetingDays.entries())
      meet(
        w,
        `${c.id}-ppc`,
        `${c.id}-2022-q${q + 2}`,
        heldOn,
        [`${c.id}-secretary`, `${c.id}-first`, ...(communityMembers[c.id] ?? [])],
        open[c.id] ?? [],
        `${c.name}大党委联席会议 第${q + 1}次`,
      );
  }
  for (const street of STREETS) {
    const streetOpen: string[] = [];
    for (const [q, heldOn] of [d('2022-06-15'), d('2022-09-15'), d('2022-12-15')].entries())
      meet(
        w,
        `${street.id}-dgw`,
        `${street.id}-2022-q${q + 2}`,
        heldOn,
        [`ky-standing-${street.id === 'kaiyuan-jd' ? 1 : 2}`, ...(streetMembers[street.id] ?? [])],
        streetOpen,
        `${street.name}大工委联席会议 第${q + 1}次`,
      );
  }
  // 需求清单 + 资源清单 → 服务项目清单 at the 大党委's joint meeting: 47 lists (ten communities agree
  // a second one in August), 170 projects, 156 difficulties solved by the end of the year.
  let projectNo = 0;
  let listNo = 0;
  for (const c of communities) {
    const lists = c.index < 10 ? 2 : 1;
    for (let l = 1; l <= lists; l++) {
      listNo++;
      const listId = `${c.id}-list-${l}`;
      const agreedOn = meetingDays[l - 1]!;
      const projects = listNo <= 29 ? 4 : 3;
      for (let p = 1; p <= projects; p++) {
        projectNo++;
        const projectId = ProjectId.parse(`ky-project-${projectNo}`);
        const listedOn = addDays(agreedOn, -rng.int(8, 20));
        const category = rng.pick(NEEDS);
        w.schedule(listedOn, {
          type: 'ListNeed',
          projectId,
          communityId: RegionId.parse(c.id),
          title: `${c.name} ${category} 需求 ${l}-${p}`,
          category,
          listedBy: rng.pick(['community', 'resident', 'grid-worker'] as const),
          listedOn,
        });
        const leadUnit = UnitId.parse(`ky-lead-${c.index + 1}`);
        w.schedule(agreedOn, {
          type: 'AgreeProject',
          projectId,
          agreedOn,
          listId,
          committeeId: CommitteeId.parse(`${c.id}-ppc`),
          meetingRef: `纪要 ${c.id}-2022-q${l + 1}`,
          resourceIds: [ResourceId.parse(`ky-lead-${c.index + 1}-res-${1 + (p % 2)}`)],
        });
        const claimant = c.index < 28 && p === 3 ? UnitId.parse(`ky-co-${c.index + 1}`) : leadUnit;
        w.schedule(addDays(agreedOn, 1), {
          type: 'DispatchProject',
          projectId,
          unitId: claimant,
          dispatchedOn: addDays(agreedOn, 1),
        });
        w.schedule(addDays(agreedOn, 2), {
          type: 'ClaimProject',
          projectId,
          claimId: ClaimId.parse(`ky-project-${projectNo}-claim`),
          claimant: { kind: 'unit', unitId: claimant },
          claimedOn: addDays(agreedOn, 2),
        });
        if (projectNo <= 156) {
          const completedOn = addDays(agreedOn, rng.int(10, 40));
          w.schedule(completedOn, {
            type: 'CompleteProject',
            projectId,
            completedOn,
            summary: '居民点单、社区派单、部门接单: 已解决',
            beneficiaries: rng.int(20, 300),
          });
          w.schedule(addDays(completedOn, 3), {
            type: 'RateProject',
            projectId,
            ratedOn: addDays(completedOn, 3),
            satisfaction: rng.int(4, 5),
            ratedBy: `${c.name}居民代表`,
          });
        }
      }
    }
    // A few needs wait for the next list.
    if (c.index % 4 === 0) {
      const listedOn = d('2022-10-28');
      w.schedule(listedOn, {
        type: 'ListNeed',
        projectId: ProjectId.parse(`ky-need-${c.id}`),
        communityId: RegionId.parse(c.id),
        title: `${c.name} 待认领需求`,
        category: rng.pick(NEEDS),
        listedBy: 'community',
        listedOn,
      });
    }
  }
  if (listNo !== 47 || projectNo < 156) throw new Error('kaiyuan: project lists drifted from the seed');

  w.phase('co-construction activities');
  const activity = (n: number, heldOn: PlainDate, kind: ActivityKind) => {
    const c = communities[n % communities.length]!;
    const activityId = ActivityId.parse(`ky-activity-${n + 1}`);
    const units = [
      `ky-lead-${c.index + 1}`,
      ...(c.index < 28 && n % 2 === 0 ? [`ky-co-${c.index + 1}`] : []),
    ];
    w.schedule(addDays(heldOn, -5), {
      type: 'PlanActivity',
      activityId,
      kind,
      regionId: RegionId.parse(c.id),
      title: `${c.name} ${kind}`,
      scheduledFor: heldOn,
      organiserCommitteeId: CommitteeId.parse(`${c.id}-ppc`),
      unitIds: units.map((u) => UnitId.parse(u)),
      plannedOn: addDays(heldOn, -5),
    });
    w.schedule(heldOn, {
      type: 'HoldActivity',
      activityId,
      heldOn,
      participants: rng
        .shuffle(residents[c.id] ?? [])
        .slice(0, rng.int(3, 8))
        .map((m) => MemberId.parse(m)),
      otherParticipants: rng.int(10, 60),
      volunteerHours: rng.int(10, 60),
      beneficiaries: rng.int(30, 300),
    });
  };
  for (let n = 0; n < 57; n++)
    activity(n, addDays(KAIYUAN_JULY_FIRST.from, n % 12), JULY_FIRST_KINDS[n % 3]!);
  for (let n = 57; n < 57 + 124; n++) {
    // Spread over May–June and July–December, outside the 七一 window.
    const k = n - 57;
    const heldOn = k < 40 ? addDays(d('2022-05-02'), k) : addDays(d('2022-07-11'), (k - 40) * 2);
    activity(n, heldOn, YEAR_KINDS[k % 3]!);
  }

  await w.flush();
  return {
    name: 'kaiyuan',
    commands: w.commands,
    events: w.events,
    root: 'kaiyuan',
    period: { from: d('2022-01-01'), to: d('2022-12-31') },
    highlights: {
      committee: 'kaiyuan-jd-dgw',
      community: 'kaiyuan-jd-c1',
      person: 'ky-dept-head-1',
    },
  };
};

export const kaiyuan: Scenario = {
  name: 'kaiyuan',
  description:
    '开原市 2022 (seed 002): 2 大工委, 37 大党委, 448 grids, 88 grid branches, 65 paired units, 47 project lists, 156 difficulties solved',
  policy: HUITONG_2022,
  expectedCommands: () => 6_078,
  run,
};
