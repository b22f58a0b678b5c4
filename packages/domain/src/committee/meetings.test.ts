import {
  chains,
  committeeId,
  contextOn,
  DeciderSpecification,
  day,
  establishedCommittee,
  memberId,
  registeredMember,
  steps,
} from '@cogov/testkit';
import { describe, expect, it } from 'vitest';
import { AgendaItemId, ResolutionId } from '../shared/ids.ts';
import { LIUYANG_2013 } from '../policy/presets.ts';
import { committeeDecider } from './index.ts';
import type { CommitteeFacts } from './rules.ts';

const C = 'dongmen-ppc';
const facts: CommitteeFacts = { regions: chains.community, member: registeredMember('p1') };
const spec = DeciderSpecification.for(committeeDecider, contextOn(facts));
const agenda = AgendaItemId.parse('parking');
const resolution = ResolutionId.parse('r-parking');
const committee = [
  ...establishedCommittee(C, 'community-party-committee'),
  {
    type: 'OfficerAssigned' as const,
    data: {
      committeeId: committeeId(C),
      personId: memberId('sec'),
      role: 'secretary' as const,
      effectiveOn: day('2020-01-01'),
    },
  },
  steps.appointed({ committee: C, candidate: 'c1', person: 'p1' }, { on: '2022-03-28' }),
  steps.appointed({ committee: C, candidate: 'c2', person: 'p2' }, { on: '2022-03-28' }),
  {
    type: 'AgendaItemSubmitted' as const,
    data: {
      committeeId: committeeId(C),
      agendaItemId: agenda,
      title: '小区停车',
      submittedBy: 'p1',
      submittedOn: day('2022-03-30'),
    },
  },
];
const hold = {
  type: 'HoldJointMeeting' as const,
  committeeId: committeeId(C),
  meetingId: 'q2-2022' as never,
  heldOn: day('2022-04-15'),
  attendees: [memberId('sec'), memberId('p1')],
  agendaItemIds: [agenda],
  minutesRef: '纪要 2022-2',
  resolutions: [{ resolutionId: resolution, text: 'repaint parking bays' }],
  followUps: [],
};

describe('Committee: agenda items', () => {
  const submit = {
    type: 'SubmitAgendaItem' as const,
    committeeId: committeeId(C),
    agendaItemId: AgendaItemId.parse('lights'),
    title: '路灯',
    submittedBy: 'resident',
    submittedOn: day('2022-04-01'),
  };
  it('records an agenda item submitted before the meeting', () => {
    spec
      .given(committee)
      .when(submit)
      .thenEvents((e) => expect(e).toMatchObject([{ type: 'AgendaItemSubmitted' }]));
  });
  it('rejects a duplicate agenda item', () => {
    spec
      .given(committee)
      .when({ ...submit, agendaItemId: agenda })
      .thenRejects('AGENDA_ITEM_EXISTS');
  });
});

describe('Committee: joint meetings (invariant 5)', () => {
  it('records attendance, part-time attendees and the number invited', () => {
    spec
      .given(committee)
      .when(hold)
      .thenEvents((e) =>
        expect(e).toMatchObject([
          {
            type: 'JointMeetingHeld',
            data: { partTimeAttendees: ['p1'], invitedCount: 3, agendaItemIds: ['parking'] },
          },
        ]),
      );
  });

  it('rejects an attendee who does not sit on the committee on the meeting date', () => {
    spec
      .given(committee)
      .when({ ...hold, attendees: [memberId('sec'), memberId('stranger')] })
      .thenRejects('ATTENDEE_NOT_SITTING');
    spec
      .given(committee)
      .when({ ...hold, heldOn: day('2022-03-01') })
      .thenRejects('ATTENDEE_NOT_SITTING');
  });

  it('rejects a repeated attendee, a repeated meeting, an unknown agenda item', () => {
    spec
      .given(committee)
      .when({ ...hold, attendees: [memberId('p1'), memberId('p1')] })
      .thenRejects('ATTENDEES_REQUIRED');
    const held = committeeDecider.decide(hold, spec.given(committee).state, contextOn(facts)) as never[];
    spec
      .given([...committee, ...held])
      .when({
        ...hold,
        resolutions: [],
        followUps: [{ resolutionId: resolution, status: 'done', note: 'done' }],
      })
      .thenRejects('MEETING_EXISTS');
    spec
      .given(committee)
      .when({ ...hold, agendaItemIds: [AgendaItemId.parse('nope')] })
      .thenRejects('AGENDA_ITEM_UNKNOWN');
  });

  describe('closing the loop on resolutions', () => {
    const afterFirst = () => [
      ...committee,
      ...(committeeDecider.decide(hold, spec.given(committee).state, contextOn(facts)) as never[]),
    ];
    const next = {
      ...hold,
      meetingId: 'q3-2022' as never,
      heldOn: day('2022-07-15'),
      agendaItemIds: [],
      resolutions: [],
    };

    it('requires every open resolution to be reported on at the next meeting', () => {
      spec
        .given(afterFirst())
        .when(next)
        .thenRejects('FOLLOW_UP_MISSING', { resolutions: ['r-parking'] });
      spec
        .given(afterFirst())
        .when({ ...next, followUps: [{ resolutionId: resolution, status: 'done', note: 'bays repainted' }] })
        .thenEvents((e) => expect(e).toMatchObject([{ type: 'JointMeetingHeld' }]));
    });

    it('does not require it when the policy does not', () => {
      const relaxed = { ...LIUYANG_2013, meetings: { ...LIUYANG_2013.meetings, requireFollowUp: false } };
      spec
        .given(afterFirst())
        .when(next, { policy: relaxed })
        .thenEvents((e) => expect(e).toHaveLength(1));
    });

    it('rejects a follow-up of an unknown resolution and a reused resolution id', () => {
      spec
        .given(committee)
        .when({ ...hold, followUps: [{ resolutionId: resolution, status: 'done', note: 'x' }] })
        .thenRejects('RESOLUTION_UNKNOWN');
      spec
        .given(afterFirst())
        .when({
          ...next,
          resolutions: [{ resolutionId: resolution, text: 'again' }],
          followUps: [{ resolutionId: resolution, status: 'in-progress', note: 'x' }],
        })
        .thenRejects('RESOLUTION_EXISTS');
    });
  });
});
