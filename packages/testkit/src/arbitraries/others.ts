import {
  ActivityId,
  activityDecider,
  RegionId,
  regionDecider,
  ResourceId,
  UnitId,
  unitDecider,
  type ActivityCommand,
  type ActivityEvent,
  type ActivityState,
  type RegionCommand,
  type RegionEvent,
  type RegionState,
  type UnitCommand,
  type UnitEvent,
  type UnitState,
} from '@cogov/domain';
import { chains, contextOn, memberId, regionId, unitId } from '../domain/fixtures.ts';
import { clock, drive, stepPlan, type Driven, type Step } from './common.ts';

const retiredOr = (retired: boolean | undefined) =>
  retired === true ? chains.retiredCommunity : chains.community;

/** An activity planned, held or cancelled. */
export const driveActivity = (
  plan: readonly Step[],
  options: { retiredRegion?: boolean } = {},
): Driven<ActivityCommand, ActivityEvent> & { state: ActivityState } => {
  const time = clock();
  const A = ActivityId.parse('act-1');
  const next = (state: ActivityState, i: number): ActivityCommand => {
    const s = plan[i] as Step;
    const on = time.advance(s.days);
    if (state.status === 'absent' || s.action < 10) {
      return {
        type: 'PlanActivity',
        activityId: A,
        kind: 'clean-up',
        regionId: regionId('dongmen'),
        title: 't',
        scheduledFor: on,
        unitIds: [unitId('bank')],
        plannedOn: on,
      };
    }
    if (s.action < 80) {
      const participants = ['m1', 'm2', 'm3'].filter((_, k) => (s.variant >> k) % 2 === 1).map(memberId);
      return {
        type: 'HoldActivity',
        activityId: A,
        heldOn: on,
        participants: s.valid ? participants : [...participants, ...participants],
        otherParticipants: s.target % 50,
        volunteerHours: s.variant % 40,
        beneficiaries: s.target,
      };
    }
    return { type: 'CancelActivity', activityId: A, cancelledOn: on, reason: 'rain' };
  };
  return drive(
    activityDecider,
    next,
    () => contextOn({ regions: retiredOr(options.retiredRegion) }, { today: '2030-06-01' }),
    plan.length,
  );
};

/** A unit registered, paired, reported and offering resources. */
export const driveUnit = (
  plan: readonly Step[],
  options: { retiredRegion?: boolean } = {},
): Driven<UnitCommand, UnitEvent> & { state: UnitState } => {
  const time = clock();
  const U = UnitId.parse('unit-1');
  const next = (state: UnitState, i: number): UnitCommand => {
    const s = plan[i] as Step;
    const on = time.advance(s.days);
    const communityId = RegionId.parse(s.target % 2 === 0 ? 'dongmen' : 'gaihe');
    if (state.status === 'absent' || s.action < 5)
      return {
        type: 'RegisterUnit',
        unitId: U,
        name: 'u',
        kind: 'school',
        regionId: communityId,
        registeredOn: on,
      };
    if (s.action < 40) return { type: 'PairUnitWithCommunity', unitId: U, communityId, pairedOn: on };
    if (s.action < 60) return { type: 'UnpairUnit', unitId: U, communityId, unpairedOn: on, reason: 'ended' };
    if (s.action < 80) return { type: 'ReportUnitToCommunity', unitId: U, communityId, reportedOn: on };
    return {
      type: 'OfferResource',
      unitId: U,
      resourceId: ResourceId.parse(`r${s.variant % 6}`),
      title: 'hall',
      kind: 'venue',
      offeredOn: on,
    };
  };
  return drive(
    unitDecider,
    next,
    () => contextOn({ regions: retiredOr(options.retiredRegion) }, { today: '2030-06-01' }),
    plan.length,
  );
};

/** A community defined, renamed and retired under a live (or retired) parent chain. */
export const driveRegion = (
  plan: readonly Step[],
  options: { retiredRegion?: boolean } = {},
): Driven<RegionCommand, RegionEvent> & { state: RegionState } => {
  const time = clock();
  const R = RegionId.parse('jianshe');
  const parents = options.retiredRegion === true ? chains.underRetiredTown.slice(1) : chains.town;
  const next = (state: RegionState, i: number): RegionCommand => {
    const s = plan[i] as Step;
    const on = time.advance(s.days);
    if (state.status === 'absent' || s.action < 10)
      return {
        type: 'DefineRegion',
        regionId: R,
        name: 'n0',
        level: 'community',
        parentId: regionId('lincheng'),
        definedOn: on,
      };
    if (s.action < 85) return { type: 'RenameRegion', regionId: R, name: `n${s.variant % 4}`, renamedOn: on };
    return { type: 'RetireRegion', regionId: R, retiredOn: on, reason: 'merged' };
  };
  return drive(
    regionDecider,
    next,
    () => contextOn({ regions: parents }, { today: '2030-06-01' }),
    plan.length,
  );
};

export const smallPlan = stepPlan(30);
