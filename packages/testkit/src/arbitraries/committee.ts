import {
  addDays,
  AgendaItemId,
  CandidateId,
  committeeDecider,
  committeeFacts,
  committeeStream,
  HUITONG_2022,
  LIUYANG_2013,
  MeetingId,
  ObjectionId,
  ResolutionId,
  seatsOn,
  termEnd,
  type ActiveCommittee,
  type Authority,
  type CommitteeCommand,
  type CommitteeEvent,
  type CommitteeFacts,
  type CommitteeKind,
  type CommitteeState,
  type DismissalReason,
  type NomineeCategory,
  type OfficerRole,
  type Policy,
} from '@cogov/domain';
import fc from 'fast-check';
import {
  chains,
  committeeId,
  contextOn,
  day,
  memberId,
  regionId,
  registeredMember,
  registeredUnit,
  unitId,
} from '../domain/fixtures.ts';
import { clock, drive, pick, stepPlan, type Driven, type Step } from './common.ts';

const FOUR_ROLES = [
  'policy-advocate',
  'community-counsellor',
  'project-follower',
  'opinion-collector',
] as const;

export interface CommitteeWorld {
  readonly policy: Policy;
  readonly kind: CommitteeKind;
}

/** The two levels under the two preset policies. */
export const committeeWorld: fc.Arbitrary<CommitteeWorld> = fc.record({
  policy: fc.constantFrom(HUITONG_2022, LIUYANG_2013),
  kind: fc.constantFrom<CommitteeKind>('community-party-committee', 'subdistrict-working-committee'),
});

const PERSONS = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9', 'p10'];
const CATEGORIES: readonly NomineeCategory[] = [
  'non-public-enterprise-leader',
  'institution-leader',
  'community-secretary',
  'exemplary-resident',
  'retired-member',
];
const ROLES: readonly OfficerRole[] = [
  'secretary',
  'first-secretary',
  'deputy-secretary',
  'full-time-member',
];
const AUTHORITIES: readonly Authority[] = [
  'county-organisation-department',
  'county-standing-committee',
  'subdistrict-committee',
  'community-committee',
];
const DISMISSALS: readonly DismissalReason[] = [
  'neglect-of-duty',
  'rule-violation',
  'disciplinary-sanction',
  'legal-sanction',
];

const ID = 'prop-committee';

/**
 * Commands for one committee, built step by step from the state so far: mostly the next valid
 * move (the next pipeline step with the right authority, an attendee who sits, an exit inside the
 * seat), sometimes a deliberately wrong one. Returns what the decider recorded.
 */
