import { assertNever, type Decision } from '../kernel/decider.ts';
import { yearOf } from '../kernel/plainDate.ts';
import type { GridState } from '../grid/state.ts';
import type { RegionState } from '../region/state.ts';
import type { ContextWith } from '../shared/context.ts';
import { beforeDate, firstOf, inFuture, regionChainLive } from '../shared/guards.ts';
import { refuse } from '../shared/rejections.ts';
import type { MemberCommand } from './commands.ts';
import type { MemberEvent } from './events.ts';
import { balanceFor, type MemberState } from './state.ts';

export interface MemberFacts {
  /** The community named by the command and the regions above it. */
  readonly regions: readonly RegionState[];
  readonly grid?: GridState;
}
export type MemberContext = ContextWith<MemberFacts>;

const communityLive = (regions: readonly RegionState[]) =>
  firstOf(
    () => regionChainLive(regions),
    () => {
      const community = regions[0];
      return community?.status !== 'absent' && community?.level !== 'community'
        ? refuse('REGION_LEVEL_MISMATCH', { expected: 'community', actual: community?.level })
        : null;
    },
  );

export const decideMember = (
  command: MemberCommand,
  state: MemberState,
  context: MemberContext,
): Decision<MemberEvent> => {
  if (command.type === 'RegisterMember') {
    if (state.status !== 'absent') return refuse('MEMBER_ALREADY_REGISTERED', { memberId: command.memberId });
    const rejection = firstOf(
      () => inFuture(command.registeredOn, 'registeredOn', context),
      () => (command.communityId === undefined ? null : communityLive(context.facts.regions)),
    );
    if (rejection !== null) return rejection;
    return [
      {
        type: 'MemberRegistered',
        data: {
          memberId: command.memberId,
          name: command.name,
          category: command.category,
          communityId: command.communityId ?? null,
          unitId: command.unitId ?? null,
          registeredOn: command.registeredOn,
        },
      },
    ];
  }
  if (state.status === 'absent') return refuse('MEMBER_NOT_FOUND', { memberId: command.memberId });
  // Erasure is owed to members transferred out too.
  if (command.type === 'ErasePersonalData') {
    if (state.erased) return refuse('PERSONAL_DATA_ERASED', { memberId: state.id });
    const rejection = inFuture(command.erasedOn, 'erasedOn', context);
    if (rejection !== null) return rejection;
    return [
      {
        type: 'PersonalDataErased',
        data: {
          memberId: state.id,
          legalBasis: command.legalBasis,
          reference: command.reference,
          erasedOn: command.erasedOn,
        },
      },
    ];
  }
  if (state.status === 'transferred-out') return refuse('MEMBER_TRANSFERRED_OUT', { memberId: state.id });
  const { memberId } = command;
  switch (command.type) {
    case 'ReportToCommunity': {
      const rejection = firstOf(
        () => inFuture(command.reportedOn, 'reportedOn', context),
        () => beforeDate(command.reportedOn, state.registeredOn, 'reportedOn', 'registeredOn'),
        () => communityLive(context.facts.regions),
        () =>
          state.reportedTo[command.communityId] === undefined
            ? null
            : refuse('ALREADY_REPORTED', { communityId: command.communityId }),
      );
      if (rejection !== null) return rejection;
      return [
        {
          type: 'MemberReportedToCommunity',
          data: {
            memberId,
            communityId: command.communityId,
            reportedOn: command.reportedOn,
            role: command.role ?? null,
          },
        },
      ];
    }
    case 'DeregisterFromCommunity': {
      const reportedOn = state.reportedTo[command.communityId];
      if (reportedOn === undefined) return refuse('NOT_REPORTED', { communityId: command.communityId });
      const rejection = firstOf(
        () => inFuture(command.deregisteredOn, 'deregisteredOn', context),
        () => beforeDate(command.deregisteredOn, reportedOn, 'deregisteredOn', 'reportedOn'),
      );
      if (rejection !== null) return rejection;
      return [
        {
          type: 'MemberDeregisteredFromCommunity',
          data: {
            memberId,
            communityId: command.communityId,
            deregisteredOn: command.deregisteredOn,
            reason: command.reason,
          },
        },
      ];
    }
    case 'ChangeMemberCategory': {
      const rejection = firstOf(
        () => inFuture(command.changedOn, 'changedOn', context),
        () => beforeDate(command.changedOn, state.registeredOn, 'changedOn', 'registeredOn'),
        () => (command.category === state.category ? refuse('CATEGORY_UNCHANGED') : null),
      );
      if (rejection !== null) return rejection;
      return [
        {
          type: 'MemberCategoryChanged',
          data: { memberId, from: state.category, to: command.category, changedOn: command.changedOn },
        },
      ];
    }
    case 'RecordHouseholdContacts': {
      const grid = context.facts.grid;
      const rejection = firstOf(
        () => inFuture(command.contactedOn, 'contactedOn', context),
        () => beforeDate(command.contactedOn, state.registeredOn, 'contactedOn', 'registeredOn'),
        () =>
          grid === undefined || grid.status === 'absent'
            ? refuse('GRID_NOT_FOUND', { gridId: command.gridId })
            : null,
        () => (grid?.status === 'retired' ? refuse('GRID_RETIRED', { gridId: command.gridId }) : null),
        () =>
          grid?.status === 'live' && grid.contacts[memberId] === undefined
            ? refuse('CONTACT_NOT_ASSIGNED', { gridId: command.gridId })
            : null,
      );
      if (rejection !== null) return rejection;
      return [
        {
          type: 'HouseholdsContacted',
          data: {
            memberId,
            gridId: command.gridId,
            households: command.households,
            contactedOn: command.contactedOn,
          },
        },
      ];
    }
    case 'AwardPoints': {
      const year = yearOf(command.awardedOn);
      const rejection = firstOf(
        () => inFuture(command.awardedOn, 'awardedOn', context),
        () =>
          state.causes.has(command.cause)
            ? refuse('POINTS_CAUSE_ALREADY_SCORED', { cause: command.cause })
            : null,
      );
      if (rejection !== null) return rejection;
      return [
        {
          type: 'PointsAwarded',
          data: {
            memberId,
            year,
            points: command.points,
            cause: command.cause,
            awardedOn: command.awardedOn,
            balanceAfter: balanceFor(state, year, context.policy.points.base) + command.points,
          },
        },
      ];
    }
    case 'DeductPoints': {
      const year = yearOf(command.deductedOn);
      const balance = balanceFor(state, year, context.policy.points.base);
      const rejection = firstOf(
        () => inFuture(command.deductedOn, 'deductedOn', context),
        () =>
          state.causes.has(command.cause)
            ? refuse('POINTS_CAUSE_ALREADY_SCORED', { cause: command.cause })
            : null,
        () => (balance === 0 ? refuse('NOTHING_TO_DEDUCT', { year }) : null),
      );
      if (rejection !== null) return rejection;
      const applied = Math.min(command.points, balance);
      return [
        {
          type: 'PointsDeducted',
          data: {
            memberId,
            year,
            points: applied,
            requested: command.points,
            cause: command.cause,
            deductedOn: command.deductedOn,
            reason: command.reason,
            balanceAfter: balance - applied,
          },
        },
      ];
    }
    case 'RateMember': {
      const rejection = firstOf(
        () => inFuture(command.ratedOn, 'ratedOn', context),
        () => (state.ratedYears.has(command.year) ? refuse('ALREADY_RATED', { year: command.year }) : null),
        () =>
          context.policy.memberRating.unreportedCannotBeQualified &&
          state.category === 'in-service' &&
          !state.everReported &&
          (command.rating === 'excellent' || command.rating === 'qualified')
            ? refuse('UNREPORTED_CANNOT_BE_QUALIFIED', { rating: command.rating })
            : null,
      );
      if (rejection !== null) return rejection;
      return [
        {
          type: 'MemberRated',
          data: { memberId, year: command.year, rating: command.rating, ratedOn: command.ratedOn },
        },
      ];
    }
    case 'TransferMemberOut': {
      const rejection = firstOf(
        () => inFuture(command.transferredOn, 'transferredOn', context),
        () => beforeDate(command.transferredOn, state.registeredOn, 'transferredOn', 'registeredOn'),
      );
      if (rejection !== null) return rejection;
      return [
        {
          type: 'MemberTransferredOut',
          data: { memberId, transferredOn: command.transferredOn, destination: command.destination },
        },
      ];
    }
    default:
      return assertNever(command, 'member command');
  }
};
