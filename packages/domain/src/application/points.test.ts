import { describe, expect, it } from 'vitest';
import { memberId, unitId, day, regionId } from '@cogov/testkit';
import type { RecordedEvent } from '../kernel/events.ts';
import { HUITONG_2022 } from '../policy/presets.ts';
import type { DomainEvent } from './aggregates.ts';
import { pointsFor } from './points.ts';

const recorded = (event: DomainEvent): RecordedEvent<DomainEvent> =>
  ({
    ...event,
    streamId: 's-1',
    revision: 0,
    position: 7,
    eventId: 'evt-7',
    recordedAt: new Date(),
    metadata: { schemaVersion: 1 },
  }) as never;

describe('pointsFor (the points process manager)', () => {
  it('awards each participant of an activity the policy’s points for its kind, caused by the event', () => {
    const commands = pointsFor(
      recorded({
        type: 'ActivityHeld',
        data: {
          activityId: 'a' as never,
          kind: 'volunteer-service',
          regionId: regionId('dongmen'),
          unitIds: [],
          heldOn: day('2022-07-01'),
          participants: [memberId('m1'), memberId('m2')],
          otherParticipants: 0,
          volunteerHours: 1,
          beneficiaries: 0,
        },
      }),
      HUITONG_2022,
    );
    expect(commands).toEqual([
      {
        commandId: 'points:evt-7:m1',
        command: {
          type: 'AwardPoints',
          memberId: 'm1',
          points: 3,
          cause: { kind: 'activity', sourceId: 'evt-7' },
          awardedOn: '2022-07-01',
        },
      },
      {
        commandId: 'points:evt-7:m2',
        command: {
          type: 'AwardPoints',
          memberId: 'm2',
          points: 3,
          cause: { kind: 'activity', sourceId: 'evt-7' },
          awardedOn: '2022-07-01',
        },
      },
    ]);
  });

  it('awards a member who resolved an issue, not a unit', () => {
    const resolved = (assignee: { kind: 'member'; personId: never } | { kind: 'unit'; unitId: never }) =>
      recorded({
        type: 'IssueResolved',
        data: {
          issueId: 'i' as never,
          resolvedOn: day('2022-05-01'),
          resolution: 'x',
          assignee,
          openedOn: day('2022-04-01'),
          dueOn: day('2022-05-01'),
          daysToResolve: 30,
          onTime: true,
        },
      });
    expect(
      pointsFor(resolved({ kind: 'member', personId: memberId('p1') as never }), HUITONG_2022),
    ).toMatchObject([{ command: { memberId: 'p1', points: 5, cause: { kind: 'issue' } } }]);
    expect(pointsFor(resolved({ kind: 'unit', unitId: unitId('bank') as never }), HUITONG_2022)).toEqual([]);
  });

  it('gives nothing for meeting attendance unless the policy does, and ignores other events', () => {
    const meeting = recorded({
      type: 'JointMeetingHeld',
      data: {
        committeeId: 'c' as never,
        meetingId: 'm' as never,
        heldOn: day('2022-04-01'),
        attendees: [memberId('p1')],
        partTimeAttendees: [],
        invitedCount: 1,
        agendaItemIds: [],
        minutesRef: 'x',
        resolutions: [],
        followUps: [],
      },
    });
    expect(pointsFor(meeting, HUITONG_2022)).toEqual([]);
    expect(
      pointsFor(meeting, { ...HUITONG_2022, points: { ...HUITONG_2022.points, jointMeetingAttendance: 1 } }),
    ).toHaveLength(1);
    expect(
      pointsFor(
        recorded({
          type: 'RegionRetired',
          data: { regionId: regionId('x'), retiredOn: day('2022-01-01'), reason: 'x' },
        }),
        HUITONG_2022,
      ),
    ).toEqual([]);
  });
});
