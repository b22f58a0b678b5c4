import { isRejection, type Decision, type Rejection } from '../kernel/decider.ts';
import { addDays, termEnd, yearOf, type PlainDate } from '../kernel/plainDate.ts';
import type { CandidateId } from '../shared/ids.ts';
import { beforeDate, firstOf, inFuture } from '../shared/guards.ts';
import { refuse } from '../shared/rejections.ts';
import type { CommitteeCommandOf } from './commands.ts';
import { superiorOf } from './decidePipeline.ts';
import type { CommitteeEvent } from './events.ts';
import { acceptsCommands, overlappingSeat, seatOf, type CommitteeContext } from './rules.ts';
import { seatEnd, sitsOn, type ActiveCommittee, type Seat } from './state.ts';

type PartTimeSeat = Seat & { readonly candidateId: CandidateId; readonly termEndsOn: PlainDate };

/** The seat of a candidate that has not exited (invariant 4: only a sitting member renews or exits). */
const openSeat = (
  state: ActiveCommittee,
  candidateId: string,
  context: CommitteeContext,
): PartTimeSeat | Rejection => {
  const rejection = acceptsCommands(state, context);
  if (rejection !== null) return rejection;
  const seat = seatOf(state, candidateId);
  if (isRejection(seat)) return seat;
  if (seat.exitOn !== null) return refuse('SEAT_NOT_SITTING', { candidateId, exitedOn: seat.exitOn });
  return seat as PartTimeSeat;
};

/** Invariant 4: an exit's effective date lies inside the seat, (from, last term day + 1]. */
const exitInside = (seat: PartTimeSeat, effectiveOn: PlainDate): Rejection | null => {
  const end = addDays(seat.termEndsOn, 1);
  return effectiveOn <= seat.from || effectiveOn > end
    ? refuse('EXIT_OUTSIDE_SEAT', { effectiveOn, from: seat.from, termEndsOn: seat.termEndsOn })
    : null;
};

const seatIds = (state: ActiveCommittee, seat: PartTimeSeat) => ({
  committeeId: state.id,
  candidateId: seat.candidateId,
  personId: seat.personId,
});

export const assignDuties = (
  command: CommitteeCommandOf<'AssignDuties'>,
  state: ActiveCommittee,
  context: CommitteeContext,
): Decision<CommitteeEvent> => {
  const seat = openSeat(state, command.candidateId, context);
  if (isRejection(seat)) return seat;
  const rejection = firstOf(
    () => inFuture(command.assignedOn, 'assignedOn', context),
    () =>
      sitsOn(seat, command.assignedOn, state)
        ? null
        : refuse('SEAT_NOT_SITTING', { date: command.assignedOn }),
    () =>
      new Set(command.duties).size === command.duties.length
        ? null
        : refuse('DUTIES_INVALID', { duties: command.duties }),
  );
  if (rejection !== null) return rejection;
  return [
    {
      type: 'DutiesAssigned',
      data: { ...seatIds(state, seat), duties: command.duties, assignedOn: command.assignedOn },
    },
  ];
};

/** 续聘: a subdistrict-level member continues for up to another term, with the superior's approval. */
export const renew = (
  command: CommitteeCommandOf<'RenewMember'>,
  state: ActiveCommittee,
  context: CommitteeContext,
): Decision<CommitteeEvent> => {
  if (state.level !== 'subdistrict') return refuse('RENEWAL_NOT_APPLICABLE', { level: state.level });
  const seat = openSeat(state, command.candidateId, context);
  if (isRejection(seat)) return seat;
  const nextStart = addDays(seat.termEndsOn, 1);
  const maxEnd = termEnd(nextStart, context.policy.partTime.subdistrictTermYears);
  const termEndsOn = command.termEndsOn ?? maxEnd;
  const rejection = firstOf(
    () => inFuture(command.renewedOn, 'renewedOn', context),
    () =>
      command.renewedOn < seat.from || command.renewedOn > nextStart
        ? refuse('SEAT_NOT_SITTING', {
            date: command.renewedOn,
            from: seat.from,
            termEndsOn: seat.termEndsOn,
          })
        : null,
    () =>
      context.policy.partTime.renewalRequiresApproval && command.approvalRef === undefined
        ? refuse('RENEWAL_APPROVAL_REQUIRED')
        : null,
    () =>
      termEndsOn <= seat.termEndsOn
        ? refuse('RENEWAL_NOT_LONGER', { termEndsOn, current: seat.termEndsOn })
        : null,
    () => (termEndsOn > maxEnd ? refuse('TERM_TOO_LONG', { termEndsOn, maxTermEndsOn: maxEnd }) : null),
    () => {
      const clash = overlappingSeat(state, seat.personId, nextStart, addDays(termEndsOn, 1), seat.id);
      return clash === undefined ? null : refuse('SEAT_OVERLAP', { seat: clash.id });
    },
  );
  if (rejection !== null) return rejection;
  return [
    {
      type: 'MemberRenewed',
      data: {
        ...seatIds(state, seat),
        renewedOn: command.renewedOn,
        previousTermEndsOn: seat.termEndsOn,
        termEndsOn,
        approvalRef: command.approvalRef ?? null,
      },
    },
  ];
};

