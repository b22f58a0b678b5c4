import { assertNever, type Decision } from '../kernel/decider.ts';
import type { CommitteeState } from '../committee/state.ts';
import type { MemberState } from '../member/state.ts';
import type { RegionState } from '../region/state.ts';
import type { ContextWith } from '../shared/context.ts';
import { beforeDate, firstOf, inFuture, regionChainLive } from '../shared/guards.ts';
import { refuse } from '../shared/rejections.ts';
import type { GridCommand } from './commands.ts';
import type { GridEvent } from './events.ts';
import type { GridState } from './state.ts';

export interface GridFacts {
  /** The grid's community and the regions above it. */
  readonly regions: readonly RegionState[];
  readonly committee?: CommitteeState;
  readonly member?: MemberState;
}
export type GridContext = ContextWith<GridFacts>;

export const decideGrid = (
  command: GridCommand,
  state: GridState,
  context: GridContext,
): Decision<GridEvent> => {
  const standard = context.policy.grid.standardHouseholds;
  if (command.type === 'DrawGridCell') {
    if (state.status !== 'absent') return refuse('GRID_ALREADY_DRAWN', { gridId: command.gridId });
    const rejection = firstOf(
      () => inFuture(command.drawnOn, 'drawnOn', context),
      () => regionChainLive(context.facts.regions),
      () => {
        const region = context.facts.regions[0];
        return region?.status !== 'absent' && region?.level !== 'community'
          ? refuse('REGION_LEVEL_MISMATCH', { expected: 'community', actual: region?.level })
          : null;
      },
    );
    if (rejection !== null) return rejection;
    return [
      {
        type: 'GridCellDrawn',
        data: {
          gridId: command.gridId,
          communityId: command.communityId,
          name: command.name,
          households: command.households,
          drawnOn: command.drawnOn,
          aboveStandard: command.households > standard * 1.5,
        },
      },
    ];
  }
  if (state.status === 'absent') return refuse('GRID_NOT_FOUND', { gridId: command.gridId });
  if (state.status === 'retired') return refuse('GRID_RETIRED', { gridId: state.id });
  const live = regionChainLive(context.facts.regions);
  if (live !== null) return live;
  const { gridId } = command;
  const dated = (date: typeof state.drawnOn, field: string) =>
    firstOf(
      () => inFuture(date, field, context),
      () => beforeDate(date, state.drawnOn, field, 'drawnOn'),
    );
  switch (command.type) {
    case 'RecountHouseholds': {
      const rejection = firstOf(
        () => dated(command.recountedOn, 'recountedOn'),
        () =>
          command.households < state.contacted
            ? refuse('CONTACTS_EXCEED_HOUSEHOLDS', {
                households: command.households,
                contacted: state.contacted,
              })
            : null,
      );
      if (rejection !== null) return rejection;
      return [
        {
          type: 'HouseholdsRecounted',
          data: {
            gridId,
            households: command.households,
            previous: state.households,
            recountedOn: command.recountedOn,
          },
        },
      ];
    }
    case 'AssignGridWorker': {
      const rejection = firstOf(
        () => dated(command.assignedOn, 'assignedOn'),
        () => (state.workers[command.workerId] === undefined ? null : refuse('WORKER_ALREADY_ASSIGNED')),
      );
      if (rejection !== null) return rejection;
      return [
        {
          type: 'GridWorkerAssigned',
          data: { gridId, workerId: command.workerId, name: command.name, assignedOn: command.assignedOn },
        },
      ];
    }
    case 'RelieveGridWorker': {
      const assignedOn = state.workers[command.workerId];
      if (assignedOn === undefined) return refuse('WORKER_NOT_ASSIGNED', { workerId: command.workerId });
      const rejection = firstOf(
        () => dated(command.relievedOn, 'relievedOn'),
        () => beforeDate(command.relievedOn, assignedOn, 'relievedOn', 'assignedOn'),
      );
      if (rejection !== null) return rejection;
      return [
        {
          type: 'GridWorkerRelieved',
          data: { gridId, workerId: command.workerId, relievedOn: command.relievedOn },
        },
      ];
    }
    case 'LinkGridBranch': {
      const branch = context.facts.committee;
      const rejection = firstOf(
        () => dated(command.linkedOn, 'linkedOn'),
        () =>
          state.branchId === null ? null : refuse('BRANCH_ALREADY_LINKED', { committeeId: state.branchId }),
        () =>
          branch === undefined || branch.status === 'absent'
            ? refuse('COMMITTEE_NOT_FOUND', { committeeId: command.committeeId })
            : null,
        () =>
          branch?.status === 'dissolved'
            ? refuse('COMMITTEE_DISSOLVED', { committeeId: command.committeeId })
            : null,
        () =>
          branch?.status === 'active' && branch.kind !== 'grid-branch' ? refuse('NOT_A_GRID_BRANCH') : null,
        () =>
          branch?.status === 'active' && branch.regionId !== state.communityId
            ? refuse('BRANCH_OUTSIDE_COMMUNITY', {
                branchRegion: branch.regionId,
                communityId: state.communityId,
              })
            : null,
      );
      if (rejection !== null) return rejection;
      return [
        {
          type: 'GridBranchLinked',
          data: { gridId, committeeId: command.committeeId, linkedOn: command.linkedOn },
        },
      ];
    }
    case 'AssignContactHouseholds': {
      const member = context.facts.member;
      const rejection = firstOf(
        () => dated(command.assignedOn, 'assignedOn'),
        () =>
          member === undefined || member.status === 'absent'
            ? refuse('MEMBER_NOT_FOUND', { memberId: command.memberId })
            : null,
        () =>
          member?.status === 'transferred-out'
            ? refuse('MEMBER_TRANSFERRED_OUT', { memberId: command.memberId })
            : null,
        () =>
          state.contacted + command.households > state.households
            ? refuse('CONTACTS_EXCEED_HOUSEHOLDS', {
                households: state.households,
                contacted: state.contacted,
                requested: command.households,
              })
            : null,
      );
      if (rejection !== null) return rejection;
      return [
        {
          type: 'ContactHouseholdsAssigned',
          data: {
            gridId,
            memberId: command.memberId,
            households: command.households,
            assignedOn: command.assignedOn,
          },
        },
      ];
    }
    case 'ReleaseContactHouseholds': {
      const households = state.contacts[command.memberId];
      if (households === undefined) return refuse('CONTACT_NOT_ASSIGNED', { memberId: command.memberId });
      const rejection = dated(command.releasedOn, 'releasedOn');
      if (rejection !== null) return rejection;
      return [
        {
          type: 'ContactHouseholdsReleased',
          data: { gridId, memberId: command.memberId, households, releasedOn: command.releasedOn },
        },
      ];
    }
    case 'RetireGridCell': {
      const rejection = dated(command.retiredOn, 'retiredOn');
      if (rejection !== null) return rejection;
      return [
        { type: 'GridCellRetired', data: { gridId, retiredOn: command.retiredOn, reason: command.reason } },
      ];
    }
    default:
      return assertNever(command, 'grid command');
  }
};
