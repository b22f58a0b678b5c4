import { assertNever } from '../kernel/decider.ts';
import { PersistentSet } from '../kernel/persistentSet.ts';
import { addDays, type PlainDate } from '../kernel/plainDate.ts';
import type { Authority, PipelineStage } from '../policy/schema.ts';
import type { CandidateId, CommitteeId, MemberId, RegionId, UnitId } from '../shared/ids.ts';
import type {
  CommitteeEvent,
  CommitteeKind,
  CommitteeLevel,
  NomineeCategory,
  OfficerRole,
} from './events.ts';

export interface Term {
  readonly number: number;
  readonly startsOn: PlainDate;
  readonly endsOn: PlainDate;
}

/**
 * A seat held by one person: a part-time seat (id = its candidate id) or an officer seat.
 * It is sat on every date in [from, end), where end is the exit's effective date, the day after
 * the term's last day, or open for an officer not relieved yet.
 */
export interface Seat {
  readonly id: string;
  /** The candidacy that led to a part-time seat (null for officers). */
  readonly candidateId: CandidateId | null;
  readonly personId: MemberId;
  readonly kind: 'part-time' | 'officer';
  readonly role: OfficerRole | null;
  readonly from: PlainDate;
  /** Part-time seats: the last day of the term. */
  readonly termEndsOn: PlainDate | null;
  /** Set on exit or relief: the first day no longer sitting. */
  readonly exitOn: PlainDate | null;
  readonly unitId: UnitId | null;
  readonly category: NomineeCategory | null;
}

export interface Candidate {
  readonly id: CandidateId;
  readonly personId: MemberId;
  readonly category: NomineeCategory;
  readonly unitId: UnitId | null;
  /** The pipeline steps passed, in order. */
  readonly stages: readonly PipelineStage[];
  /** The date of the latest step: the next cannot be earlier. */
  readonly lastDate: PlainDate;
  readonly status: 'open' | 'rejected' | 'appointed';
  readonly approval: { readonly authority: Authority; readonly ref: string; readonly on: PlainDate } | null;
  readonly publicity: {
    readonly startsOn: PlainDate;
    readonly endsOn: PlainDate;
    /** Objections raised and not resolved yet. */
    readonly open: readonly string[];
    readonly all: readonly string[];
  } | null;
}

export type CommitteeState =
  | { readonly status: 'absent' }
  | {
      readonly status: 'active' | 'dissolved';
      readonly id: CommitteeId;
      readonly kind: CommitteeKind;
      readonly level: CommitteeLevel;
      readonly regionId: RegionId;
      readonly name: string;
      readonly establishedOn: PlainDate;
      readonly dissolvedOn: PlainDate | null;
      readonly terms: readonly Term[];
      readonly seats: readonly Seat[];
      readonly candidates: Readonly<Record<string, Candidate>>;
      readonly meetings: PersistentSet<string>;
      /** Agenda items submitted and not yet discussed. */
      readonly pendingAgenda: PersistentSet<string>;
      readonly knownAgenda: PersistentSet<string>;
      /** Resolutions not reported done yet: resolution → the date of the meeting that made it. */
      readonly openResolutions: Readonly<Record<string, PlainDate>>;
      readonly knownResolutions: PersistentSet<string>;
      /** `${candidateId}@${year}` of evaluations done. */
      readonly evaluations: PersistentSet<string>;
    };

export type ActiveCommittee = Extract<CommitteeState, { status: 'active' | 'dissolved' }>;

export const initialCommitteeState: CommitteeState = { status: 'absent' };

export const LEVEL_OF: Readonly<Record<CommitteeKind, CommitteeLevel>> = {
  'subdistrict-working-committee': 'subdistrict',
  'community-party-committee': 'community',
  'community-general-branch': 'community',
  'community-branch': 'community',
  'compound-branch': 'community',
  'grid-branch': 'community',
};

/** The first day a seat is no longer sat (null: open-ended officer seat). */
export const seatEnd = (seat: Seat, committee?: ActiveCommittee): PlainDate | null => {
  let end = seat.exitOn ?? (seat.termEndsOn === null ? null : addDays(seat.termEndsOn, 1));
  const dissolvedOn = committee?.dissolvedOn ?? null;
  if (dissolvedOn !== null && (end === null || dissolvedOn < end)) end = dissolvedOn;
  return end;
};

