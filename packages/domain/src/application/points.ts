import type { MemberCommand } from '../member/commands.ts';
import type { RecordedEvent } from '../kernel/events.ts';
import type { PlainDate } from '../kernel/plainDate.ts';
import type { Policy } from '../policy/schema.ts';
import type { DomainEvent } from './aggregates.ts';

/** A command a process manager issues, with the id that makes reissuing it harmless. */
export interface ProcessCommand<C> {
  readonly command: C;
  readonly commandId: string;
}

/**
 * The points rule (量化积分) as a process manager: a pure function from a recorded event to
 * commands. An ActivityHeld awards each participating member the policy's points for the kind of
 * activity, an IssueResolved awards a member assignee, a JointMeetingHeld each attendee when the
 * policy gives attendance points. Each award names its cause (the event id), so the same cause
 * never scores twice however often the event is processed.
 *
 * @example
 * for (const { command, commandId } of pointsFor(recorded, policy)) await cogov.execute(command, { commandId, causationId: recorded.eventId });
 */
export const pointsFor = (
  event: RecordedEvent<DomainEvent>,
  policy: Policy,
): readonly ProcessCommand<MemberCommand>[] => {
  const award = (
    memberId: MemberCommand['memberId'],
    points: number,
    kind: 'activity' | 'issue' | 'joint-meeting',
    awardedOn: PlainDate,
  ): ProcessCommand<MemberCommand>[] =>
    points <= 0
      ? []
      : [
          {
            commandId: `points:${event.eventId}:${memberId}`,
            command: {
              type: 'AwardPoints',
              memberId,
              points,
              cause: { kind, sourceId: event.eventId },
              awardedOn,
            },
          },
        ];
  // Only a few event types score; the rest pass through, so this is not an exhaustive switch.
  if (event.type === 'ActivityHeld') {
    const points = policy.points.activity[event.data.kind] ?? policy.points.activityDefault;
    return event.data.participants.flatMap((m) => award(m, points, 'activity', event.data.heldOn));
  }
  if (event.type === 'IssueResolved') {
    return event.data.assignee.kind === 'member'
      ? award(event.data.assignee.personId, policy.points.issueResolved, 'issue', event.data.resolvedOn)
      : [];
  }
  if (event.type === 'JointMeetingHeld') {
    return event.data.attendees.flatMap((m) =>
      award(m, policy.points.jointMeetingAttendance, 'joint-meeting', event.data.heldOn),
    );
  }
  return [];
};

/** The event types the points rule reacts to. */
export const POINTS_TRIGGERS: readonly DomainEvent['type'][] = [
  'ActivityHeld',
  'IssueResolved',
  'JointMeetingHeld',
];

/** Rejections that mean "already done" or "nobody to award", which the process manager passes over. */
export const POINTS_SETTLED_CODES: ReadonlySet<string> = new Set([
  'POINTS_CAUSE_ALREADY_SCORED',
  'MEMBER_NOT_FOUND',
  'MEMBER_TRANSFERRED_OUT',
]);
