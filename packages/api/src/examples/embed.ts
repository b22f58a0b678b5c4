// The README's "Embed it" example, run by embed.test.ts so that it stays true.
import {
  CogovService,
  CommitteeId,
  HUITONG_2022,
  MeetingId,
  MemberId,
  RegionId,
  type DomainCommand,
  type PlainDate,
} from '@cogov/domain';
import { LmdbEventStore } from '@cogov/eventstore/lmdb';
import { openReadModels } from '@cogov/projections';

export const embed = async (dir: string) => {
  // The log, in an embedded LMDB environment (a KurrentDB cluster works the same way).
  const store = await LmdbEventStore.open({ path: `${dir}/events` });
  // Commands go through pure deciders; the service loads the facts they need from the store.
  const cogov = new CogovService({ store, policy: HUITONG_2022 });
  const day = (d: string) => d as PlainDate;
  const record = async (command: DomainCommand) => {
    const result = await cogov.execute(command, { actor: 'clerk@huitong' });
    if (result.status === 'rejected') throw new Error(`${command.type}: ${result.rejection.message}`);
    return result;
  };

  await record({
    type: 'DefineRegion',
    regionId: RegionId.parse('huitong'),
    name: '会同县',
    level: 'county',
    definedOn: day('2022-01-01'),
  });
  await record({
    type: 'DefineRegion',
    regionId: RegionId.parse('lincheng'),
    name: '林城镇',
    level: 'town',
    parentId: RegionId.parse('huitong'),
    definedOn: day('2022-01-01'),
  });
  await record({
    type: 'DefineRegion',
    regionId: RegionId.parse('dongmen'),
    name: '东门社区',
    level: 'community',
    parentId: RegionId.parse('lincheng'),
    definedOn: day('2022-01-01'),
  });
  await record({
    type: 'EstablishCommittee',
    committeeId: CommitteeId.parse('dongmen-ppc'),
    kind: 'community-party-committee',
    regionId: RegionId.parse('dongmen'),
    name: '东门社区大党委',
    establishedOn: day('2022-01-01'),
  });
  await record({
    type: 'StartTerm',
    committeeId: CommitteeId.parse('dongmen-ppc'),
    termNumber: 1,
    startsOn: day('2022-01-01'),
    renewals: [],
  });
  await record({
    type: 'RegisterMember',
    memberId: MemberId.parse('li-wei'),
    name: '李伟',
    category: 'in-service',
    communityId: RegionId.parse('dongmen'),
    registeredOn: day('2022-01-01'),
  });
  await record({
    type: 'AssignOfficer',
    committeeId: CommitteeId.parse('dongmen-ppc'),
    personId: MemberId.parse('li-wei'),
    role: 'secretary',
    effectiveOn: day('2022-01-01'),
  });
  // The rules answer with a value, never an exception: a stranger may not attend.
  const refused = await cogov.execute({
    type: 'HoldJointMeeting',
    committeeId: CommitteeId.parse('dongmen-ppc'),
    meetingId: MeetingId.parse('m-1'),
    heldOn: day('2022-03-10'),
    attendees: [MemberId.parse('stranger')],
    agendaItemIds: [],
    minutesRef: '纪要 2022-1',
    resolutions: [],
    followUps: [],
  });
  const held = await record({
    type: 'HoldJointMeeting',
    committeeId: CommitteeId.parse('dongmen-ppc'),
    meetingId: MeetingId.parse('m-1'),
    heldOn: day('2022-03-10'),
    attendees: [MemberId.parse('li-wei')],
    agendaItemIds: [],
    minutesRef: '纪要 2022-1',
    resolutions: [],
    followUps: [],
  });

  // Read models: statistics and bitemporal rosters, kept in LMDB by the projector.
  const readModels = openReadModels({ path: `${dir}/read-models`, store, cogov });
  await readModels.start();
  await readModels.waitFor(held.position ?? 0, 10_000);
  const meetings = readModels
    .statistics()
    .total('meetings.held', { scope: 'r:dongmen' }, day('2022-01-01'), day('2022-12-31'));
  const roster = readModels.membership().roster('dongmen-ppc', { asOf: day('2022-06-30') });

  await readModels.close();
  await store.close();
  return { refused: refused.status === 'rejected' ? refused.rejection.code : null, meetings, roster };
};
