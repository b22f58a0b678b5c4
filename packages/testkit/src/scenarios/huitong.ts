import {
  addDays,
  ActivityId,
  CandidateId,
  ClaimId,
  CommitteeId,
  HUITONG_2022,
  IssueId,
  MemberId,
  ProjectId,
  RegionId,
  UnitId,
  type ActivityKind,
  type Trade,
} from '@cogov/domain';
import {
  random,
  ScenarioWriter,
  type Scenario,
  type ScenarioOptions,
  type ScenarioResult,
} from './framework.ts';
import { appoint, assignDuties, d, defineRegion, meet, monthDays } from './steps.ts';

const COMMUNITIES = [
  { id: 'dongmen', name: '东门社区' },
  { id: 'gaihe', name: '改河社区' },
  { id: 'jianshe', name: '建设社区' },
] as const;
const TOWN_UNITS = [
  '县住建局',
  '县自然资源局',
  '县城管局',
  '县市场监管局',
  '县卫健局',
  '县教育局',
  '县民政局',
  '县人社局',
  '县公安局城区派出所',
  '县交通局',
  '县水利局',
  '县供电公司',
  '县农商银行',
  '县工商银行',
  '县邮政公司',
  '县自来水公司',
  '县融媒体中心',
  '县文旅广体局',
  '县残联',
];
const TRADES: readonly Trade[] = [
  'property',
  'sanitation',
  'security',
  'traffic',
  'elderly-care',
  'infrastructure',
  'health',
  'education',
];
const CO_KINDS: readonly ActivityKind[] = [
  'theme-party-day',
  'three-meetings-one-lesson',
  'volunteer-service',
  'lecture',
  'clean-up',
  'cultural',
  'visit',
];

/**
 * 会同县 (seed 000), 2022: the town of 林城镇 with its 大工委 and three general branches upgraded to
 * community party committees; 17 town-level and 21 community-level part-time members through the
 * whole pipeline; 189 part-time member attendances at community joint meetings; 67 problems
 * solved; 123 co-construction activities with the county units of the town.
 */
