import { assertNever, type Decision, type Rejection } from '../kernel/decider.ts';
import type { PlainDate } from '../kernel/plainDate.ts';
import type { MemberState } from '../member/state.ts';
import type { RegionState } from '../region/state.ts';
import type { ContextWith } from '../shared/context.ts';
import { beforeDate, firstOf, inFuture, regionChainLive } from '../shared/guards.ts';
import { refuse } from '../shared/rejections.ts';
import { pairedOn, type UnitState } from '../unit/state.ts';
import type { ProjectCommand } from './commands.ts';
import type { Claimant, ProjectEvent } from './events.ts';
import type { ProjectState } from './state.ts';

export interface ProjectFacts {
  /** The item's community and the regions above it. */
  readonly regions: readonly RegionState[];
  /** The unit dispatched to or claiming. */
  readonly unit?: UnitState;
  /** The member claiming. */
  readonly member?: MemberState;
}
export type ProjectContext = ContextWith<ProjectFacts>;

type Present = Extract<ProjectState, { status: 'present' }>;

const claimantEligible = (
  state: Present,
  claimant: Claimant,
  date: PlainDate,
  facts: ProjectFacts,
): Rejection | null => {
  if (claimant.kind === 'member') {
    const member = facts.member;
    if (member === undefined || member.status === 'absent')
      return refuse('MEMBER_NOT_FOUND', { memberId: claimant.memberId });
    return member.status === 'transferred-out'
      ? refuse('MEMBER_TRANSFERRED_OUT', { memberId: claimant.memberId })
      : null;
  }
  if (state.kind === 'micro-wish')
    return refuse('CLAIMANT_NOT_ELIGIBLE', { reason: 'micro-wishes are claimed by party members' });
  if (state.dispatchedTo !== null && state.dispatchedTo !== claimant.unitId) {
    return refuse('CLAIMANT_NOT_ELIGIBLE', {
      reason: 'dispatched to another unit',
      dispatchedTo: state.dispatchedTo,
    });
  }
  const unit = facts.unit;
  if (unit === undefined || unit.status === 'absent')
    return refuse('UNIT_NOT_REGISTERED', { unitId: claimant.unitId });
  return pairedOn(unit, state.communityId, date)
    ? null
    : refuse('NOT_PAIRED', { unitId: claimant.unitId, communityId: state.communityId });
};

const communityLive = (regions: readonly RegionState[]) =>
  firstOf(
    () => regionChainLive(regions),
    () => {
      const region = regions[0];
      return region?.status !== 'absent' && region?.level !== 'community'
        ? refuse('REGION_LEVEL_MISMATCH', { expected: 'community', actual: region?.level })
        : null;
    },
  );

