import {
  addDays,
  ActivityId,
  CandidateId,
  ClaimId,
  CommitteeId,
  IssueId,
  LIUYANG_2013,
  MemberId,
  ProjectId,
  RegionId,
  UnitId,
  type ActivityKind,
  type DomainCommand,
  type NomineeCategory,
  type PlainDate,
  type Trade,
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

/** The seed's city-wide figures (003, October 2018); a scale below 1 shrinks them all alike. */
export const CHANGSHA_FULL = {
  subdistricts: 95,
  communities: 596,
  compoundBranches: 863,
  compoundsWithJointMeetings: 521,
  subdistrictPartTime: 426,
  communityPartTime: 2_061,
  pairedOrganBranches: 520,
  reportingMembers: 100_800,
  scoredMembers: 74_400,
} as const;

/** The day the seed's figures describe (the article is of 22 October 2018). */
export const CHANGSHA_AS_OF = d('2018-09-30');

/** The nine districts, counties and county-level cities, with their share of the 95 streets. */
const DISTRICTS = [
  ['furong', '芙蓉区', 13],
  ['tianxin', '天心区', 14],
  ['yuelu', '岳麓区', 18],
  ['kaifu', '开福区', 16],
  ['yuhua', '雨花区', 14],
  ['wangcheng', '望城区', 8],
  ['changshaxian', '长沙县', 6],
  ['liuyang', '浏阳市', 4],
  ['ningxiang', '宁乡市', 2],
] as const;
const TRADES: readonly Trade[] = [
  'property',
  'security',
  'traffic',
  'education',
  'sanitation',
  'infrastructure',
];
const ISSUES = ['停车场矛盾', '物业费拖欠', '业主子女入学入托', '楼道堆物', '电梯维修', '路灯损坏'];
const KINDS: readonly ActivityKind[] = [
  'theme-party-day',
  'three-meetings-one-lesson',
  'volunteer-service',
  'lecture',
  'clean-up',
  'cultural',
];
const UNIT_KINDS: readonly UnitKind[] = [
  'organ',
  'state-enterprise',
  'private-enterprise',
  'property-company',
];

/** Share i of n of a total, so that the n shares add up to the total exactly. */
const share = (total: number, n: number, i: number) =>
  Math.floor(((i + 1) * total) / n) - Math.floor((i * total) / n);

interface Seat {
  readonly person: string;
  /** First day the seat is sat and recorded as such. */
  readonly from: PlainDate;
  /** First day certainly no longer sitting (null: still sitting at the end of the scenario). */
  to: PlainDate | null;
  readonly candidate: string;
}

/**
 * 长沙市 (seed 003), 2014 to September 2018: 95 streets with their 大工委 and 426 street-level
 * part-time members (three-year terms, most renewed in 2018), 596 communities with 2 061 part-time
 * members (terms ending with the committee's in 2017, most renewed), 863 compound branches of which
 * 521 hold joint meetings, 520 organ branches paired with communities, 100 800 in-service members
 * reporting where they live, 74 400 community-managed members scored for what they do. At scale 1
 * about a million events; `scale` shrinks every count alike for CI and quick benchmarks.
 *
 * Changsha's own rules are Liuyang's (a county-level city of Changsha) of 2013.
 */
const run = async (options: ScenarioOptions): Promise<ScenarioResult> => {
  const scale = options.scale ?? 1;
  if (!(scale > 0 && scale <= 1)) throw new RangeError(`changsha: scale must be in (0, 1], got ${scale}`);
  const n = (full: number) => Math.max(1, Math.round(full * scale));
  const size = Object.fromEntries(Object.entries(CHANGSHA_FULL).map(([k, v]) => [k, n(v)])) as {
    [K in keyof typeof CHANGSHA_FULL]: number;
  };
  const w = new ScenarioWriter({ ...options, concurrency: options.concurrency ?? 32 }, LIUYANG_2013);
  const rng = random(2018);

  w.phase('regions');
  defineRegion(w, d('2014-01-02'), 'changsha', '长沙市', 'city');
  const streets: { id: string; name: string; communities: number[] }[] = [];
  const communities: { id: string; street: number; index: number }[] = [];
  // Streets are shared out among districts in the seed's proportions, communities among streets.
  const districtOf = (s: number) => {
    let seen = 0;
    for (const [k, [, , count]] of DISTRICTS.entries()) {
      seen += count;
      if ((s * 95) / size.subdistricts < seen) return k;
    }
    return DISTRICTS.length - 1;
  };
  const usedDistricts = new Set<number>();
  for (let s = 0; s < size.subdistricts; s++) usedDistricts.add(districtOf(s));
  for (const k of usedDistricts) {
    const [id, name] = DISTRICTS[k]!;
    defineRegion(w, d('2014-01-03'), `cs-${id}`, name, 'district', 'changsha');
  }
  for (let s = 0; s < size.subdistricts; s++) {
    const id = `cs-st${s + 1}`;
    const name = `${DISTRICTS[districtOf(s)]![1]}第${s + 1}街道`;
    streets.push({ id, name, communities: [] });
    defineRegion(w, d('2014-01-04'), id, name, 'subdistrict', `cs-${DISTRICTS[districtOf(s)]![0]}`);
  }
  const communityCount = Math.max(size.communities, size.subdistricts);
  for (let c = 0; c < communityCount; c++) {
    const street = Math.floor((c * size.subdistricts) / communityCount);
    const id = `cs-c${c + 1}`;
    communities.push({ id, street, index: c });
    streets[street]!.communities.push(c);
    defineRegion(
      w,
      d('2014-01-05'),
      id,
      `${streets[street]!.name}第${c + 1}社区`,
      'community',
      streets[street]!.id,
    );
  }
  const compounds: { id: string; community: number; meets: boolean }[] = [];
  for (const c of communities) {
    for (let k = 0; k < share(size.compoundBranches, communityCount, c.index); k++) {
      const id = `${c.id}-x${k + 1}`;
      compounds.push({ id, community: c.index, meets: false });
      defineRegion(w, d('2014-01-06'), id, `${c.id} 第${k + 1}小区`, 'compound', c.id);
    }
  }
  for (let k = 0; k < Math.min(size.compoundsWithJointMeetings, compounds.length); k++)
    compounds[Math.floor((k * compounds.length) / size.compoundsWithJointMeetings)]!.meets = true;
  await w.flush();

  w.phase('units and members');
  // Each community has four units: an organ, a state enterprise, a private firm, a property company.
  for (const c of communities)
    UNIT_KINDS.forEach((kind, u) =>
      w.schedule(d('2014-01-10'), {
        type: 'RegisterUnit',
        unitId: UnitId.parse(`${c.id}-u${u}`),
        name: `${c.id} ${kind} ${u}`,
        kind,
        regionId: RegionId.parse(c.id),
        registeredOn: d('2014-01-10'),
      }),
    );
  const register = (
    id: string,
    category: 'in-service' | 'retired' | 'resident',
    community: string,
    on: PlainDate,
  ) =>
    w.schedule(on, {
      type: 'RegisterMember',
      memberId: MemberId.parse(id),
      name: id,
      category,
      communityId: RegionId.parse(community),
      registeredOn: on,
    });
  const scored: string[][] = [];
  const reporting: string[][] = [];
  for (const c of communities) {
    register(`${c.id}-secretary`, 'in-service', c.id, d('2014-01-15'));
    for (let u = 0; u < 4; u++) register(`${c.id}-rep${u}`, 'in-service', c.id, d('2014-01-15'));
    for (let r = 0; r < 3; r++) register(`${c.id}-res${r}`, 'resident', c.id, d('2014-01-15'));
    scored[c.index] = Array.from({ length: share(size.scoredMembers, communityCount, c.index) }, (_, k) => {
      const id = `${c.id}-s${k + 1}`;
      register(id, k % 3 === 0 ? 'resident' : 'retired', c.id, addDays(d('2014-02-01'), k % 60));
      return id;
    });
    reporting[c.index] = Array.from(
      { length: share(size.reportingMembers, communityCount, c.index) },
      (_, k) => {
        const id = `${c.id}-w${k + 1}`;
        register(id, 'in-service', c.id, addDays(d('2014-02-01'), k % 60));
        return id;
      },
    );
  }
  for (const s of streets)
    register(`${s.id}-secretary`, 'in-service', communities[s.communities[0]!]!.id, d('2014-01-15'));
  await w.flush();

  w.phase('committees, pairing and dual reporting');
  const establish = (
    committee: string,
    kind: 'subdistrict-working-committee' | 'community-party-committee' | 'compound-branch',
    region: string,
    day: PlainDate,
    secretary: string,
  ) => {
    const committeeId = CommitteeId.parse(committee);
    w.schedule(day, {
      type: 'EstablishCommittee',
      committeeId,
      kind,
      regionId: RegionId.parse(region),
      name: committee,
      establishedOn: day,
    });
    w.scheduleNext({ type: 'StartTerm', committeeId, termNumber: 1, startsOn: day, renewals: [] });
    w.scheduleNext({
      type: 'AssignOfficer',
      committeeId,
      personId: MemberId.parse(secretary),
      role: 'secretary',
      effectiveOn: day,
    });
  };
  for (const s of streets)
    establish(`${s.id}-dgw`, 'subdistrict-working-committee', s.id, d('2014-04-01'), `${s.id}-secretary`);
  for (const c of communities)
    establish(`${c.id}-ppc`, 'community-party-committee', c.id, d('2014-04-01'), `${c.id}-secretary`);
  // 支部建在住宅小区: compound branches from 2016 to mid-2018.
  const branchDay = new Map<string, PlainDate>();
  compounds.forEach((x, k) => {
    const day = addDays(d('2016-03-01'), Math.floor((k * 820) / Math.max(1, compounds.length)));
    branchDay.set(x.id, day);
    establish(`${x.id}-branch`, 'compound-branch', x.id, day, `${communities[x.community]!.id}-res${k % 3}`);
  });
  const paired = new Set<number>();
  // 500多个机关支部与社区结对: the organ of the first communities pairs with it and reports.
  for (let p = 0; p < Math.min(size.pairedOrganBranches, communities.length); p++) {
    const c = communities[Math.floor((p * communities.length) / size.pairedOrganBranches)]!;
    paired.add(c.index);
    w.schedule(d('2015-03-10'), {
      type: 'PairUnitWithCommunity',
      unitId: UnitId.parse(`${c.id}-u0`),
      communityId: RegionId.parse(c.id),
      pairedOn: d('2015-03-10'),
      agreementRef: `结对协议 ${c.id}`,
    });
    w.schedule(d('2015-03-20'), {
      type: 'ReportUnitToCommunity',
      unitId: UnitId.parse(`${c.id}-u0`),
      communityId: RegionId.parse(c.id),
      reportedOn: d('2015-03-20'),
    });
  }
  // 10万多名在职党员到居住地社区报到, from 2015 to 2018.
  for (const c of communities)
    for (const [k, id] of (reporting[c.index] ?? []).entries()) {
      const on = addDays(d('2015-04-01'), (k * 7 + c.index) % 1200);
      w.schedule(on, {
        type: 'ReportToCommunity',
        memberId: MemberId.parse(id),
        communityId: RegionId.parse(c.id),
        reportedOn: on,
      });
    }

  w.phase('part-time members (2015)');
  const seats = new Map<string, Seat[]>();
  const seat = (committee: string, person: string, candidate: string, appointedOn: PlainDate | null) => {
    if (appointedOn === null) return;
    const list = seats.get(committee) ?? [];
    // The appointment is recorded three days after it takes effect: only then may minutes list them.
    list.push({ person, from: addDays(appointedOn, 3), to: null, candidate });
    seats.set(committee, list);
  };
  const streetTargets = streets.map((_, s) => share(size.subdistrictPartTime, streets.length, s));
  const communityTargets = communities.map((c) => share(size.communityPartTime, communityCount, c.index));
  const personFor = (c: number, k: number) =>
    k < 4 ? `${communities[c]!.id}-rep${k}` : `${communities[c]!.id}-res${(k - 4) % 3}`;
  const categoryFor = (k: number): NomineeCategory =>
    k >= 4 ? 'exemplary-resident' : k < 2 ? 'institution-leader' : 'non-public-enterprise-leader';
  for (const [s, street] of streets.entries()) {
    for (let k = 0; k < streetTargets[s]!; k++) {
      // A street's members come from the state enterprises of its communities, in turn.
      const c = street.communities[k % street.communities.length]!;
      const person = `${communities[c]!.id}-rep1`;
      const candidate = `${street.id}-pc${k + 1}`;
      // One person sits once per committee: beyond one per community, residents step in.
      const repeat = k >= street.communities.length;
      const who = repeat
        ? `${communities[c]!.id}-res${Math.floor(k / street.communities.length) - 1}`
        : person;
      seat(
        `${street.id}-dgw`,
        who,
        candidate,
        appoint(w, {
          committee: `${street.id}-dgw`,
          candidate,
          person: who,
          category: repeat ? 'exemplary-resident' : 'institution-leader',
          ...(repeat ? {} : { unit: `${communities[c]!.id}-u1` }),
          level: 'subdistrict',
          nominatedOn: addDays(d('2015-05-04'), k % 10),
        }),
      );
    }
  }
  for (const c of communities) {
    for (let k = 0; k < communityTargets[c.index]!; k++) {
      const candidate = `${c.id}-pc${k + 1}`;
      seat(
        `${c.id}-ppc`,
        personFor(c.index, k),
        candidate,
        appoint(w, {
          committee: `${c.id}-ppc`,
          candidate,
          person: personFor(c.index, k),
          category: categoryFor(k),
          ...(k < 4 ? { unit: `${c.id}-u${k}` } : {}),
          level: 'community',
          nominatedOn: addDays(d('2015-06-01'), (c.index + k) % 20),
        }),
      );
    }
  }

  w.phase('terms: community renewals (2017), street renewals (2018)');
  const END_OF_TERM_1 = d('2017-04-01');
  let replacement = 0;
  for (const c of communities) {
    const committee = `${c.id}-ppc`;
    const sitting = seats.get(committee) ?? [];
    // About one in seven is not renewed and is replaced by a new candidate.
    const leaving = sitting.filter((_, k) => (c.index + k) % 7 === 3);
    const renewed = sitting.filter((x) => !leaving.includes(x));
    // On the day of the new term, facts read by other streams race with it: the scenario lists no
    // part-time member on that one day (renewed seats resume the next).
    for (const x of renewed) {
      x.to = END_OF_TERM_1;
      sitting.push({ ...x, from: addDays(END_OF_TERM_1, 1), to: null });
    }
    w.schedule(END_OF_TERM_1, {
      type: 'StartTerm',
      committeeId: CommitteeId.parse(committee),
      termNumber: 2,
      startsOn: END_OF_TERM_1,
      renewals: renewed.map((x) => CandidateId.parse(x.candidate)),
      ...(renewed.length > 0 ? { renewalApprovalRef: `街道党工委批复〔2017〕${c.index + 1}号` } : {}),
    });
    // The new term's committee is elected anew (换届): its secretary is assigned again.
    w.scheduleNext({
      type: 'AssignOfficer',
      committeeId: CommitteeId.parse(committee),
      personId: MemberId.parse(`${c.id}-secretary`),
      role: 'secretary',
      effectiveOn: END_OF_TERM_1,
    });
    for (const x of leaving) {
      x.to = END_OF_TERM_1;
      // A resident who does not sit yet takes the seat.
      const person =
        [3, 4, 5]
          .map((k) => personFor(c.index, k))
          .find((p) => !sitting.some((y) => y.person === p && y.to === null)) ?? personFor(c.index, 6);
      const candidate = `${c.id}-pr${++replacement}`;
      seat(
        committee,
        person,
        candidate,
        appoint(w, {
          committee,
          candidate,
          person,
          category: 'exemplary-resident',
          level: 'community',
          nominatedOn: addDays(d('2017-04-10'), c.index % 10),
        }),
      );
    }
  }
  for (const [s, street] of streets.entries()) {
    const committee = `${street.id}-dgw`;
    for (const [k, x] of [...(seats.get(committee) ?? [])].entries()) {
      if ((s + k) % 7 === 3) {
        x.to = d('2018-05-01'); // the first seats end from mid-May 2018
        w.schedule(d('2018-08-01'), {
          type: 'ExpireMemberTerm',
          committeeId: CommitteeId.parse(committee),
          candidateId: CandidateId.parse(x.candidate),
        });
        const candidate = `${street.id}-pr${++replacement}`;
        // The organ of the same community sends someone new.
        const community = communities[street.communities[k % street.communities.length]!]!.id;
        seat(
          committee,
          `${community}-rep0`,
          candidate,
          appoint(w, {
            committee,
            candidate,
            person: `${community}-rep0`,
            category: 'institution-leader',
            unit: `${community}-u0`,
            level: 'subdistrict',
            nominatedOn: d('2018-08-02'),
          }),
        );
      } else {
        w.schedule(d('2018-05-15'), {
          type: 'RenewMember',
          committeeId: CommitteeId.parse(committee),
          candidateId: CandidateId.parse(x.candidate),
          renewedOn: d('2018-05-15'),
          approvalRef: `组批〔2018〕${street.id}-${k + 1}`,
        });
      }
    }
  }

  w.phase('joint meetings');
  const sittingOn = (committee: string, day: PlainDate) =>
    (seats.get(committee) ?? [])
      .filter((x) => x.from <= day && (x.to === null || day < x.to))
      .map((x) => x.person);
  const quarters: PlainDate[] = [];
  for (let y = 2015; y <= 2018; y++)
    for (const m of ['02', '05', '08', '11']) {
      const day = d(`${y}-${m}-18`);
      if (day >= d('2015-08-01') && day <= CHANGSHA_AS_OF) quarters.push(day);
    }
  for (const c of communities) {
    const open: string[] = [];
    for (const day of quarters) {
      const committee = `${c.id}-ppc`;
      meet(
        w,
        committee,
        `${committee}-${day}`,
        day,
        [`${c.id}-secretary`, ...new Set(sittingOn(committee, day))],
        open,
        `${c.id} 联席会议 ${day}`,
      );
    }
  }
  for (const street of streets) {
    const open: string[] = [];
    for (const day of quarters) {
      const committee = `${street.id}-dgw`;
      meet(
        w,
        committee,
        `${committee}-${day}`,
        addDays(day, 5),
        [`${street.id}-secretary`, ...new Set(sittingOn(committee, addDays(day, 5)))],
        open,
        `${street.name} 大工委联席会议 ${day}`,
      );
    }
  }
  // 521个小区党支部建立了联席会议制度: they meet twice a year once established.
  compounds.forEach((x, k) => {
    if (!x.meets) return;
    const open: string[] = [];
    const from = addDays(branchDay.get(x.id)!, 30);
    for (let y = 2016; y <= 2018; y++)
      for (const m of ['03', '09']) {
        const day = d(`${y}-${m}-10`);
        if (day < from || day > CHANGSHA_AS_OF) continue;
        meet(
          w,
          `${x.id}-branch`,
          `${x.id}-${day}`,
          day,
          [`${communities[x.community]!.id}-res${k % 3}`],
          open,
          `${x.id} 小区联席会议 ${day}`,
        );
      }
  });

  w.phase('issues raised in the compounds, on the community ledger');
  // 解决了停车场矛盾、物业费拖欠、业主子女入学入托等问题: the compound's problems go on its community's
  // ledger, to the paired organ or a part-time member sitting then.
  let issueNo = 0;
  compounds.forEach((x, k) => {
    const c = communities[x.community]!;
    const committee = `${c.id}-ppc`;
    const from = addDays(branchDay.get(x.id)!, 10);
    for (let i = 0; i < 20; i++) {
      const registeredOn = addDays(from, i * 40 + (k % 17));
      if (registeredOn > d('2018-08-31')) break;
      const issueId = IssueId.parse(`cs-issue-${++issueNo}`);
      w.schedule(registeredOn, {
        type: 'RegisterIssue',
        issueId,
        committeeId: CommitteeId.parse(committee),
        title: `${x.id} ${ISSUES[(k + i) % ISSUES.length]}`,
        trade: TRADES[(k + i) % TRADES.length]!,
        source: 'resident',
        registeredOn,
      });
      const assignedOn = addDays(registeredOn, 1);
      const sitting = [...new Set(sittingOn(committee, assignedOn))];
      const member = sitting[(k + i) % Math.max(1, sitting.length)];
      const byUnit = (i % 3 === 0 && paired.has(c.index)) || member === undefined;
      if (byUnit && !paired.has(c.index)) continue;
      w.schedule(assignedOn, {
        type: 'AssignIssue',
        issueId,
        assignee: byUnit
          ? { kind: 'unit', unitId: UnitId.parse(`${c.id}-u0`) }
          : { kind: 'member', personId: MemberId.parse(member) },
        assignedOn,
        dueOn: addDays(assignedOn, 30),
      });
      if (i % 10 !== 9) {
        // Resolved within five weeks, before the member's seat could end.
        const resolvedOn = addDays(assignedOn, 3 + ((k + i) % 35));
        w.schedule(resolvedOn, { type: 'ResolveIssue', issueId, resolvedOn, resolution: '协调解决' });
      }
    }
  });

  w.phase('needs, resources and projects');
  let projectNo = 0;
  for (const c of communities) {
    for (let y = 2015; y <= 2018; y++) {
      for (let p = 0; p < 8; p++) {
        const listedOn = d(`${y}-0${1 + (p % 8)}-05`);
        if (listedOn > d('2018-08-31')) continue;
        const projectId = ProjectId.parse(`cs-project-${++projectNo}`);
        w.schedule(listedOn, {
          type: 'ListNeed',
          projectId,
          communityId: RegionId.parse(c.id),
          title: `${c.id} 需求 ${y}-${p}`,
          category: 'elderly-care',
          listedBy: 'community',
          listedOn,
        });
        const agreedOn = addDays(listedOn, 10);
        w.schedule(agreedOn, {
          type: 'AgreeProject',
          projectId,
          agreedOn,
          listId: `${c.id}-${y}`,
          committeeId: CommitteeId.parse(`${c.id}-ppc`),
          resourceIds: [],
        });
        const member = (scored[c.index] ?? [])[(p * 13 + y) % Math.max(1, scored[c.index]!.length)];
        if (member === undefined) continue;
        w.schedule(addDays(agreedOn, 2), {
          type: 'ClaimProject',
          projectId,
          claimId: ClaimId.parse(`cs-project-${projectNo}-claim`),
          claimant: { kind: 'member', memberId: MemberId.parse(member) },
          claimedOn: addDays(agreedOn, 2),
        });
        w.schedule(addDays(agreedOn, 20), {
          type: 'CompleteProject',
          projectId,
          completedOn: addDays(agreedOn, 20),
          summary: '双向认领 完成',
          beneficiaries: 10 + (p % 50),
        });
      }
    }
  }

  w.phase('activities and points (量化积分)');
  let activityNo = 0;
  for (const c of communities) {
    const members = scored[c.index] ?? [];
    // Each scored member takes part in about five activities over the years.
    const count = Math.max(1, Math.round((members.length * 5) / 25));
    for (let a = 0; a < count; a++) {
      const heldOn = addDays(d('2015-03-01'), Math.floor((a * 1300) / count) + (c.index % 7));
      if (heldOn > CHANGSHA_AS_OF) break;
      const activityId = ActivityId.parse(`cs-activity-${++activityNo}`);
      const kind = KINDS[(a + c.index) % KINDS.length]!;
      w.schedule(addDays(heldOn, -3), {
        type: 'PlanActivity',
        activityId,
        kind,
        regionId: RegionId.parse(c.id),
        title: `${c.id} ${kind}`,
        scheduledFor: heldOn,
        organiserCommitteeId: CommitteeId.parse(`${c.id}-ppc`),
        unitIds: [],
        plannedOn: addDays(heldOn, -3),
      });
      const participants = Array.from(
        { length: Math.min(25, members.length) },
        (_, k) => members[(a * 25 + k) % members.length]!,
      );
      w.schedule(heldOn, {
        type: 'HoldActivity',
        activityId,
        heldOn,
        participants: [...new Set(participants)].map((m) => MemberId.parse(m)),
        otherParticipants: rng.int(0, 30),
        volunteerHours: rng.int(10, 100),
        beneficiaries: rng.int(10, 300),
      });
    }
  }

  w.phase('democratic ratings of 2017');
  for (const c of communities)
    for (const [k, id] of (scored[c.index] ?? []).entries())
      w.schedule(d('2018-01-20'), {
        type: 'RateMember',
        memberId: MemberId.parse(id),
        year: 2017,
        rating: k % 11 === 0 ? 'excellent' : k % 97 === 5 ? 'basically-qualified' : 'qualified',
        ratedOn: d('2018-01-20'),
      } satisfies DomainCommand);
  await w.flush();

  return {
    name: 'changsha',
    commands: w.commands,
    events: w.events,
    root: 'changsha',
    period: { from: d('2015-01-01'), to: CHANGSHA_AS_OF },
    highlights: {
      committee: 'cs-st1-dgw',
      community: communities[0]!.id,
      person: `${communities[0]!.id}-rep1`,
      scale: String(scale),
    },
  };
};

export const changsha: Scenario = {
  name: 'changsha',
  description:
    '长沙市 2014–2018 (seed 003): 95 streets, 596 communities, 426 + 2 061 part-time members, 863 compound branches, 100 800 reporting and 74 400 scored members; --scale shrinks it',
  policy: LIUYANG_2013,
  expectedCommands: (scale = 1) => Math.round(925_000 * scale),
  run,
};
