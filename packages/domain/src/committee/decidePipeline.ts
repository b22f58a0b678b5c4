import { isRejection, type Decision, type Rejection } from '../kernel/decider.ts';
import { addDays, termEnd } from '../kernel/plainDate.ts';
import { workingCalendar } from '../policy/calendar.ts';
import type { PipelineStage, Policy } from '../policy/schema.ts';
import { firstOf, inFuture } from '../shared/guards.ts';
import { refuse } from '../shared/rejections.ts';
import type { CommitteeCommandOf } from './commands.ts';
import { APPROVAL_LEVEL, type Approval, type CommitteeEvent, type CommitteeLevel } from './events.ts';
import {
  acceptsCommands,
  candidateOf,
  happenedAfter,
  overlappingSeat,
  PART_TIME_KINDS,
  registeredPerson,
  type CommitteeContext,
} from './rules.ts';
import { seatsOn, sitsOn, termOn, type ActiveCommittee, type Candidate } from './state.ts';

/** Categories nominated from a unit: (1) non-public enterprise leaders, (2) leaders of organs and institutions. */
const FROM_A_UNIT = new Set(['non-public-enterprise-leader', 'institution-leader']);

/** The authority that approves (and to which decisions are filed) for a level. */
export const superiorOf = (policy: Policy, level: CommitteeLevel) =>
  policy.partTime.approval[level].authority;

/** Whether the policy's publicity comes before the appointment (000) rather than after it (004). */
const publicityFirst = (policy: Policy): boolean => {
  const at = policy.partTime.pipeline.indexOf('publicity');
  return at >= 0 && at < policy.partTime.pipeline.indexOf('appointment');
};

/** The next step the policy requires of a candidate, or a rejection if `stage` is not it. */
const nextStage = (candidate: Candidate, stage: PipelineStage, policy: Policy): Rejection | null => {
  const pipeline = policy.partTime.pipeline;
  if (!pipeline.includes(stage)) return refuse('STAGE_NOT_IN_PIPELINE', { stage, pipeline });
  const expected = pipeline[candidate.stages.length];
  return expected === stage
    ? null
    : refuse('STAGE_OUT_OF_ORDER', { stage, expected: expected ?? null, done: candidate.stages });
};

const openCandidate = (
  state: ActiveCommittee,
  candidateId: string,
  context: CommitteeContext,
): Candidate | Rejection => {
  const rejection = acceptsCommands(state, context);
  if (rejection !== null) return rejection;
  const candidate = candidateOf(state, candidateId);
  if (isRejection(candidate)) return candidate;
  return candidate.status === 'open'
    ? candidate
    : refuse('CANDIDATE_CLOSED', { candidateId, status: candidate.status });
};

export const nominate = (
  command: CommitteeCommandOf<'NominateCandidate'>,
  state: ActiveCommittee,
  context: CommitteeContext,
): Decision<CommitteeEvent> => {
  const { unit } = context.facts;
  const rejection = firstOf(
    () => acceptsCommands(state, context),
    () =>
      PART_TIME_KINDS.includes(state.kind) ? null : refuse('PART_TIME_NOT_SUPPORTED', { kind: state.kind }),
    () =>
      state.candidates[command.candidateId] === undefined
        ? null
        : refuse('CANDIDATE_EXISTS', { candidateId: command.candidateId }),
    () => happenedAfter(command.nominatedOn, 'nominatedOn', context, state.establishedOn, 'establishedOn'),
    () => registeredPerson(context.facts.member, command.personId),
    () =>
      Object.values(state.candidates).some((c) => c.personId === command.personId && c.status === 'open')
        ? refuse('CANDIDACY_IN_PROGRESS', { personId: command.personId })
        : null,
    () =>
      FROM_A_UNIT.has(command.category) && command.unitId === undefined
        ? refuse('UNIT_REQUIRED', { category: command.category })
        : null,
    () => {
      if (command.unitId === undefined) return null;
      if (unit === undefined || unit.status === 'absent')
        return refuse('UNIT_NOT_REGISTERED', { unitId: command.unitId });
      return unit.regionPath.includes(state.regionId)
        ? null
        : refuse('UNIT_OUTSIDE_AREA', { unitId: command.unitId, regionId: state.regionId });
    },
  );
  if (rejection !== null) return rejection;
  return [
    {
      type: 'CandidateNominated',
      data: {
        committeeId: state.id,
        candidateId: command.candidateId,
        personId: command.personId,
        category: command.category,
        unitId: command.unitId ?? null,
        nominatedBy: command.nominatedBy,
        nominatedOn: command.nominatedOn,
      },
    },
  ];
};

