import {
  HUITONG_2022,
  MemberId,
  memberDecider,
  type MemberCommand,
  type MemberEvent,
  type MemberState,
  type PointsCause,
} from '@cogov/domain';
import { chains, contextOn, day, regionId } from '../domain/fixtures.ts';
import { clock, drive, stepPlan, type Driven, type Step } from './common.ts';

const CAUSE_KINDS: readonly PointsCause['kind'][] = [
  'activity',
  'issue',
  'joint-meeting',
  'volunteering',
  'study',
  'manual',
];

/** A member's points ledger: awards and deductions of random size with causes that sometimes repeat. */
export const driveMember = (
  plan: readonly Step[],
): Driven<MemberCommand, MemberEvent> & { state: MemberState } => {
  const time = clock();
  const M = MemberId.parse('member-1');
  const initial: MemberEvent[] = [
    {
      type: 'MemberRegistered',
      data: {
        memberId: M,
        name: 'm',
        category: 'in-service',
        communityId: regionId('dongmen'),
        unitId: null,
        registeredOn: day('2020-01-01'),
      },
    },
  ];
  const next = (_state: MemberState, i: number): MemberCommand | undefined => {
    const s = plan[i] as Step;
    const on = time.advance(s.days * 3);
    const cause = {
      kind: CAUSE_KINDS[s.target % CAUSE_KINDS.length] as PointsCause['kind'],
      sourceId: `source-${s.variant % 25}`,
    };
    const points = 1 + (s.variant % 90);
    if (s.action < 55) return { type: 'AwardPoints', memberId: M, points, cause, awardedOn: on };
    if (s.action < 95)
      return { type: 'DeductPoints', memberId: M, points, cause, deductedOn: on, reason: 'rule broken' };
    if (s.action < 97)
      return { type: 'ReportToCommunity', memberId: M, communityId: regionId('dongmen'), reportedOn: on };
    return { type: 'TransferMemberOut', memberId: M, transferredOn: on, destination: 'elsewhere' };
  };
  return drive(
    memberDecider,
    next,
    () => contextOn({ regions: chains.community }, { today: '2030-06-01', policy: HUITONG_2022 }),
    plan.length,
    initial,
  );
};

export const memberPlan = stepPlan(60);