export const sitsOn = (seat: Seat, date: PlainDate, committee?: ActiveCommittee): boolean => {
  const end = seatEnd(seat, committee);
  return seat.from <= date && (end === null || date < end);
};

/** Whether a person sits on the committee (officer or part-time member) on a date. */
export const isSitting = (state: CommitteeState, personId: MemberId, date: PlainDate): boolean =>
  state.status !== 'absent' && state.seats.some((s) => s.personId === personId && sitsOn(s, date, state));

/** The seats sat on a date. */
export const seatsOn = (state: CommitteeState, date: PlainDate): readonly Seat[] =>
  state.status === 'absent' ? [] : state.seats.filter((s) => sitsOn(s, date, state));

/** The term covering a date, if any. */
export const termOn = (state: CommitteeState, date: PlainDate): Term | undefined =>
  state.status === 'absent' ? undefined : state.terms.find((t) => t.startsOn <= date && date <= t.endsOn);

const updateSeat = (state: ActiveCommittee, id: string, change: (seat: Seat) => Seat): ActiveCommittee => ({
  ...state,
  seats: state.seats.map((s) => (s.id === id ? change(s) : s)),
});

const updateCandidate = (
  state: ActiveCommittee,
  id: string,
  change: (candidate: Candidate) => Candidate,
): ActiveCommittee => {
  const candidate = state.candidates[id];
  return candidate === undefined
    ? state
    : { ...state, candidates: { ...state.candidates, [id]: change(candidate) } };
};

const passed =
  (stage: PipelineStage, on: PlainDate) =>
  (c: Candidate): Candidate => ({
    ...c,
    stages: [...c.stages, stage],
    lastDate: on > c.lastDate ? on : c.lastDate,
  });