export const screen = (
  command: CommitteeCommandOf<'ScreenCandidate'>,
  state: ActiveCommittee,
  context: CommitteeContext,
): Decision<CommitteeEvent> => {
  const candidate = openCandidate(state, command.candidateId, context);
  if (isRejection(candidate)) return candidate;
  const rejection = firstOf(
    () => nextStage(candidate, 'screening', context.policy),
    () => happenedAfter(command.screenedOn, 'screenedOn', context, candidate.lastDate, 'the previous step'),
  );
  if (rejection !== null) return rejection;
  const ids = { committeeId: state.id, candidateId: candidate.id };
  if (!command.passed) {
    return [
      {
        type: 'CandidateRejected',
        data: {
          ...ids,
          stage: 'screening',
          rejectedOn: command.screenedOn,
          reason: command.note ?? 'did not pass screening',
        },
      },
    ];
  }
  return [
    {
      type: 'CandidateScreened',
      data: {
        ...ids,
        screenedOn: command.screenedOn,
        method: command.method,
        votesFor: command.votesFor ?? null,
        votesAgainst: command.votesAgainst ?? null,
      },
    },
  ];
};

export const deliberate = (
  command: CommitteeCommandOf<'DeliberateCandidate'>,
  state: ActiveCommittee,
  context: CommitteeContext,
): Decision<CommitteeEvent> => {
  const candidate = openCandidate(state, command.candidateId, context);
  if (isRejection(candidate)) return candidate;
  const rejection = firstOf(
    () => nextStage(candidate, 'deliberation', context.policy),
    () =>
      happenedAfter(command.deliberatedOn, 'deliberatedOn', context, candidate.lastDate, 'the previous step'),
  );
  if (rejection !== null) return rejection;
  const ids = { committeeId: state.id, candidateId: candidate.id };
  return command.endorsed
    ? [
        {
          type: 'CandidateDeliberated',
          data: { ...ids, deliberatedOn: command.deliberatedOn, meetingRef: command.meetingRef },
        },
      ]
    : [
        {
          type: 'CandidateRejected',
          data: {
            ...ids,
            stage: 'deliberation',
            rejectedOn: command.deliberatedOn,
            reason: command.note ?? 'not endorsed by the committee',
          },
        },
      ];
};

export const approve = (
  command: CommitteeCommandOf<'ApproveCandidate'>,
  state: ActiveCommittee,
  context: CommitteeContext,
): Decision<CommitteeEvent> => {
  const candidate = openCandidate(state, command.candidateId, context);
  if (isRejection(candidate)) return candidate;
  const { approval } = context.policy.partTime;
  const required = superiorOf(context.policy, state.level);
  const fileWith = state.level === 'community' ? approval.community.fileWith : null;
  const rejection = firstOf(
    () => nextStage(candidate, 'approval', context.policy),
    () => happenedAfter(command.approvedOn, 'approvedOn', context, candidate.lastDate, 'the previous step'),
    () =>
      command.authority === required
        ? null
        : refuse('WRONG_APPROVAL_AUTHORITY', { required, given: command.authority, level: state.level }),
    () =>
      fileWith !== null && command.filedWith !== fileWith
        ? refuse('FILING_REQUIRED', { fileWith, given: command.filedWith ?? null })
        : null,
  );
  if (rejection !== null) return rejection;
  return [
    {
      type: 'CandidateApproved',
      data: {
        committeeId: state.id,
        candidateId: candidate.id,
        approvedOn: command.approvedOn,
        authority: command.authority,
        approvalRef: command.approvalRef,
        filedWith: fileWith,
        reportedTo: state.level === 'subdistrict' ? approval.subdistrict.reportTo : null,
      },
    },
  ];
};

export const rejectCandidate = (
  command: CommitteeCommandOf<'RejectCandidate'>,
  state: ActiveCommittee,
  context: CommitteeContext,
): Decision<CommitteeEvent> => {
  const candidate = openCandidate(state, command.candidateId, context);
  if (isRejection(candidate)) return candidate;
  const rejection = happenedAfter(
    command.rejectedOn,
    'rejectedOn',
    context,
    candidate.lastDate,
    'the previous step',
  );
  if (rejection !== null) return rejection;
  const stage = context.policy.partTime.pipeline[candidate.stages.length] ?? 'appointment';
  return [
    {
      type: 'CandidateRejected',
      data: {
        committeeId: state.id,
        candidateId: candidate.id,
        stage,
        rejectedOn: command.rejectedOn,
        reason: command.reason,
      },
    },
  ];
};