export const decideProject = (
  command: ProjectCommand,
  state: ProjectState,
  context: ProjectContext,
): Decision<ProjectEvent> => {
  const { facts } = context;
  if (command.type === 'ListNeed' || command.type === 'PostMicroWish') {
    if (state.status !== 'absent') return refuse('PROJECT_EXISTS', { projectId: command.projectId });
    const date = command.type === 'ListNeed' ? command.listedOn : command.postedOn;
    const rejection = firstOf(
      () => inFuture(date, command.type === 'ListNeed' ? 'listedOn' : 'postedOn', context),
      () => communityLive(facts.regions),
    );
    if (rejection !== null) return rejection;
    const common = {
      projectId: command.projectId,
      communityId: command.communityId,
      gridId: command.gridId ?? null,
      title: command.title,
    };
    return command.type === 'ListNeed'
      ? [
          {
            type: 'NeedListed',
            data: {
              ...common,
              category: command.category,
              listedBy: command.listedBy,
              listedOn: command.listedOn,
            },
          },
        ]
      : [
          {
            type: 'MicroWishPosted',
            data: { ...common, wisher: command.wisher, postedOn: command.postedOn },
          },
        ];
  }
  if (state.status === 'absent') return refuse('PROJECT_NOT_FOUND', { projectId: command.projectId });
  const live = regionChainLive(facts.regions);
  if (live !== null) return live;
  const { projectId } = command;
  const dated = (date: PlainDate, field: string) =>
    firstOf(
      () => inFuture(date, field, context),
      () => beforeDate(date, state.lastDate, field, 'the previous step'),
    );
  const notClosed = () =>
    state.stage === 'done' || state.stage === 'cancelled'
      ? refuse('PROJECT_CLOSED', { stage: state.stage })
      : null;
  const kind = (k: 'need' | 'micro-wish') => () =>
    state.kind === k ? null : refuse('PROJECT_WRONG_KIND', { kind: state.kind });
  switch (command.type) {
    case 'AgreeProject': {
      const rejection = firstOf(
        kind('need'),
        notClosed,
        () =>
          state.stage === 'listed'
            ? null
            : refuse('PROJECT_CLOSED', { stage: state.stage, reason: 'agreed already' }),
        () => dated(command.agreedOn, 'agreedOn'),
      );
      if (rejection !== null) return rejection;
      return [
        {
          type: 'ProjectAgreed',
          data: {
            projectId,
            agreedOn: command.agreedOn,
            listId: command.listId,
            committeeId: command.committeeId ?? null,
            meetingRef: command.meetingRef ?? null,
            resourceIds: command.resourceIds,
          },
        },
      ];
    }
    case 'DispatchProject': {
      const rejection = firstOf(
        kind('need'),
        notClosed,
        () => (state.stage === 'agreed' ? null : refuse('PROJECT_NOT_AGREED', { stage: state.stage })),
        () =>
          state.activeClaim === null
            ? null
            : refuse('ALREADY_CLAIMED', { claimId: state.activeClaim.claimId }),
        () => dated(command.dispatchedOn, 'dispatchedOn'),
        () => {
          const unit = facts.unit;
          if (unit === undefined || unit.status === 'absent')
            return refuse('UNIT_NOT_REGISTERED', { unitId: command.unitId });
          return pairedOn(unit, state.communityId, command.dispatchedOn)
            ? null
            : refuse('NOT_PAIRED', { unitId: command.unitId, communityId: state.communityId });
        },
      );
      if (rejection !== null) return rejection;
      return [
        {
          type: 'ProjectDispatched',
          data: { projectId, unitId: command.unitId, dispatchedOn: command.dispatchedOn },
        },
      ];
    }
    case 'ClaimProject': {
      const rejection = firstOf(
        notClosed,
        () =>
          state.activeClaim === null
            ? null
            : refuse('ALREADY_CLAIMED', { claimId: state.activeClaim.claimId }),
        () =>
          state.claimIds.has(command.claimId)
            ? refuse('CLAIM_NOT_ACTIVE', { claimId: command.claimId, reason: 'id used before' })
            : null,
        () => dated(command.claimedOn, 'claimedOn'),
        () => claimantEligible(state, command.claimant, command.claimedOn, facts),
      );
      if (rejection !== null) return rejection;
      return [
        {
          type: 'ProjectClaimed',
          data: {
            projectId,
            claimId: command.claimId,
            claimant: command.claimant,
            claimedOn: command.claimedOn,
          },
        },
      ];
    }
    case 'CancelClaim': {
      const claim = state.activeClaim;
      if (claim === null || claim.claimId !== command.claimId)
        return refuse('CLAIM_NOT_ACTIVE', { claimId: command.claimId });
      const rejection = firstOf(notClosed, () => dated(command.cancelledOn, 'cancelledOn'));
      if (rejection !== null) return rejection;
      return [
        {
          type: 'ProjectClaimCancelled',
          data: {
            projectId,
            claimId: claim.claimId,
            claimant: claim.claimant,
            cancelledOn: command.cancelledOn,
            reason: command.reason,
          },
        },
      ];
    }
    case 'CompleteProject': {
      const claim = state.activeClaim;
      const rejection = firstOf(
        kind('need'),
        notClosed,
        () => (claim === null ? refuse('NOT_CLAIMED') : null),
        () => dated(command.completedOn, 'completedOn'),
      );
      if (rejection !== null || claim === null) return rejection ?? refuse('NOT_CLAIMED');
      return [
        {
          type: 'ProjectCompleted',
          data: {
            projectId,
            claimant: claim.claimant,
            completedOn: command.completedOn,
            summary: command.summary,
            beneficiaries: command.beneficiaries,
          },
        },
      ];
    }
    case 'FulfilMicroWish': {
      const claim = state.activeClaim;
      const rejection = firstOf(
        kind('micro-wish'),
        notClosed,
        () => (claim === null ? refuse('NOT_CLAIMED') : null),
        () => dated(command.fulfilledOn, 'fulfilledOn'),
      );
      if (rejection !== null || claim === null) return rejection ?? refuse('NOT_CLAIMED');
      return [
        {
          type: 'MicroWishFulfilled',
          data: { projectId, claimant: claim.claimant, fulfilledOn: command.fulfilledOn, note: command.note },
        },
      ];
    }
    case 'RateProject': {
      const rejection = firstOf(
        () => (state.stage === 'done' ? null : refuse('NOT_COMPLETED', { stage: state.stage })),
        () => (state.rated ? refuse('ALREADY_RATED_PROJECT') : null),
        () => dated(command.ratedOn, 'ratedOn'),
      );
      if (rejection !== null) return rejection;
      return [
        {
          type: 'ProjectRated',
          data: {
            projectId,
            ratedOn: command.ratedOn,
            satisfaction: command.satisfaction,
            ratedBy: command.ratedBy,
          },
        },
      ];
    }
    case 'CancelProject': {
      const rejection = firstOf(notClosed, () => dated(command.cancelledOn, 'cancelledOn'));
      if (rejection !== null) return rejection;
      return [
        {
          type: 'ProjectCancelled',
          data: { projectId, cancelledOn: command.cancelledOn, reason: command.reason },
        },
      ];
    }
    default:
      return assertNever(command, 'project command');
  }
};
