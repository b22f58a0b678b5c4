import {
  ClaimId,
  ProjectId,
  projectDecider,
  projectFacts,
  type Claimant,
  type ProjectCommand,
  type ProjectEvent,
  type ProjectFacts,
  type ProjectState,
} from '@cogov/domain';
import {
  chains,
  contextOn,
  memberId,
  regionId,
  registeredMember,
  registeredUnit,
  unitId,
} from '../domain/fixtures.ts';
import { clock, drive, pick, stepPlan, type Driven, type Step } from './common.ts';

const CLAIMANTS: readonly Claimant[] = [
  { kind: 'unit', unitId: unitId('bank') },
  { kind: 'unit', unitId: unitId('school') },
  { kind: 'member', memberId: memberId('m1') },
];

/** One need or micro-wish through agreement, dispatch, claims and cancellations, completion, rating. */
export const driveProject = (
  plan: readonly Step[],
  options: { retiredRegion?: boolean } = {},
): Driven<ProjectCommand, ProjectEvent> & { state: ProjectState } => {
  const time = clock();
  const P = ProjectId.parse('item-1');
  let claims = 0;
  const facts = (command: ProjectCommand, state: ProjectState): ProjectFacts => {
    const request = projectFacts(command, state);
    return {
      regions: options.retiredRegion === true ? chains.retiredCommunity : chains.community,
      ...(request.unit === undefined
        ? {}
        : {
            unit: registeredUnit(
              request.unit,
              request.unit === 'bank' ? [{ community: 'dongmen', from: '2020-01-01' }] : [],
            ),
          }),
      ...(request.member === undefined ? {} : { member: registeredMember(request.member) }),
    };
  };
  const next = (state: ProjectState, i: number): ProjectCommand | undefined => {
    const s = plan[i] as Step;
    const on = time.advance(s.days);
    if (state.status === 'absent' || s.action < 3) {
      return s.variant % 2 === 0
        ? {
            type: 'ListNeed',
            projectId: P,
            communityId: regionId('dongmen'),
            title: 'need',
            category: 'elderly-care',
            listedBy: 'community',
            listedOn: on,
          }
        : {
            type: 'PostMicroWish',
            projectId: P,
            communityId: regionId('dongmen'),
            title: 'wish',
            wisher: 'resident',
            postedOn: on,
          };
    }
    const a = s.action;
    const claimant = pick(CLAIMANTS, s.target) as Claimant;
    if (a < 15)
      return { type: 'AgreeProject', projectId: P, agreedOn: on, listId: 'list-1', resourceIds: [] };
    if (a < 25)
      return {
        type: 'DispatchProject',
        projectId: P,
        unitId: unitId(s.valid ? 'bank' : 'school'),
        dispatchedOn: on,
      };
    if (a < 50)
      return {
        type: 'ClaimProject',
        projectId: P,
        claimId: ClaimId.parse(`claim-${++claims}`),
        claimant,
        claimedOn: on,
      };
    if (a < 65) {
      const active = state.activeClaim?.claimId ?? ClaimId.parse(`claim-${s.variant % 5}`);
      return {
        type: 'CancelClaim',
        projectId: P,
        claimId: s.valid ? active : ClaimId.parse(`claim-${s.variant % 5}`),
        cancelledOn: on,
        reason: 'cannot do it',
      };
    }
    if (a < 75)
      return {
        type: 'CompleteProject',
        projectId: P,
        completedOn: on,
        summary: 'done',
        beneficiaries: s.variant % 100,
      };
    if (a < 85) return { type: 'FulfilMicroWish', projectId: P, fulfilledOn: on, note: 'done' };
    if (a < 93)
      return {
        type: 'RateProject',
        projectId: P,
        ratedOn: on,
        satisfaction: 1 + (s.variant % 5),
        ratedBy: 'residents',
      };
    return { type: 'CancelProject', projectId: P, cancelledOn: on, reason: 'dropped' };
  };
  return drive(
    projectDecider,
    next,
    (command, state) => contextOn(facts(command, state), { today: '2030-06-01' }),
    plan.length,
  );
};

export const projectPlan = stepPlan(40);