export const startPublicity = (
  command: CommitteeCommandOf<'StartPublicity'>,
  state: ActiveCommittee,
  context: CommitteeContext,
): Decision<CommitteeEvent> => {
  const rejection0 = acceptsCommands(state, context);
  if (rejection0 !== null) return rejection0;
  const candidate = candidateOf(state, command.candidateId);
  if (isRejection(candidate)) return candidate;
  if (candidate.publicity !== null) return refuse('PUBLICITY_ALREADY_STARTED', { candidateId: candidate.id });
  // Publicity before appointment is a step of an open candidacy; after it, of an appointed one.
  if (candidate.status === 'rejected')
    return refuse('CANDIDATE_CLOSED', { candidateId: candidate.id, status: candidate.status });
  const rejection = firstOf(
    () => nextStage(candidate, 'publicity', context.policy),
    () => happenedAfter(command.startsOn, 'startsOn', context, candidate.lastDate, 'the previous step'),
  );
  if (rejection !== null) return rejection;
  const workingDays = context.policy.partTime.publicityWorkingDays;
  return [
    {
      type: 'PublicityStarted',
      data: {
        committeeId: state.id,
        candidateId: candidate.id,
        startsOn: command.startsOn,
        endsOn: workingCalendar(context.policy).nthWorkingDay(command.startsOn, workingDays),
        workingDays,
      },
    },
  ];
};

export const raiseObjection = (
  command: CommitteeCommandOf<'RaiseObjection'>,
  state: ActiveCommittee,
  context: CommitteeContext,
): Decision<CommitteeEvent> => {
  const rejection0 = acceptsCommands(state, context);
  if (rejection0 !== null) return rejection0;
  const candidate = candidateOf(state, command.candidateId);
  if (isRejection(candidate)) return candidate;
  const publicity = candidate.publicity;
  if (publicity === null) return refuse('PUBLICITY_NOT_STARTED', { candidateId: candidate.id });
  // Publicity before appointment closes with the appointment; publicity after it lasts while the member sits.
  const seat = state.seats.find((s) => s.candidateId === candidate.id);
  const closed =
    candidate.status === 'rejected' ||
    (candidate.status === 'appointed' &&
      (publicityFirst(context.policy) || seat === undefined || seat.exitOn !== null));
  const rejection = firstOf(
    () =>
      closed ? refuse('CANDIDATE_CLOSED', { candidateId: candidate.id, status: candidate.status }) : null,
    () => inFuture(command.raisedOn, 'raisedOn', context),
    () =>
      command.raisedOn < publicity.startsOn || command.raisedOn > publicity.endsOn
        ? refuse('OBJECTION_OUTSIDE_PUBLICITY', {
            raisedOn: command.raisedOn,
            startsOn: publicity.startsOn,
            endsOn: publicity.endsOn,
          })
        : null,
    () =>
      publicity.all.includes(command.objectionId)
        ? refuse('OBJECTION_EXISTS', { objectionId: command.objectionId })
        : null,
  );
  if (rejection !== null) return rejection;
  return [
    {
      type: 'PublicityObjectionRaised',
      data: {
        committeeId: state.id,
        candidateId: candidate.id,
        objectionId: command.objectionId,
        raisedOn: command.raisedOn,
        summary: command.summary,
      },
    },
  ];
};

/**
 * An upheld objection ends the matter: before appointment the candidacy is rejected; after it
 * (004's order, publicity in the unit after appointment) the member is dismissed.
 */
export const resolveObjection = (
  command: CommitteeCommandOf<'ResolveObjection'>,
  state: ActiveCommittee,
  context: CommitteeContext,
): Decision<CommitteeEvent> => {
  const rejection0 = acceptsCommands(state, context);
  if (rejection0 !== null) return rejection0;
  const candidate = candidateOf(state, command.candidateId);
  if (isRejection(candidate)) return candidate;
  const publicity = candidate.publicity;
  if (publicity === null || !publicity.open.includes(command.objectionId)) {
    return refuse('OBJECTION_NOT_FOUND', { objectionId: command.objectionId });
  }
  const seat = state.seats.find((s) => s.candidateId === candidate.id);
  // A member appointed before publicity is dismissed only while still sitting; once the seat has
  // ended there is nobody to dismiss and only the finding is recorded.
  const dismissing =
    command.upheld && seat !== undefined && seat.exitOn === null && sitsOn(seat, command.resolvedOn, state);
  const rejection = firstOf(
    () => happenedAfter(command.resolvedOn, 'resolvedOn', context, publicity.startsOn, 'the publicity start'),
    () =>
      dismissing && command.resolvedOn <= seat.from
        ? refuse('EXIT_OUTSIDE_SEAT', { effectiveOn: command.resolvedOn, from: seat.from })
        : null,
  );
  if (rejection !== null) return rejection;
  const ids = { committeeId: state.id, candidateId: candidate.id };
  const events: CommitteeEvent[] = [
    {
      type: 'PublicityObjectionResolved',
      data: {
        ...ids,
        objectionId: command.objectionId,
        resolvedOn: command.resolvedOn,
        upheld: command.upheld,
        finding: command.finding,
      },
    },
  ];
  if (command.upheld && candidate.status === 'open') {
    events.push({
      type: 'CandidateRejected',
      data: { ...ids, stage: 'publicity', rejectedOn: command.resolvedOn, reason: command.finding },
    });
  } else if (dismissing) {
    events.push({
      type: 'MemberDismissed',
      data: {
        ...ids,
        personId: seat.personId,
        effectiveOn: command.resolvedOn,
        reason: 'publicity-objection-upheld',
        decisionRef: command.objectionId,
        filedWith: superiorOf(context.policy, state.level),
      },
    });
  }
  return events;
};