const run = async (options: ScenarioOptions): Promise<ScenarioResult> => {
  const w = new ScenarioWriter(options, HUITONG_2022);
  const rng = random(2022);

  w.phase('regions, units and members');
  defineRegion(w, d('2020-11-02'), 'huitong', '会同县', 'county');
  defineRegion(w, d('2020-11-02'), 'lincheng', '林城镇', 'town', 'huitong');
  for (const c of COMMUNITIES) defineRegion(w, d('2020-11-02'), c.id, c.name, 'community', 'lincheng');

  const townUnits = TOWN_UNITS.map((name, i) => ({
    id: `ht-unit-${i + 1}`,
    name,
    community: COMMUNITIES[i % 3]!.id,
  }));
  for (const u of townUnits) {
    w.schedule(d('2021-03-01'), {
      type: 'RegisterUnit',
      unitId: UnitId.parse(u.id),
      name: u.name,
      kind: u.name.includes('银行') ? 'financial' : u.name.includes('公司') ? 'state-enterprise' : 'organ',
      regionId: RegionId.parse(u.community),
      registeredOn: d('2021-03-01'),
    });
  }
  const person = (
    id: string,
    name: string,
    category: 'in-service' | 'retired' | 'resident',
    community: string,
  ) =>
    w.schedule(d('2020-12-01'), {
      type: 'RegisterMember',
      memberId: MemberId.parse(id),
      name,
      category,
      communityId: RegionId.parse(community),
      registeredOn: d('2020-12-01'),
    });
  person('ht-leader', '县委常委(分管城建)', 'in-service', 'dongmen');
  person('ht-town-secretary', '林城镇党委书记', 'in-service', 'dongmen');
  for (let i = 1; i <= 4; i++)
    person(`ht-town-member-${i}`, `林城镇党委委员${i}`, 'in-service', COMMUNITIES[i % 3]!.id);
  for (let i = 1; i <= 19; i++)
    person(
      `ht-tp-${i}`,
      `${TOWN_UNITS[i - 1] ?? '县直单位'}党组织负责人`,
      'in-service',
      COMMUNITIES[i % 3]!.id,
    );
  const residents: Record<string, string[]> = {};
  for (const c of COMMUNITIES) {
    person(`${c.id}-secretary`, `${c.name}党组织书记`, 'in-service', c.id);
    for (let i = 1; i <= 8; i++)
      person(
        `${c.id}-cp-${i}`,
        `${c.name}兼职委员人选${i}`,
        i <= 4 ? 'in-service' : i <= 6 ? 'resident' : 'retired',
        c.id,
      );
    residents[c.id] = [];
    for (let i = 1; i <= 60; i++) {
      const id = `${c.id}-m-${i}`;
      person(
        id,
        `${c.name}党员${i}`,
        i % 3 === 0 ? 'retired' : i % 3 === 1 ? 'in-service' : 'resident',
        c.id,
      );
      residents[c.id]?.push(id);
    }
  }

  w.phase('committees and terms');
  const town = CommitteeId.parse('lincheng-dgw');
  w.schedule(d('2021-06-01'), {
    type: 'EstablishCommittee',
    committeeId: town,
    kind: 'subdistrict-working-committee',
    regionId: RegionId.parse('lincheng'),
    name: '林城镇大工委',
    establishedOn: d('2021-06-01'),
  });
  w.scheduleNext({
    type: 'StartTerm',
    committeeId: town,
    termNumber: 1,
    startsOn: d('2021-06-01'),
    renewals: [],
  });
  w.scheduleNext({
    type: 'AssignOfficer',
    committeeId: town,
    personId: MemberId.parse('ht-leader'),
    role: 'first-secretary',
    effectiveOn: d('2021-06-01'),
  });
  w.scheduleNext({
    type: 'AssignOfficer',
    committeeId: town,
    personId: MemberId.parse('ht-town-secretary'),
    role: 'secretary',
    effectiveOn: d('2021-06-01'),
  });
  for (let i = 1; i <= 4; i++)
    w.scheduleNext({
      type: 'AssignOfficer',
      committeeId: town,
      personId: MemberId.parse(`ht-town-member-${i}`),
      role: 'full-time-member',
      effectiveOn: d('2021-06-01'),
    });
  for (const c of COMMUNITIES) {
    const committeeId = CommitteeId.parse(`${c.id}-ppc`);
    w.schedule(d('2021-01-10'), {
      type: 'EstablishCommittee',
      committeeId,
      kind: 'community-general-branch',
      regionId: RegionId.parse(c.id),
      name: `${c.name}党总支`,
      establishedOn: d('2019-01-10'),
    });
    w.schedule(d('2021-01-15'), {
      type: 'StartTerm',
      committeeId,
      termNumber: 1,
      startsOn: d('2021-01-15'),
      renewals: [],
    });
    w.scheduleNext({
      type: 'AssignOfficer',
      committeeId,
      personId: MemberId.parse(`${c.id}-secretary`),
      role: 'secretary',
      effectiveOn: d('2021-01-15'),
    });
  }

  w.phase('pairing and dual reporting');
  for (const u of townUnits) {
    w.schedule(d('2022-01-05'), {
      type: 'PairUnitWithCommunity',
      unitId: UnitId.parse(u.id),
      communityId: RegionId.parse(u.community),
      pairedOn: d('2022-01-05'),
      agreementRef: `共建协议 ${u.id}`,
    });
    w.schedule(d('2022-01-12'), {
      type: 'ReportUnitToCommunity',
      unitId: UnitId.parse(u.id),
      communityId: RegionId.parse(u.community),
      reportedOn: d('2022-01-12'),
    });
  }
  for (const c of COMMUNITIES) {
    for (const id of residents[c.id] ?? []) {
      if (rng.chance(0.7))
        w.schedule(
          d('2022-02-20'),
          {
            type: 'ReportToCommunity',
            memberId: MemberId.parse(id),
            communityId: RegionId.parse(c.id),
            reportedOn: d('2022-02-20'),
          },
          rng.int(0, 20),
        );
    }
  }

  w.phase('town-level part-time members (大工委)');
  const townMembers: string[] = [];
  for (let i = 1; i <= 19; i++) {
    const outcome = i === 18 ? 'fails-screening' : i === 19 ? 'objection-upheld' : 'appointed';
    const appointed = appoint(w, {
      committee: 'lincheng-dgw',
      candidate: `ht-tc-${i}`,
      person: `ht-tp-${i}`,
      category: 'institution-leader',
      unit: `ht-unit-${i}`,
      level: 'subdistrict',
      nominatedOn: addDays(d('2022-01-10'), i % 5),
      outcome,
    });
    if (appointed !== null) {
      townMembers.push(`ht-tp-${i}`);
      assignDuties(w, 'lincheng-dgw', `ht-tc-${i}`, i, addDays(appointed, 10));
    }
  }

  w.phase('upgrades and community-level part-time members (大党委)');
  const communityMembers: Record<string, string[]> = {};
  for (const c of COMMUNITIES) {
    const committeeId = CommitteeId.parse(`${c.id}-ppc`);
    w.schedule(d('2022-03-01'), {
      type: 'UpgradeCommittee',
      committeeId,
      toKind: 'community-party-committee',
      upgradedOn: d('2022-03-01'),
      approvalRef: `会组通〔2022〕${c.id}`,
    });
    communityMembers[c.id] = [];
    for (let i = 1; i <= 8; i++) {
      const outcome =
        i === 8
          ? c.id === 'dongmen'
            ? 'fails-screening'
            : c.id === 'gaihe'
              ? 'not-endorsed'
              : 'objection-upheld'
          : 'appointed';
      const unit = i <= 4 ? townUnits.filter((u) => u.community === c.id)[i - 1]?.id : undefined;
      const appointed = appoint(w, {
        committee: `${c.id}-ppc`,
        candidate: `${c.id}-cc-${i}`,
        person: `${c.id}-cp-${i}`,
        category:
          unit !== undefined ? 'institution-leader' : i <= 6 ? 'exemplary-resident' : 'retired-member',
        ...(unit === undefined ? {} : { unit }),
        level: 'community',
        nominatedOn: addDays(d('2022-03-02'), i % 3),
        outcome,
      });
      if (appointed !== null) {
        communityMembers[c.id]?.push(`${c.id}-cp-${i}`);
        assignDuties(w, `${c.id}-ppc`, `${c.id}-cc-${i}`, i, addDays(appointed, 10));
      }
    }
  }

  w.phase('joint meetings');
  const open: Record<string, string[]> = {};
  for (const [m, heldOn] of monthDays(2022, 4, 12, 15).entries()) {
    for (const c of COMMUNITIES) {
      open[c.id] ??= [];
      meet(
        w,
        `${c.id}-ppc`,
        `${c.id}-2022-${m + 4}`,
        heldOn,
        [`${c.id}-secretary`, ...(communityMembers[c.id] ?? [])],
        open[c.id] ?? [],
        `${c.name} 第${m + 1}次联席会议议题`,
      );
    }
  }
  const townOpen: string[] = [];
  for (const [q, heldOn] of [d('2022-04-20'), d('2022-07-20'), d('2022-10-20'), d('2022-12-20')].entries()) {
    // The last member's withdrawal (effective 1 September) is recorded on 15 November: the October
    // minutes still list him, as the records then said he sat; December's do not.
    const sitting = q === 3 ? townMembers.slice(0, -1) : townMembers;
    const attendees = ['ht-town-secretary', 'ht-leader', ...sitting.filter((_, i) => (i + q) % 6 !== 0)];
    meet(
      w,
      'lincheng-dgw',
      `lincheng-2022-q${q + 1}`,
      heldOn,
      attendees,
      townOpen,
      `林城镇大工委 第${q + 1}季度联席会议`,
    );
  }

  w.phase('the problem ledger');
  let issueNo = 0;
  for (const c of COMMUNITIES) {
    for (let i = 0; i < 25; i++) {
      issueNo++;
      const issueId = IssueId.parse(`ht-issue-${issueNo}`);
      const registeredOn = addDays(d('2022-04-01'), i * 9 + rng.int(0, 5));
      const trade = rng.pick(TRADES);
      w.schedule(registeredOn, {
        type: 'RegisterIssue',
        issueId,
        committeeId: CommitteeId.parse(`${c.id}-ppc`),
        title: `${c.name} ${trade} 问题 ${i + 1}`,
        trade,
        source: rng.pick(['resident', 'grid-worker', 'part-time-member'] as const),
        registeredOn,
      });
      const assignee =
        i % 4 === 3
          ? {
              kind: 'unit' as const,
              unitId: UnitId.parse(rng.pick(townUnits.filter((u) => u.community === c.id)).id),
            }
          : { kind: 'member' as const, personId: MemberId.parse(rng.pick(communityMembers[c.id] ?? [])) };
      const assignedOn = addDays(registeredOn, 1);
      w.schedule(assignedOn, {
        type: 'AssignIssue',
        issueId,
        assignee,
        assignedOn,
        dueOn: addDays(assignedOn, 30),
      });
      // 67 of the 75 are solved (000: 为社区解决问题67个); two withdrawn, six still open.
      if (issueNo <= 67) {
        const late = issueNo % 9 === 0;
        if (late)
          w.schedule(addDays(assignedOn, 33), {
            type: 'EscalateIssue',
            issueId,
            escalatedOn: addDays(assignedOn, 33),
            to: 'committee-secretary',
            note: '逾期督办',
          });
        const resolvedOn = addDays(assignedOn, late ? 36 : rng.int(3, 25));
        w.schedule(resolvedOn, { type: 'ResolveIssue', issueId, resolvedOn, resolution: '已协调解决' });
        w.schedule(addDays(resolvedOn, 2), {
          type: 'PublishIssueOutcome',
          issueId,
          publishedOn: addDays(resolvedOn, 2),
          channel: rng.pick(['notice-board', 'wechat-group'] as const),
          audience: '相关居民',
        });
      } else if (issueNo <= 69) {
        w.schedule(addDays(assignedOn, 3), {
          type: 'WithdrawIssue',
          issueId,
          withdrawnOn: addDays(assignedOn, 3),
          reason: '重复登记',
        });
      }
    }
  }

  w.phase('co-construction activities');
  for (let i = 0; i < 147; i++) {
    const c = COMMUNITIES[i % 3]!;
    const coConstruction = i < 123;
    const activityId = ActivityId.parse(`ht-activity-${i + 1}`);
    const heldOn = addDays(d('2022-01-15'), Math.floor(i * 2.3));
    const kind = rng.pick(CO_KINDS);
    const units = coConstruction
      ? rng
          .shuffle(townUnits.filter((u) => u.community === c.id))
          .slice(0, rng.int(1, 3))
          .map((u) => UnitId.parse(u.id))
      : [];
    w.schedule(addDays(heldOn, -7), {
      type: 'PlanActivity',
      activityId,
      kind,
      regionId: RegionId.parse(c.id),
      title: `${c.name} ${kind}`,
      scheduledFor: heldOn,
      organiserCommitteeId: CommitteeId.parse(`${c.id}-ppc`),
      unitIds: units,
      plannedOn: addDays(heldOn, -7),
    });
    const participants = rng
      .shuffle(residents[c.id] ?? [])
      .slice(0, rng.int(5, 18))
      .map((m) => MemberId.parse(m));
    w.schedule(heldOn, {
      type: 'HoldActivity',
      activityId,
      heldOn,
      participants,
      otherParticipants: rng.int(5, 40),
      volunteerHours: rng.int(10, 80),
      beneficiaries: rng.int(20, 200),
    });
  }

  w.phase('micro-wishes');
  for (let i = 1; i <= 20; i++) {
    const c = COMMUNITIES[i % 3]!;
    const projectId = ProjectId.parse(`ht-wish-${i}`);
    const postedOn = addDays(d('2022-05-01'), i * 7);
    w.schedule(postedOn, {
      type: 'PostMicroWish',
      projectId,
      communityId: RegionId.parse(c.id),
      title: `微心愿 ${i}`,
      wisher: `居民${i}`,
      postedOn,
    });
    if (i <= 16) {
      const member = MemberId.parse(rng.pick(residents[c.id] ?? []));
      w.schedule(addDays(postedOn, 2), {
        type: 'ClaimProject',
        projectId,
        claimId: ClaimId.parse(`ht-wish-${i}-claim`),
        claimant: { kind: 'member', memberId: member },
        claimedOn: addDays(postedOn, 2),
      });
      w.schedule(addDays(postedOn, 9), {
        type: 'FulfilMicroWish',
        projectId,
        fulfilledOn: addDays(postedOn, 9),
        note: '已送达',
      });
    }
  }

  w.phase('a late record and the year-end evaluations');
  // Recorded on 15 November, effective 1 September: an auditor asking "as known at 1 October" still sees the member.
  const leaving = townMembers[townMembers.length - 1] as string;
  const leavingCandidate = `ht-tc-${leaving.split('-').pop() ?? ''}`;
  w.schedule(d('2022-11-15'), {
    type: 'RecordWithdrawal',
    committeeId: town,
    candidateId: CandidateId.parse(leavingCandidate),
    effectiveOn: d('2022-09-01'),
    reason: '工作调动 (job transfer)',
    notice: {
      issuedBy: '县直单位党组织',
      unitId: UnitId.parse(`ht-unit-${leaving.split('-').pop() ?? ''}`),
      notifiedOn: d('2022-08-25'),
      documentRef: '单位通报 2022-08',
    },
  });
  for (const c of COMMUNITIES) {
    for (const [i, member] of (communityMembers[c.id] ?? []).entries()) {
      w.schedule(d('2022-12-20'), {
        type: 'EvaluateMember',
        committeeId: CommitteeId.parse(`${c.id}-ppc`),
        candidateId: CandidateId.parse(`${c.id}-cc-${member.split('-').pop() ?? ''}`),
        year: 2022,
        grade: i === 0 ? 'excellent' : i === 6 ? 'basically-competent' : 'competent',
        evaluatedOn: d('2022-12-20'),
        method: 'mass-evaluation-and-performance',
      });
    }
  }

  await w.flush();
  return {
    name: 'huitong',
    commands: w.commands,
    events: w.events,
    root: 'huitong',
    period: { from: d('2022-01-01'), to: d('2022-12-31') },
    highlights: {
      committee: 'lincheng-dgw',
      community: 'dongmen',
      person: leaving,
      backdatedOn: '2022-09-01',
      recordedOn: '2022-11-15',
    },
  };
};

export const huitong: Scenario = {
  name: 'huitong',
  description:
    '会同县 2022 (seed 000): 17 + 21 part-time members, 189 attendances, 67 problems solved, 120+ activities',
  policy: HUITONG_2022,
  // 3 118, and since the four roles were assigned (17 town and 21 community members), 38 more.
  expectedCommands: () => 3_156,
  run,
};