export const evolveCommittee = (state: CommitteeState, event: CommitteeEvent): CommitteeState => {
  if (event.type === 'CommitteeEstablished') {
    return {
      status: 'active',
      id: event.data.committeeId,
      kind: event.data.kind,
      level: event.data.level,
      regionId: event.data.regionId,
      name: event.data.name,
      establishedOn: event.data.establishedOn,
      dissolvedOn: null,
      terms: [],
      seats: [],
      candidates: {},
      meetings: PersistentSet.empty(),
      pendingAgenda: PersistentSet.empty(),
      knownAgenda: PersistentSet.empty(),
      openResolutions: {},
      knownResolutions: PersistentSet.empty(),
      evaluations: PersistentSet.empty(),
    };
  }
  if (state.status === 'absent') return state;
  switch (event.type) {
    case 'CommitteeUpgraded':
      return { ...state, kind: event.data.toKind, level: LEVEL_OF[event.data.toKind] };
    case 'TermStarted': {
      // A new term makes the previous one past, even when it starts early (提前换届).
      const dayBefore = addDays(event.data.startsOn, -1);
      const past = state.terms.map((t) => (t.endsOn > dayBefore ? { ...t, endsOn: dayBefore } : t));
      return {
        ...state,
        terms: [
          ...past,
          { number: event.data.termNumber, startsOn: event.data.startsOn, endsOn: event.data.endsOn },
        ],
      };
    }
    case 'OfficerAssigned':
      return {
        ...state,
        seats: [
          ...state.seats,
          {
            id: `officer:${event.data.personId}:${state.seats.length}`,
            candidateId: null,
            personId: event.data.personId,
            kind: 'officer',
            role: event.data.role,
            from: event.data.effectiveOn,
            termEndsOn: null,
            exitOn: null,
            unitId: null,
            category: null,
          },
        ],
      };
    case 'OfficerRelieved': {
      const seat = state.seats.find(
        (s) =>
          s.kind === 'officer' &&
          s.personId === event.data.personId &&
          s.role === event.data.role &&
          s.exitOn === null,
      );
      return seat === undefined
        ? state
        : updateSeat(state, seat.id, (s) => ({ ...s, exitOn: event.data.effectiveOn }));
    }
    case 'CandidateNominated':
      return {
        ...state,
        candidates: {
          ...state.candidates,
          [event.data.candidateId]: {
            id: event.data.candidateId,
            personId: event.data.personId,
            category: event.data.category,
            unitId: event.data.unitId,
            stages: ['nomination'],
            lastDate: event.data.nominatedOn,
            status: 'open',
            approval: null,
            publicity: null,
          },
        },
      };
    case 'CandidateScreened':
      return updateCandidate(state, event.data.candidateId, passed('screening', event.data.screenedOn));
    case 'CandidateDeliberated':
      return updateCandidate(state, event.data.candidateId, passed('deliberation', event.data.deliberatedOn));
    case 'CandidateApproved':
      return updateCandidate(state, event.data.candidateId, (c) => ({
        ...passed('approval', event.data.approvedOn)(c),
        approval: { authority: event.data.authority, ref: event.data.approvalRef, on: event.data.approvedOn },
      }));
    case 'CandidateRejected':
      return updateCandidate(state, event.data.candidateId, (c) => ({ ...c, status: 'rejected' }));
    case 'PublicityStarted':
      return updateCandidate(state, event.data.candidateId, (c) => ({
        ...passed('publicity', event.data.startsOn)(c),
        publicity: { startsOn: event.data.startsOn, endsOn: event.data.endsOn, open: [], all: [] },
      }));
    case 'PublicityObjectionRaised':
      return updateCandidate(state, event.data.candidateId, (c) =>
        c.publicity === null
          ? c
          : {
              ...c,
              publicity: {
                ...c.publicity,
                open: [...c.publicity.open, event.data.objectionId],
                all: [...c.publicity.all, event.data.objectionId],
              },
            },
      );
    case 'PublicityObjectionResolved':
      return updateCandidate(state, event.data.candidateId, (c) =>
        c.publicity === null
          ? c
          : {
              ...c,
              publicity: {
                ...c.publicity,
                open: c.publicity.open.filter((o) => o !== event.data.objectionId),
              },
            },
      );
    case 'MemberAppointed': {
      const withSeat: ActiveCommittee = {
        ...state,
        seats: [
          ...state.seats,
          {
            id: event.data.candidateId,
            candidateId: event.data.candidateId,
            personId: event.data.personId,
            kind: 'part-time',
            role: null,
            from: event.data.appointedOn,
            termEndsOn: event.data.termEndsOn,
            exitOn: null,
            unitId: event.data.unitId,
            category: event.data.category,
          },
        ],
      };
      return updateCandidate(withSeat, event.data.candidateId, (c) => ({
        ...passed('appointment', event.data.appointedOn)(c),
        status: 'appointed',
      }));
    }
    case 'DutiesAssigned':
      return state;
    case 'MemberRenewed':
      return updateSeat(state, event.data.candidateId, (s) => ({ ...s, termEndsOn: event.data.termEndsOn }));
    case 'MemberDismissed':
    case 'MemberWithdrew':
    case 'MemberTermExpired':
      return updateSeat(state, event.data.candidateId, (s) => ({ ...s, exitOn: event.data.effectiveOn }));
    case 'AgendaItemSubmitted':
      return {
        ...state,
        pendingAgenda: state.pendingAgenda.add(event.data.agendaItemId),
        knownAgenda: state.knownAgenda.add(event.data.agendaItemId),
      };
    case 'JointMeetingHeld': {
      const openResolutions: Record<string, PlainDate> = { ...state.openResolutions };
      for (const f of event.data.followUps) if (f.status === 'done') delete openResolutions[f.resolutionId];
      for (const r of event.data.resolutions) openResolutions[r.resolutionId] = event.data.heldOn;
      const knownResolutions = state.knownResolutions.addAll(
        event.data.resolutions.map((r) => r.resolutionId),
      );
      return {
        ...state,
        meetings: state.meetings.add(event.data.meetingId),
        pendingAgenda: state.pendingAgenda.without(event.data.agendaItemIds),
        openResolutions,
        knownResolutions,
      };
    }
    case 'MemberEvaluated':
      return {
        ...state,
        evaluations: state.evaluations.add(`${event.data.candidateId}@${event.data.year}`),
      };
    case 'CommitteeDissolved':
      return { ...state, status: 'dissolved', dissolvedOn: event.data.dissolvedOn };
    default:
      return assertNever(event, 'committee event');
  }
};