/**
 * Invariant 1: an appointment follows every step the policy requires, in order, approved by the
 * authority of the committee's level, and (where publicity comes first) after a completed
 * publicity period with no unresolved objection.
 */
export const appoint = (
  command: CommitteeCommandOf<'AppointMember'>,
  state: ActiveCommittee,
  context: CommitteeContext,
): Decision<CommitteeEvent> => {
  const candidate = openCandidate(state, command.candidateId, context);
  if (isRejection(candidate)) return candidate;
  const { policy } = context;
  const term = termOn(state, command.appointedOn);
  const years = policy.partTime.subdistrictTermYears;
  const maxEnd =
    state.level === 'subdistrict'
      ? termEnd(command.appointedOn, years)
      : (term?.endsOn ?? command.appointedOn);
  const termEndsOn = command.termEndsOn ?? maxEnd;
  const sitting = seatsOn(state, command.appointedOn).filter((s) => s.kind === 'part-time').length;
  const rejection = firstOf(
    () => nextStage(candidate, 'appointment', policy),
    () => happenedAfter(command.appointedOn, 'appointedOn', context, candidate.lastDate, 'the previous step'),
    () => {
      const required = superiorOf(policy, state.level);
      return candidate.approval?.authority === required
        ? null
        : refuse('WRONG_APPROVAL_AUTHORITY', { required, given: candidate.approval?.authority ?? null });
    },
    () => {
      if (!publicityFirst(policy)) return null;
      const publicity = candidate.publicity;
      if (publicity === null) return refuse('PUBLICITY_NOT_STARTED', { candidateId: candidate.id });
      if (publicity.open.length > 0) return refuse('OBJECTION_UNRESOLVED', { objections: publicity.open });
      return command.appointedOn <= publicity.endsOn
        ? refuse('PUBLICITY_NOT_COMPLETED', { endsOn: publicity.endsOn, appointedOn: command.appointedOn })
        : null;
    },
    () => registeredPerson(context.facts.member, candidate.personId),
    () => (term === undefined ? refuse('NO_CURRENT_TERM', { date: command.appointedOn }) : null),
    () =>
      termEndsOn > maxEnd || termEndsOn < command.appointedOn
        ? refuse('TERM_TOO_LONG', { termEndsOn, maxTermEndsOn: maxEnd, level: state.level })
        : null,
    () => {
      const clash = overlappingSeat(state, candidate.personId, command.appointedOn, addDays(termEndsOn, 1));
      return clash === undefined
        ? null
        : refuse('SEAT_OVERLAP', { personId: candidate.personId, seat: clash.id });
    },
    () => {
      const cap = policy.partTime.cap;
      return cap !== null && sitting >= cap ? refuse('PART_TIME_CAP_REACHED', { cap, sitting }) : null;
    },
  );
  if (rejection !== null) return rejection;
  return [
    {
      type: 'MemberAppointed',
      data: {
        committeeId: state.id,
        candidateId: candidate.id,
        personId: candidate.personId,
        level: state.level,
        category: candidate.category,
        unitId: candidate.unitId,
        appointedOn: command.appointedOn,
        termEndsOn,
        termNumber: (term as NonNullable<typeof term>).number,
        certificateNo: command.certificateNo,
        approval: approvalOf(candidate.approval as NonNullable<Candidate['approval']>),
        aboveGuideline: sitting + 1 > policy.partTime.guideline,
      },
    },
  ];
};

const approvalOf = (approval: NonNullable<Candidate['approval']>): Approval => ({
  ref: approval.ref,
  authority: approval.authority,
  level: APPROVAL_LEVEL[approval.authority],
});