export const driveCommittee = (
  world: CommitteeWorld,
  plan: readonly Step[],
): Driven<CommitteeCommand, CommitteeEvent> & { state: CommitteeState } => {
  const { policy, kind } = world;
  const level = kind === 'subdistrict-working-committee' ? 'subdistrict' : 'community';
  const regions = level === 'subdistrict' ? chains.town : chains.community;
  const time = clock();
  const C = committeeId(ID);
  const superior = policy.partTime.approval[level].authority;
  const fileWith = level === 'community' ? policy.partTime.approval.community.fileWith : null;
  let nextId = 0;
  const fresh = (prefix: string) => `${prefix}${++nextId}`;
  // The facts the application layer would load for this command (committeeFacts says which).
  const facts = (command: CommitteeCommand, state: CommitteeState): CommitteeFacts => {
    const person = committeeFacts(command, state).member;
    return {
      regions,
      unit: registeredUnit('bank'),
      ...(person === undefined || person === 'ghost' ? {} : { member: registeredMember(person) }),
    };
  };
  const initial: CommitteeEvent[] = [
    {
      type: 'CommitteeEstablished',
      data: {
        committeeId: C,
        kind,
        level,
        regionId: regionId(level === 'subdistrict' ? 'lincheng' : 'dongmen'),
        name: ID,
        establishedOn: day('2020-01-01'),
      },
    },
    {
      type: 'TermStarted',
      data: {
        committeeId: C,
        termNumber: 1,
        startsOn: day('2020-01-01'),
        endsOn: termEnd(day('2020-01-01'), policy.committeeTermYears[level]),
      },
    },
  ];

  const next = (state: CommitteeState, i: number): CommitteeCommand | undefined => {
    const s = plan[i] as Step;
    const on = time.advance(s.days);
    if (state.status === 'absent') return undefined;
    const committee: ActiveCommittee = state;
    const candidates = Object.values(committee.candidates);
    const open = candidates.filter((c) => c.status === 'open');
    const appointed = committee.seats.filter((seat) => seat.kind === 'part-time');
    const sittingSeats = appointed.filter((seat) => seat.exitOn === null);
    const person = s.valid
      ? (pick(PERSONS, s.target) as string)
      : (pick([...PERSONS, 'ghost'], s.target) as string);
    const base = { committeeId: C };
    const a = s.action;
    if (a < 4) {
      const last = committee.terms[committee.terms.length - 1];
      const renewals =
        level === 'community' && s.variant % 2 === 0
          ? sittingSeats
              .filter((_, k) => (s.variant >> k) % 2 === 1)
              .map((seat) => seat.candidateId as CandidateId)
          : [];
      return {
        type: 'StartTerm',
        ...base,
        termNumber: s.valid ? (last?.number ?? 0) + 1 : 1 + (s.variant % 4),
        startsOn:
          s.valid && last !== undefined && on <= last.startsOn
            ? addDays(last.startsOn, 30 + (s.variant % 300))
            : on,
        renewals,
        ...(renewals.length > 0 && s.variant % 3 !== 0 ? { renewalApprovalRef: 'renew-ok' } : {}),
      };
    }
    if (a < 8)
      return {
        type: 'AssignOfficer',
        ...base,
        personId: memberId(person),
        role: pick(ROLES, s.variant) as OfficerRole,
        effectiveOn: on,
      };
    if (a < 10) {
      const officer = pick(
        committee.seats.filter((seat) => seat.kind === 'officer' && seat.exitOn === null),
        s.target,
      );
      return {
        type: 'RelieveOfficer',
        ...base,
        personId: memberId(officer?.personId ?? person),
        role: officer?.role ?? (pick(ROLES, s.variant) as OfficerRole),
        effectiveOn: on,
        reason: 'reassigned',
      };
    }
    if (a < 20) {
      const category = pick(CATEGORIES, s.variant) as NomineeCategory;
      const fromUnit = category === 'non-public-enterprise-leader' || category === 'institution-leader';
      return {
        type: 'NominateCandidate',
        ...base,
        candidateId: CandidateId.parse(fresh('c')),
        personId: memberId(person),
        category,
        ...(fromUnit === s.valid || s.variant % 5 === 0 ? { unitId: unitId('bank') } : {}),
        nominatedBy: 'unit',
        nominatedOn: on,
      };
    }
    if (a < 46) {
      // Valid: the next step with the right details. Invalid, half the time: the right step with a
      // wrong detail (a near miss, the case a forgotten rule lets through); otherwise a wrong step.
      const nearMiss = !s.valid && s.variant % 2 === 0;
      const candidate = s.valid || nearMiss ? pick(open, s.target) : pick(candidates, s.target);
      if (candidate === undefined) return undefined;
      const ids = { ...base, candidateId: candidate.id };
      const pipeline = policy.partTime.pipeline;
      const stage = s.valid || nearMiss ? pipeline[candidate.stages.length] : pick(pipeline, s.variant >> 1);
      const publicityFirst =
        pipeline.indexOf('publicity') < pipeline.indexOf('appointment') && pipeline.includes('publicity');
      const wrongAuthority = AUTHORITIES.filter((x) => x !== superior)[(s.variant >> 1) % 3] as Authority;
      switch (stage) {
        case 'screening':
          return {
            type: 'ScreenCandidate',
            ...ids,
            screenedOn: nearMiss ? addDays(candidate.lastDate, -1) : on,
            method: 'mass-evaluation',
            passed: s.variant % 10 !== 0,
          };
        case 'deliberation':
          return {
            type: 'DeliberateCandidate',
            ...ids,
            deliberatedOn: nearMiss ? addDays(candidate.lastDate, -1) : on,
            meetingRef: 'm',
            endorsed: s.variant % 10 !== 0,
          };
        case 'approval':
          return {
            type: 'ApproveCandidate',
            ...ids,
            approvedOn: on,
            authority:
              nearMiss && s.variant % 4 === 0
                ? wrongAuthority
                : s.valid || nearMiss
                  ? superior
                  : (pick(AUTHORITIES, s.variant) as Authority),
            approvalRef: 'approval',
            ...(fileWith !== null &&
            (s.valid || (nearMiss && s.variant % 4 === 0) || (!nearMiss && s.variant % 2 === 0))
              ? { filedWith: fileWith }
              : {}),
          };
        case 'publicity':
          return {
            type: 'StartPublicity',
            ...ids,
            startsOn: nearMiss ? addDays(candidate.lastDate, -1) : on,
          };
        case 'appointment': {
          const publicity = candidate.publicity;
          const after = publicity === null || !publicityFirst ? on : addDays(publicity.endsOn, 1);
          const appointedOn = nearMiss
            ? publicity !== null && publicityFirst
              ? addDays(publicity.startsOn, (s.variant >> 1) % 5)
              : addDays(candidate.lastDate, -1)
            : s.valid && after > on
              ? after
              : on;
          const shorter =
            level === 'subdistrict' && s.variant % 4 === 0
              ? { termEndsOn: addDays(appointedOn, 300 + (s.variant % 900)) }
              : {};
          return {
            type: 'AppointMember',
            ...ids,
            appointedOn,
            certificateNo: `cert-${candidate.id}`,
            ...shorter,
          };
        }
        default:
          return undefined;
      }
    }
    if (a < 48) {
      const candidate = pick(open, s.target);
      return candidate === undefined
        ? undefined
        : { type: 'RejectCandidate', ...base, candidateId: candidate.id, rejectedOn: on, reason: 'declined' };
    }
    if (a < 53) {
      const candidate = pick(
        candidates.filter((c) => c.publicity !== null),
        s.target,
      );
      if (candidate?.publicity === undefined || candidate.publicity === null) return undefined;
      const raisedOn = s.valid ? addDays(candidate.publicity.startsOn, s.variant % 3) : on;
      return {
        type: 'RaiseObjection',
        ...base,
        candidateId: candidate.id,
        objectionId: ObjectionId.parse(fresh('o')),
        raisedOn,
        summary: 'objection',
      };
    }
    if (a < 58) {
      const candidate = pick(
        candidates.filter((c) => (c.publicity?.open.length ?? 0) > 0),
        s.target,
      );
      const objection = candidate?.publicity?.open[0];
      if (candidate === undefined || objection === undefined) return undefined;
      return {
        type: 'ResolveObjection',
        ...base,
        candidateId: candidate.id,
        objectionId: ObjectionId.parse(objection),
        resolvedOn: on,
        upheld: s.variant % 4 === 0,
        finding: 'finding',
      };
    }
    const seat = s.valid ? pick(sittingSeats, s.target) : pick(appointed, s.target);
    if (a < 61) {
      if (seat === undefined) return undefined;
      return {
        type: 'AssignDuties',
        ...base,
        candidateId: seat.candidateId as CandidateId,
        // A non-empty subset of the four roles, picked by the step's variant (each set replaces the last).
        duties: s.valid
          ? FOUR_ROLES.filter((_, i) => ((s.variant % 15) + 1) & (1 << i))
          : ['policy-advocate', 'policy-advocate'],
        assignedOn: on,
      };
    }
    if (a < 65) {
      if (seat === undefined || seat.termEndsOn === null) return undefined;
      const renewedOn = s.valid ? (seat.termEndsOn > on ? on : seat.termEndsOn) : on;
      return {
        type: 'RenewMember',
        ...base,
        candidateId: seat.candidateId as CandidateId,
        renewedOn,
        ...(s.variant % 3 === 0 ? { termEndsOn: addDays(seat.termEndsOn, (s.variant % 1500) - 100) } : {}),
        ...(s.valid || s.variant % 2 === 0 ? { approvalRef: 'renewal' } : {}),
      };
    }
    if (a < 69) {
      if (seat === undefined) return undefined;
      return {
        type: 'DismissMember',
        ...base,
        candidateId: seat.candidateId as CandidateId,
        effectiveOn: on,
        reason: pick(DISMISSALS, s.variant) as DismissalReason,
        decisionRef: 'decision',
        filedWith: s.valid ? superior : (pick(AUTHORITIES, s.variant) as Authority),
      };
    }
    if (a < 73) {
      if (seat === undefined) return undefined;
      const fromUnit = s.valid ? (seat.unitId ?? undefined) : unitId('school');
      return {
        type: 'RecordWithdrawal',
        ...base,
        candidateId: seat.candidateId as CandidateId,
        effectiveOn: on,
        reason: 'job transfer',
        notice: {
          issuedBy: 'unit',
          ...(fromUnit === undefined ? {} : { unitId: fromUnit }),
          notifiedOn: addDays(on, -(s.variant % 10)),
          documentRef: 'notice',
        },
      };
    }
    if (a < 76) {
      if (seat === undefined) return undefined;
      return { type: 'ExpireMemberTerm', ...base, candidateId: seat.candidateId as CandidateId };
    }
    if (a < 80) {
      if (seat === undefined) return undefined;
      const year = Number(on.slice(0, 4)) - (s.variant % 2);
      return {
        type: 'EvaluateMember',
        ...base,
        candidateId: seat.candidateId as CandidateId,
        year,
        grade: 'competent',
        evaluatedOn: on,
        method: 'mass-evaluation-and-performance',
      };
    }
    if (a < 83) {
      return {
        type: 'SubmitAgendaItem',
        ...base,
        agendaItemId: AgendaItemId.parse(fresh('agenda')),
        title: 'item',
        submittedBy: 'resident',
        submittedOn: on,
      };
    }
    if (a < 98 || s.variant % 20 !== 0) {
      const sitting = seatsOn(committee, on).map((seat) => seat.personId as string);
      const pool = s.valid ? sitting : PERSONS;
      const attendees = [...new Set(pool.filter((_, k) => ((s.variant + s.target) >> k) % 3 !== 0))];
      const chosen = attendees.length > 0 ? attendees : pool.slice(0, 1);
      if (chosen.length === 0) return undefined;
      const earlier = Object.entries(committee.openResolutions).filter(([, heldOn]) => heldOn < on);
      return {
        type: 'HoldJointMeeting',
        ...base,
        meetingId: MeetingId.parse(fresh('meeting')),
        heldOn: on,
        attendees: chosen.map(memberId),
        agendaItemIds: s.valid
          ? [...committee.pendingAgenda].slice(0, 2).map((x) => AgendaItemId.parse(x))
          : [],
        minutesRef: 'minutes',
        resolutions:
          s.variant % 2 === 0 ? [{ resolutionId: ResolutionId.parse(fresh('r')), text: 'do it' }] : [],
        followUps: (s.valid ? earlier : earlier.slice(1)).map(([id], k) => ({
          resolutionId: ResolutionId.parse(id),
          status: (s.variant + k) % 3 === 0 ? 'in-progress' : 'done',
          note: 'progress',
        })),
      };
    }
    return { type: 'DissolveCommittee', ...base, dissolvedOn: on, reason: 'restructured' };
  };

  return drive(
    committeeDecider,
    next,
    (command, state) => contextOn(facts(command, state), { policy, today: '2030-06-01' }),
    plan.length,
    initial,
  );
};

/** A committee world and a plan of steps for it. */
export const committeeScenario = fc.record({ world: committeeWorld, plan: stepPlan(70) });

export const COMMITTEE_STREAM = committeeStream(committeeId(ID));
