import { chains, contextOn, DeciderSpecification, day, memberId, regionId, unitId } from '@cogov/testkit';
import { describe, expect, it } from 'vitest';
import { ActivityId } from '../shared/ids.ts';
import { activityDecider, type ActivityEvent } from './index.ts';

const A = ActivityId.parse('a-1');
const spec = DeciderSpecification.for(activityDecider, contextOn({ regions: chains.community }));
const plan = {
  type: 'PlanActivity' as const,
  activityId: A,
  kind: 'volunteer-service' as const,
  regionId: regionId('dongmen'),
  title: '红马甲清扫',
  scheduledFor: day('2022-07-01'),
  unitIds: [unitId('bank'), unitId('bank')],
  plannedOn: day('2022-06-20'),
};
const planned: ActivityEvent[] = [
  {
    type: 'ActivityPlanned',
    data: {
      activityId: A,
      kind: 'volunteer-service',
      regionId: regionId('dongmen'),
      title: '红马甲清扫',
      scheduledFor: day('2022-07-01'),
      organiserCommitteeId: null,
      unitIds: [unitId('bank')],
      plannedOn: day('2022-06-20'),
    },
  },
];
const hold = {
  type: 'HoldActivity' as const,
  activityId: A,
  heldOn: day('2022-07-01'),
  participants: [memberId('m1'), memberId('m2')],
  otherParticipants: 30,
  volunteerHours: 64,
  beneficiaries: 200,
};

describe('Activity (共驻共建)', () => {
  it('plans an activity with its co-organising units (listed once)', () => {
    spec.given([]).when(plan).then(planned);
    spec.given(planned).when(plan).thenRejects('ACTIVITY_EXISTS');
    spec
      .given([])
      .when({ ...plan, scheduledFor: day('2022-06-01') })
      .thenRejects('DATE_OUT_OF_ORDER');
    spec
      .given([])
      .when(plan, { facts: { regions: chains.retiredCommunity } })
      .thenRejects('REGION_RETIRED');
  });

  it('records it held with participants and hours, once', () => {
    const held = spec
      .given(planned)
      .when(hold)
      .thenEvents((e) =>
        expect(e[0]?.data).toMatchObject({
          kind: 'volunteer-service',
          unitIds: ['bank'],
          volunteerHours: 64,
        }),
      );
    spec
      .given([...planned, ...held])
      .when(hold)
      .thenRejects('ACTIVITY_NOT_PLANNED');
    spec
      .given(planned)
      .when({ ...hold, participants: [memberId('m1'), memberId('m1')] })
      .thenRejects('PARTICIPANTS_DUPLICATED');
    spec
      .given(planned)
      .when(hold, { today: day('2022-06-30') })
      .thenRejects('DATE_IN_FUTURE');
    spec.given([]).when(hold).thenRejects('ACTIVITY_NOT_FOUND');
  });

  it('cancels a planned activity', () => {
    const cancel = {
      type: 'CancelActivity' as const,
      activityId: A,
      cancelledOn: day('2022-06-25'),
      reason: 'typhoon warning',
    };
    const cancelled = spec
      .given(planned)
      .when(cancel)
      .thenEvents((e) => expect(e).toHaveLength(1));
    spec
      .given([...planned, ...cancelled])
      .when(hold)
      .thenRejects('ACTIVITY_NOT_PLANNED');
  });
});
