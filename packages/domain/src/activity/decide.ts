import { assertNever, type Decision } from '../kernel/decider.ts';
import type { RegionState } from '../region/state.ts';
import type { ContextWith } from '../shared/context.ts';
import { beforeDate, firstOf, inFuture, regionChainLive } from '../shared/guards.ts';
import { refuse } from '../shared/rejections.ts';
import type { ActivityCommand } from './commands.ts';
import type { ActivityEvent } from './events.ts';
import type { ActivityState } from './state.ts';

export interface ActivityFacts {
  /** The activity's region and the regions above it. */
  readonly regions: readonly RegionState[];
}
export type ActivityContext = ContextWith<ActivityFacts>;

export const decideActivity = (
  command: ActivityCommand,
  state: ActivityState,
  context: ActivityContext,
): Decision<ActivityEvent> => {
  if (command.type === 'PlanActivity') {
    if (state.status !== 'absent') return refuse('ACTIVITY_EXISTS', { activityId: command.activityId });
    const rejection = firstOf(
      () => inFuture(command.plannedOn, 'plannedOn', context),
      () => beforeDate(command.scheduledFor, command.plannedOn, 'scheduledFor', 'plannedOn'),
      () => regionChainLive(context.facts.regions),
    );
    if (rejection !== null) return rejection;
    return [
      {
        type: 'ActivityPlanned',
        data: {
          activityId: command.activityId,
          kind: command.kind,
          regionId: command.regionId,
          title: command.title,
          scheduledFor: command.scheduledFor,
          organiserCommitteeId: command.organiserCommitteeId ?? null,
          unitIds: [...new Set(command.unitIds)],
          plannedOn: command.plannedOn,
        },
      },
    ];
  }
  if (state.status === 'absent') return refuse('ACTIVITY_NOT_FOUND', { activityId: command.activityId });
  const rejection0 = firstOf(
    () => regionChainLive(context.facts.regions),
    () => (state.status === 'planned' ? null : refuse('ACTIVITY_NOT_PLANNED', { status: state.status })),
  );
  if (rejection0 !== null) return rejection0;
  switch (command.type) {
    case 'HoldActivity': {
      const rejection = firstOf(
        () => inFuture(command.heldOn, 'heldOn', context),
        () => beforeDate(command.heldOn, state.plannedOn, 'heldOn', 'plannedOn'),
        () =>
          new Set(command.participants).size === command.participants.length
            ? null
            : refuse('PARTICIPANTS_DUPLICATED'),
      );
      if (rejection !== null) return rejection;
      return [
        {
          type: 'ActivityHeld',
          data: {
            activityId: state.id,
            kind: state.kind,
            regionId: state.regionId,
            unitIds: [...state.unitIds],
            heldOn: command.heldOn,
            participants: command.participants,
            otherParticipants: command.otherParticipants,
            volunteerHours: command.volunteerHours,
            beneficiaries: command.beneficiaries,
          },
        },
      ];
    }
    case 'CancelActivity': {
      const rejection = firstOf(
        () => inFuture(command.cancelledOn, 'cancelledOn', context),
        () => beforeDate(command.cancelledOn, state.plannedOn, 'cancelledOn', 'plannedOn'),
      );
      if (rejection !== null) return rejection;
      return [
        {
          type: 'ActivityCancelled',
          data: { activityId: state.id, cancelledOn: command.cancelledOn, reason: command.reason },
        },
      ];
    }
    default:
      return assertNever(command, 'activity command');
  }
};
