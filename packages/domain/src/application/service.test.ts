import { describe, expect, it } from 'vitest';
import { InMemoryEventStore } from '../kernel/inMemoryEventStore.ts';
import { PlainDate } from '../kernel/plainDate.ts';
import { HUITONG_2022 } from '../policy/presets.ts';
import { CandidateId, CommitteeId, MemberId, RegionId, UnitId } from '../shared/ids.ts';
import type { DomainCommand } from './aggregates.ts';
import { CogovService } from './service.ts';

const d = PlainDate.parse;
const R = RegionId.parse;
const setup = () => {
  const store = new InMemoryEventStore();
  const cogov = new CogovService({
    store,
    policy: HUITONG_2022,
    clock: () => new Date('2023-01-10T02:00:00Z'),
  });
  const run = async (command: DomainCommand, options = {}) => {
    const result = await cogov.execute(command, options);
    if (result.status === 'rejected')
      throw new Error(
        `${command.type}: ${result.rejection.code} ${JSON.stringify(result.rejection.details)}`,
      );
    return result;
  };
  return { store, cogov, run };
};

const geography = async (run: ReturnType<typeof setup>['run']) => {
  await run({
    type: 'DefineRegion',
    regionId: R('huitong'),
    name: '会同县',
    level: 'county',
    definedOn: d('2020-01-01'),
  });
  await run({
    type: 'DefineRegion',
    regionId: R('lincheng'),
    name: '林城镇',
    level: 'town',
    parentId: R('huitong'),
    definedOn: d('2020-01-01'),
  });
  await run({
    type: 'DefineRegion',
    regionId: R('dongmen'),
    name: '东门社区',
    level: 'community',
    parentId: R('lincheng'),
    definedOn: d('2020-01-01'),
  });
};

describe('CogovService', () => {
  it('runs a part-time member through the whole pipeline, reading facts from other aggregates in the store', async () => {
    const { cogov, run } = setup();
    await geography(run);
    const C = CommitteeId.parse('dongmen-ppc');
    const cand = { committeeId: C, candidateId: CandidateId.parse('c1') };
    await run({
      type: 'RegisterUnit',
      unitId: UnitId.parse('bank'),
      name: '农行',
      kind: 'financial',
      regionId: R('dongmen'),
      registeredOn: d('2020-01-01'),
    });
    await run({
      type: 'RegisterMember',
      memberId: MemberId.parse('p1'),
      name: '刘',
      category: 'in-service',
      registeredOn: d('2020-01-01'),
    });
    await run({
      type: 'EstablishCommittee',
      committeeId: C,
      kind: 'community-party-committee',
      regionId: R('dongmen'),
      name: '东门社区大党委',
      establishedOn: d('2021-01-01'),
    });
    await run({ type: 'StartTerm', committeeId: C, termNumber: 1, startsOn: d('2021-01-01'), renewals: [] });
    await run({
      type: 'NominateCandidate',
      ...cand,
      personId: MemberId.parse('p1'),
      category: 'institution-leader',
      unitId: UnitId.parse('bank'),
      nominatedBy: 'bank',
      nominatedOn: d('2022-03-01'),
    });
    await run({
      type: 'ScreenCandidate',
      ...cand,
      screenedOn: d('2022-03-05'),
      method: 'mass-evaluation',
      passed: true,
    });
    await run({
      type: 'DeliberateCandidate',
      ...cand,
      deliberatedOn: d('2022-03-10'),
      meetingRef: 'm1',
      endorsed: true,
    });
    await run({
      type: 'ApproveCandidate',
      ...cand,
      approvedOn: d('2022-03-15'),
      authority: 'subdistrict-committee',
      approvalRef: 'a1',
      filedWith: 'county-organisation-department',
    });
    await run({ type: 'StartPublicity', ...cand, startsOn: d('2022-03-21') });
    const appointed = await run({
      type: 'AppointMember',
      ...cand,
      appointedOn: d('2022-03-28'),
      certificateNo: 'cert-1',
    });
    expect(appointed.events).toMatchObject([
      { type: 'MemberAppointed', data: { termEndsOn: '2025-12-31', termNumber: 1 } },
    ]);
    const { state, revision } = await cogov.load('committee', 'dongmen-ppc');
    expect(revision).toBe(7);
    expect(state).toMatchObject({ status: 'active', seats: [{ personId: 'p1', kind: 'part-time' }] });
  });

  it('refuses anything under a region retired above it (invariant 9)', async () => {
    const { run, cogov } = setup();
    await geography(run);
    await run({
      type: 'RetireRegion',
      regionId: R('lincheng'),
      retiredOn: d('2022-12-31'),
      reason: 'merged',
    });
    const result = await cogov.execute({
      type: 'DrawGridCell',
      gridId: 'g1' as never,
      communityId: R('dongmen'),
      name: 'g',
      households: 300,
      drawnOn: d('2023-01-01'),
    });
    expect(result).toMatchObject({
      status: 'rejected',
      rejection: { code: 'REGION_RETIRED', details: { regionId: 'lincheng' } },
    });
  });

  it('stamps metadata and is idempotent on a command id', async () => {
    const { run, cogov, store } = setup();
    await run(
      {
        type: 'DefineRegion',
        regionId: R('huitong'),
        name: '会同县',
        level: 'county',
        definedOn: d('2020-01-01'),
      },
      { commandId: 'cmd-1', actor: 'clerk-7' },
    );
    const again = await cogov.execute(
      {
        type: 'DefineRegion',
        regionId: R('huitong'),
        name: '会同县',
        level: 'county',
        definedOn: d('2020-01-01'),
      },
      { commandId: 'cmd-1' },
    );
    expect(again).toMatchObject({ status: 'accepted', replayed: true });
    const events = await store.readStream(
      cogov.streamOf({ type: 'RenameRegion', regionId: R('huitong'), name: 'x', renamedOn: d('2020-01-01') }),
    );
    expect(events).toHaveLength(1);
    expect(events[0]?.metadata).toMatchObject({ actor: 'clerk-7', commandId: 'cmd-1', schemaVersion: 1 });
  });

  it('judges "today" in the county time zone', () => {
    const cogov = new CogovService({
      store: new InMemoryEventStore(),
      policy: HUITONG_2022,
      clock: () => new Date('2022-12-31T17:30:00Z'),
    });
    expect(cogov.context().today).toBe('2023-01-01');
  });
});
