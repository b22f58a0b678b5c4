import type { Decision } from '../kernel/decider.ts';
import { firstOf } from '../shared/guards.ts';
import { refuse } from '../shared/rejections.ts';
import type { CommitteeCommandOf } from './commands.ts';
import type { CommitteeEvent } from './events.ts';
import { acceptsCommands, happenedAfter, type CommitteeContext } from './rules.ts';
import { seatsOn, type ActiveCommittee } from './state.ts';

export const submitAgendaItem = (
  command: CommitteeCommandOf<'SubmitAgendaItem'>,
  state: ActiveCommittee,
  context: CommitteeContext,
): Decision<CommitteeEvent> => {
  const rejection = firstOf(
    () => acceptsCommands(state, context),
    () => happenedAfter(command.submittedOn, 'submittedOn', context, state.establishedOn, 'establishedOn'),
    () =>
      state.knownAgenda.has(command.agendaItemId)
        ? refuse('AGENDA_ITEM_EXISTS', { agendaItemId: command.agendaItemId })
        : null,
  );
  if (rejection !== null) return rejection;
  return [
    {
      type: 'AgendaItemSubmitted',
      data: {
        committeeId: state.id,
        agendaItemId: command.agendaItemId,
        title: command.title,
        submittedBy: command.submittedBy,
        submittedOn: command.submittedOn,
      },
    },
  ];
};

/**
 * 联席会议. Invariant 5: every attendee sits on the committee (officer or member) on the meeting
 * date. Agenda items were submitted beforehand; open resolutions of earlier meetings are
 * reported on (the closed loop), every one of them when the policy says so.
 */
export const holdJointMeeting = (
  command: CommitteeCommandOf<'HoldJointMeeting'>,
  state: ActiveCommittee,
  context: CommitteeContext,
): Decision<CommitteeEvent> => {
  const sitting = seatsOn(state, command.heldOn);
  const sittingPeople = new Set<string>(sitting.map((s) => s.personId));
  const partTime = new Set<string>(sitting.filter((s) => s.kind === 'part-time').map((s) => s.personId));
  const earlierOpen = Object.entries(state.openResolutions).filter(([, heldOn]) => heldOn < command.heldOn);
  const reported = new Set<string>(command.followUps.map((f) => f.resolutionId));
  const rejection = firstOf(
    () => acceptsCommands(state, context),
    () =>
      state.meetings.has(command.meetingId)
        ? refuse('MEETING_EXISTS', { meetingId: command.meetingId })
        : null,
    () => happenedAfter(command.heldOn, 'heldOn', context, state.establishedOn, 'establishedOn'),
    () =>
      new Set(command.attendees).size === command.attendees.length
        ? null
        : refuse('ATTENDEES_REQUIRED', { duplicated: true }),
    () => {
      const outsider = command.attendees.find((a) => !sittingPeople.has(a));
      return outsider === undefined
        ? null
        : refuse('ATTENDEE_NOT_SITTING', { personId: outsider, heldOn: command.heldOn });
    },
    () => {
      const unknown = command.agendaItemIds.find((id) => !state.pendingAgenda.has(id));
      return unknown === undefined && new Set(command.agendaItemIds).size === command.agendaItemIds.length
        ? null
        : refuse('AGENDA_ITEM_UNKNOWN', { agendaItemId: unknown ?? null });
    },
    () => {
      const unknown = command.followUps.find((f) => !earlierOpen.some(([id]) => id === f.resolutionId));
      return unknown === undefined && reported.size === command.followUps.length
        ? null
        : refuse('RESOLUTION_UNKNOWN', { resolutionId: unknown?.resolutionId ?? null });
    },
    () => {
      const ids = command.resolutions.map((r) => r.resolutionId);
      const clash = ids.find((id, i) => state.knownResolutions.has(id) || ids.indexOf(id) !== i);
      return clash === undefined ? null : refuse('RESOLUTION_EXISTS', { resolutionId: clash });
    },
    () => {
      if (!context.policy.meetings.requireFollowUp) return null;
      const missing = earlierOpen.map(([id]) => id).filter((id) => !reported.has(id));
      return missing.length === 0 ? null : refuse('FOLLOW_UP_MISSING', { resolutions: missing });
    },
  );
  if (rejection !== null) return rejection;
  return [
    {
      type: 'JointMeetingHeld',
      data: {
        committeeId: state.id,
        meetingId: command.meetingId,
        heldOn: command.heldOn,
        attendees: command.attendees,
        partTimeAttendees: command.attendees.filter((a) => partTime.has(a)),
        invitedCount: sittingPeople.size,
        agendaItemIds: command.agendaItemIds,
        minutesRef: command.minutesRef,
        resolutions: command.resolutions,
        followUps: command.followUps,
      },
    },
  ];
};
