import type { Rejection } from '../kernel/decider.ts';
import type { PlainDate } from '../kernel/plainDate.ts';
import type { MemberState } from '../member/state.ts';
import type { RegionState } from '../region/state.ts';
import type { ContextWith } from '../shared/context.ts';
import { beforeDate, firstOf, inFuture, regionChainLive } from '../shared/guards.ts';
import type { MemberId } from '../shared/ids.ts';
import { refuse } from '../shared/rejections.ts';
import type { UnitState } from '../unit/state.ts';
import type { CommitteeKind } from './events.ts';
import { seatEnd, type ActiveCommittee, type Candidate, type Seat } from './state.ts';

export interface CommitteeFacts {
  /** The committee's region and the regions above it. */
  readonly regions: readonly RegionState[];
  /** The person a command is about (nominee, officer). */
  readonly member?: MemberState;
  /** The nominee's unit. */
  readonly unit?: UnitState;
}
export type CommitteeContext = ContextWith<CommitteeFacts>;

/** Kinds that take part-time members: the working committee and the community organisations. */
export const PART_TIME_KINDS: readonly CommitteeKind[] = [
  'subdistrict-working-committee',
  'community-party-committee',
  'community-general-branch',
  'community-branch',
];

/** A date for a fact that happened, not before a step it follows. */
export const happenedAfter = (
  date: PlainDate,
  field: string,
  context: CommitteeContext,
  earlier: PlainDate,
  after: string,
): Rejection | null =>
  firstOf(
    () => inFuture(date, field, context),
    () => beforeDate(date, earlier, field, after),
  );

/** The committee exists, is not dissolved, and its region chain is live. */
export const acceptsCommands = (state: ActiveCommittee, context: CommitteeContext): Rejection | null =>
  firstOf(
    () => (state.status === 'dissolved' ? refuse('COMMITTEE_DISSOLVED', { committeeId: state.id }) : null),
    () => regionChainLive(context.facts.regions),
  );

/** The person is a registered member who has not been transferred out. */
export const registeredPerson = (member: MemberState | undefined, personId: MemberId): Rejection | null => {
  if (member === undefined || member.status === 'absent')
    return refuse('PERSON_NOT_REGISTERED', { personId });
  return member.status === 'transferred-out' ? refuse('MEMBER_TRANSFERRED_OUT', { personId }) : null;
};

/**
 * Invariant 2: a person holds at most one seat in a committee at any date. The new interval is
 * [from, until) with `until` null for an open-ended officer seat.
 */
export const overlappingSeat = (
  state: ActiveCommittee,
  personId: MemberId,
  from: PlainDate,
  until: PlainDate | null,
  except?: string,
): Seat | undefined =>
  state.seats.find((seat) => {
    if (seat.personId !== personId || seat.id === except) return false;
    const end = seatEnd(seat, state);
    return (until === null || seat.from < until) && (end === null || from < end);
  });

export const candidateOf = (state: ActiveCommittee, candidateId: string): Candidate | Rejection => {
  const candidate = state.candidates[candidateId];
  return candidate === undefined ? refuse('CANDIDATE_NOT_FOUND', { candidateId }) : candidate;
};

/** The part-time seat of a candidate who was appointed. */
export const seatOf = (state: ActiveCommittee, candidateId: string): Seat | Rejection => {
  const seat = state.seats.find((s) => s.kind === 'part-time' && s.id === candidateId);
  return seat === undefined ? refuse('SEAT_NOT_SITTING', { candidateId, reason: 'never appointed' }) : seat;
};