/** 解除选聘: by decision of the organisation, filed with its superior. */
export const dismiss = (
  command: CommitteeCommandOf<'DismissMember'>,
  state: ActiveCommittee,
  context: CommitteeContext,
): Decision<CommitteeEvent> => {
  const seat = openSeat(state, command.candidateId, context);
  if (isRejection(seat)) return seat;
  const superior = superiorOf(context.policy, state.level);
  const rejection = firstOf(
    () => inFuture(command.effectiveOn, 'effectiveOn', context),
    () => exitInside(seat, command.effectiveOn),
    () =>
      command.filedWith === superior
        ? null
        : refuse('FILING_REQUIRED', { fileWith: superior, given: command.filedWith }),
  );
  if (rejection !== null) return rejection;
  return [
    {
      type: 'MemberDismissed',
      data: {
        ...seatIds(state, seat),
        effectiveOn: command.effectiveOn,
        reason: command.reason,
        decisionRef: command.decisionRef,
        filedWith: command.filedWith,
      },
    },
  ];
};

/** 自行退出: notified in writing by the unit where the member's party relation is. */
export const withdraw = (
  command: CommitteeCommandOf<'RecordWithdrawal'>,
  state: ActiveCommittee,
  context: CommitteeContext,
): Decision<CommitteeEvent> => {
  const seat = openSeat(state, command.candidateId, context);
  if (isRejection(seat)) return seat;
  const rejection = firstOf(
    () => inFuture(command.effectiveOn, 'effectiveOn', context),
    () => exitInside(seat, command.effectiveOn),
    () => beforeDate(command.effectiveOn, command.notice.notifiedOn, 'effectiveOn', 'notice.notifiedOn'),
    () =>
      seat.unitId !== null && command.notice.unitId !== seat.unitId
        ? refuse('NOTICE_FROM_WRONG_UNIT', { expected: seat.unitId, given: command.notice.unitId ?? null })
        : null,
  );
  if (rejection !== null) return rejection;
  return [
    {
      type: 'MemberWithdrew',
      data: {
        ...seatIds(state, seat),
        effectiveOn: command.effectiveOn,
        reason: command.reason,
        notice: {
          issuedBy: command.notice.issuedBy,
          unitId: command.notice.unitId ?? null,
          notifiedOn: command.notice.notifiedOn,
          documentRef: command.notice.documentRef,
        },
      },
    },
  ];
};

/** 届满: the term ran out and the member does not continue. */
export const expire = (
  command: CommitteeCommandOf<'ExpireMemberTerm'>,
  state: ActiveCommittee,
  context: CommitteeContext,
): Decision<CommitteeEvent> => {
  const seat = openSeat(state, command.candidateId, context);
  if (isRejection(seat)) return seat;
  const effectiveOn = addDays(seat.termEndsOn, 1);
  if (effectiveOn > context.today)
    return refuse('TERM_NOT_ENDED', { termEndsOn: seat.termEndsOn, today: context.today });
  return [
    {
      type: 'MemberTermExpired',
      data: { ...seatIds(state, seat), effectiveOn, termEndsOn: seat.termEndsOn },
    },
  ];
};

/** 述职评议: one grade per member per year, while the member sits. */
export const evaluate = (
  command: CommitteeCommandOf<'EvaluateMember'>,
  state: ActiveCommittee,
  context: CommitteeContext,
): Decision<CommitteeEvent> => {
  const rejection0 = acceptsCommands(state, context);
  if (rejection0 !== null) return rejection0;
  const seat = seatOf(state, command.candidateId);
  if (isRejection(seat)) return seat;
  const end = seatEnd(seat, state);
  const rejection = firstOf(
    () => inFuture(command.evaluatedOn, 'evaluatedOn', context),
    () =>
      sitsOn(seat, command.evaluatedOn, state)
        ? null
        : refuse('SEAT_NOT_SITTING', { date: command.evaluatedOn, from: seat.from, end }),
    () =>
      command.year > yearOf(command.evaluatedOn) || `${command.year}-12-31` < seat.from
        ? refuse('DATE_OUT_OF_ORDER', { field: 'year', year: command.year, from: seat.from })
        : null,
    () =>
      state.evaluations.has(`${seat.id}@${command.year}`)
        ? refuse('ALREADY_EVALUATED', { year: command.year })
        : null,
  );
  if (rejection !== null) return rejection;
  return [
    {
      type: 'MemberEvaluated',
      data: {
        committeeId: state.id,
        candidateId: seat.candidateId as NonNullable<Seat['candidateId']>,
        personId: seat.personId,
        year: command.year,
        grade: command.grade,
        evaluatedOn: command.evaluatedOn,
        method: command.method,
      },
    },
  ];
};
