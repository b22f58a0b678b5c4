import {
  AgendaItemId,
  ObjectionId,
  ResolutionId,
  addDays,
  CandidateId,
  CommitteeId,
  MeetingId,
  MemberId,
  RegionId,
  UnitId,
  workingCalendar,
  type CommitteeLevel,
  type Duty,
  type NomineeCategory,
  type PlainDate,
  type RegionLevel,
} from '@cogov/domain';
import type { ScenarioWriter } from './framework.ts';

export const d = (value: string) => value as PlainDate;

export const defineRegion = (
  w: ScenarioWriter,
  on: PlainDate,
  id: string,
  name: string,
  level: RegionLevel,
  parentId?: string,
) =>
  w.schedule(on, {
    type: 'DefineRegion',
    regionId: RegionId.parse(id),
    name,
    level,
    ...(parentId === undefined ? {} : { parentId: RegionId.parse(parentId) }),
    definedOn: d('2000-01-01'),
  });

const FOUR_ROLES: readonly Duty[] = [
  'policy-advocate',
  'community-counsellor',
  'project-follower',
  'opinion-collector',
];

/**
 * The four roles (四大员) for the `n`th member of a committee: one role each in turn, and a
 * second for every third member, so that each role is held and some members hold two.
 */
export const assignDuties = (
  w: ScenarioWriter,
  committee: string,
  candidate: string,
  n: number,
  on: PlainDate,
): void => {
  const first = FOUR_ROLES[n % 4] as Duty;
  const duties = n % 3 === 0 ? [first, FOUR_ROLES[(n + 1) % 4] as Duty] : [first];
  w.schedule(on, {
    type: 'AssignDuties',
    committeeId: CommitteeId.parse(committee),
    candidateId: CandidateId.parse(candidate),
    duties,
    assignedOn: on,
  });
};

export interface Appointment {
  readonly committee: string;
  readonly candidate: string;
  readonly person: string;
  readonly category: NomineeCategory;
  readonly unit?: string;
  readonly level: CommitteeLevel;
  readonly nominatedOn: PlainDate;
  /** Where the candidacy stops (for candidates turned down on the way). */
  readonly outcome?: 'appointed' | 'fails-screening' | 'not-endorsed' | 'objection-upheld';
}

/**
 * A part-time member through every step the policy asks for: nomination, screening (mass
 * evaluation), deliberation, approval by the authority of the level, publicity (five working days,
 * before the appointment under huitong-2022, after it under liuyang-2013) and appointment.
 */
export const appoint = (w: ScenarioWriter, a: Appointment): PlainDate | null => {
  const policy = w.cogov.policy;
  const ids = { committeeId: CommitteeId.parse(a.committee), candidateId: CandidateId.parse(a.candidate) };
  const stages = policy.partTime.pipeline;
  let day = a.nominatedOn;
  w.schedule(
    day,
    {
      type: 'NominateCandidate',
      ...ids,
      personId: MemberId.parse(a.person),
      category: a.category,
      ...(a.unit === undefined ? {} : { unitId: UnitId.parse(a.unit) }),
      nominatedBy: a.unit === undefined ? 'community party organisation' : `${a.unit} party organisation`,
      nominatedOn: day,
    },
    1,
  );
  let appointedOn: PlainDate | null = null;
  for (const stage of stages.slice(1)) {
    day = addDays(day, 4);
    switch (stage) {
      case 'screening':
        w.schedule(
          day,
          {
            type: 'ScreenCandidate',
            ...ids,
            screenedOn: day,
            method: 'mass-evaluation',
            passed: a.outcome !== 'fails-screening',
            votesFor: 41,
            votesAgainst: a.outcome === 'fails-screening' ? 30 : 2,
          },
          1,
        );
        if (a.outcome === 'fails-screening') return null;
        break;
      case 'deliberation':
        w.schedule(
          day,
          {
            type: 'DeliberateCandidate',
            ...ids,
            deliberatedOn: day,
            meetingRef: `党委会议 ${day}`,
            endorsed: a.outcome !== 'not-endorsed',
          },
          1,
        );
        if (a.outcome === 'not-endorsed') return null;
        break;
      case 'approval':
        w.schedule(
          day,
          {
            type: 'ApproveCandidate',
            ...ids,
            approvedOn: day,
            authority: policy.partTime.approval[a.level].authority,
            approvalRef:
              a.level === 'subdistrict'
                ? `组批〔${day.slice(0, 4)}〕${a.candidate}号`
                : `工委批〔${day.slice(0, 4)}〕${a.candidate}号`,
            ...(a.level === 'community' && policy.partTime.approval.community.fileWith !== null
              ? { filedWith: policy.partTime.approval.community.fileWith }
              : {}),
          },
          2,
        );
        break;
      case 'publicity': {
        w.schedule(day, { type: 'StartPublicity', ...ids, startsOn: day }, 2);
        const ends = workingCalendar(policy).nthWorkingDay(day, policy.partTime.publicityWorkingDays);
        if (a.outcome === 'objection-upheld') {
          w.schedule(
            addDays(day, 1),
            {
              type: 'RaiseObjection',
              ...ids,
              objectionId: ObjectionId.parse(`${a.candidate}-o1`),
              raisedOn: addDays(day, 1),
              summary: 'residents report a conflict of interest',
            },
            2,
          );
          w.schedule(
            ends,
            {
              type: 'ResolveObjection',
              ...ids,
              objectionId: ObjectionId.parse(`${a.candidate}-o1`),
              resolvedOn: ends,
              upheld: true,
              finding: 'verified by the organisation department',
            },
            2,
          );
          return null;
        }
        day = ends;
        break;
      }
      case 'appointment':
        day = addDays(day, 1);
        w.schedule(
          day,
          { type: 'AppointMember', ...ids, appointedOn: day, certificateNo: `聘字 ${a.candidate}` },
          3,
        );
        appointedOn = day;
        break;
      case 'nomination':
        break;
    }
  }
  return appointedOn;
};

/** A joint meeting with its agenda item and resolution, following up every open resolution. */
export const meet = (
  w: ScenarioWriter,
  committee: string,
  meetingId: string,
  heldOn: PlainDate,
  attendees: readonly string[],
  openResolutions: string[],
  topic: string,
): void => {
  const committeeId = CommitteeId.parse(committee);
  const agendaItemId = AgendaItemId.parse(`${meetingId}-a`);
  w.schedule(addDays(heldOn, -7), {
    type: 'SubmitAgendaItem',
    committeeId,
    agendaItemId,
    title: topic,
    submittedBy: attendees[0] ?? 'secretary',
    submittedOn: addDays(heldOn, -7),
  });
  const resolutionId = ResolutionId.parse(`${meetingId}-r`);
  w.schedule(
    heldOn,
    {
      type: 'HoldJointMeeting',
      committeeId,
      meetingId: MeetingId.parse(meetingId),
      heldOn,
      attendees: attendees.map((a) => MemberId.parse(a)),
      agendaItemIds: [agendaItemId],
      minutesRef: `纪要 ${meetingId}`,
      resolutions: [{ resolutionId, text: `follow up: ${topic}` }],
      followUps: openResolutions.map((r) => ({
        resolutionId: ResolutionId.parse(r),
        status: 'done',
        note: 'completed and reported',
      })),
    },
    1,
  );
  openResolutions.splice(0, openResolutions.length, resolutionId);
};

export const monthDays = (year: number, from: number, to: number, day: number): PlainDate[] =>
  Array.from({ length: to - from + 1 }, (_, i) =>
    d(`${year}-${String(from + i).padStart(2, '0')}-${String(day).padStart(2, '0')}`),
  );
