import type { DutyAssignment } from './duties.ts';
import {
  addDays,
  assertNever,
  categoryOf,
  type CommitteeEvent,
  type PlainDate,
  type RecordedEvent,
} from '@cogov/domain';
import type { Database, Key } from 'lmdb';
import type { Projection, SlotDatabases } from '../runtime/projection.ts';

export const MEMBERSHIP_DATABASES = [
  'seats',
  'byYear',
  'openSeats',
  'current',
  'openOfficers',
  'history',
  'committees',
] as const;
export type MembershipDatabases = SlotDatabases<(typeof MEMBERSHIP_DATABASES)[number]>;

/** One version of one seat: an effective interval as the records stated it during a recorded interval. */
export interface SeatVersion {
  readonly committeeId: string;
  readonly seatId: string;
  readonly personId: string;
  readonly kind: 'part-time' | 'officer';
  readonly role: string | null;
  /** Effective interval [from, to): the first day sitting, the first day no longer sitting (null: open). */
  readonly from: PlainDate;
  readonly to: PlainDate | null;
  readonly termEndsOn: PlainDate | null;
  readonly category: string | null;
  readonly unitId: string | null;
  readonly approval: {
    readonly ref: string;
    readonly by: string;
    /** The level of the approving body (county, subdistrict, community). */
    readonly level: string;
    readonly certificateNo: string;
  } | null;
  /** A part-time member's duties (the four roles, 四大员): every assignment, in recorded order. */
  readonly duties?: readonly DutyAssignment[];
  /** Recorded interval [recordedFrom, recordedTo) in ms: when the records said this. */
  readonly recordedFrom: number;
  readonly recordedTo: number | null;
  /** The position of the event that wrote this version. */
  readonly position: number;
}

/** One entry of a person's membership history. */
export interface HistoryEntry {
  readonly committeeId: string;
  readonly kind: string;
  readonly effectiveOn: PlainDate;
  readonly recordedAt: number;
  readonly actor: string | null;
  readonly approvalRef: string | null;
  readonly details: Readonly<Record<string, unknown>>;
  readonly position: number;
}

/** Where a version is kept: committee, seat, recorded from, position (it never moves). */
export const seatKey = (v: Pick<SeatVersion, 'committeeId' | 'seatId' | 'recordedFrom' | 'position'>) =>
  [v.committeeId, v.seatId, v.recordedFrom, v.position] as Key;

/**
 * The interval index: a copy of each version under every year its effective interval touches
 * ([committee, year, seat, recordedFrom, position]), or, while it is open-ended, under
 * [committee, seat, recordedFrom, position] in `openSeats`. "Who sat on D" reads the versions of
 * D's year and the open ones: its cost follows the roster's turnover in one year, not the length
 * of the committee's history.
 */
const yearsOf = (v: SeatVersion): number[] => {
  if (v.to === null) return [];
  const first = Number(v.from.slice(0, 4));
  const last = Number(addDays(v.to, -1).slice(0, 4));
  const years: number[] = [];
  for (let y = first; y <= last; y++) years.push(y);
  return years;
};

class SeatBook {
  constructor(private readonly dbs: MembershipDatabases) {}

  currentVersion(committeeId: string, seatId: string): { key: Key; version: SeatVersion } | undefined {
    const key = this.dbs.current.get([committeeId, seatId] as Key) as Key | undefined;
    if (key === undefined) return undefined;
    const version = this.dbs.seats.get(key) as SeatVersion | undefined;
    return version === undefined ? undefined : { key, version };
  }

  /** Writes a version and its index entries (again, when only its recorded end changed). */
  #put(version: SeatVersion): void {
    this.dbs.seats.putSync(seatKey(version), version);
    const rest = [version.seatId, version.recordedFrom, version.position];
    if (version.to === null) this.dbs.openSeats.putSync([version.committeeId, ...rest] as Key, version);
    for (const year of yearsOf(version))
      this.dbs.byYear.putSync([version.committeeId, year, ...rest] as Key, version);
  }

  open(version: SeatVersion): void {
    this.#put(version);
    this.dbs.current.putSync([version.committeeId, version.seatId] as Key, seatKey(version));
  }

  /** What the records say of a seat from `recordedAt` on: the old version ends there, a new one begins. */
  change(
    committeeId: string,
    seatId: string,
    recordedAt: number,
    position: number,
    change: Partial<SeatVersion>,
  ): SeatVersion | undefined {
    const current = this.currentVersion(committeeId, seatId);
    if (current === undefined) return undefined;
    this.#put({ ...current.version, recordedTo: recordedAt });
    const next: SeatVersion = {
      ...current.version,
      ...change,
      recordedFrom: recordedAt,
      recordedTo: null,
      position,
    };
    this.open(next);
    return next;
  }
}

const note = (dbs: MembershipDatabases, personId: string, entry: HistoryEntry, index: number) =>
  dbs.history.putSync([personId, entry.recordedAt, entry.position, index] as Key, entry);

/**
 * Rosters and membership history, bitemporal: every seat is kept as versions with an effective
 * interval and the recorded interval during which the records said so. "Who sat on committee C on
 * date D, as the records stood at time K" reads C's versions indexed under D's year and the
 * open-ended ones; a backdated fact adds a version and never rewrites what earlier "known at"
 * answers return.
 */
export const membershipProjection = (): Projection<(typeof MEMBERSHIP_DATABASES)[number]> => ({
  name: 'membership',
  version: 3,
  databases: MEMBERSHIP_DATABASES,
  apply(dbs, events) {
    const book = new SeatBook(dbs);
    for (const recorded of events) {
      if (categoryOf(recorded.streamId) !== 'committee') continue;
      applyCommitteeEvent(dbs, book, recorded as RecordedEvent<CommitteeEvent>);
    }
  },
});

const applyCommitteeEvent = (
  dbs: MembershipDatabases,
  book: SeatBook,
  recorded: RecordedEvent<CommitteeEvent>,
): void => {
  const at = recorded.recordedAt.getTime();
  const actor = recorded.metadata.actor ?? null;
  const position = recorded.position;
  const event: CommitteeEvent = recorded;
  const history = (
    personId: string,
    kind: string,
    effectiveOn: PlainDate,
    approvalRef: string | null,
    details: Record<string, unknown>,
  ) =>
    note(
      dbs,
      personId,
      {
        committeeId: event.data.committeeId,
        kind,
        effectiveOn,
        recordedAt: at,
        actor,
        approvalRef,
        details,
        position,
      },
      0,
    );
  switch (event.type) {
    case 'CommitteeEstablished':
      dbs.committees.putSync(event.data.committeeId, {
        name: event.data.name,
        kind: event.data.kind,
        regionId: event.data.regionId,
      });
      return;
    case 'CommitteeUpgraded': {
      const committee = dbs.committees.get(event.data.committeeId) as Record<string, unknown> | undefined;
      if (committee !== undefined)
        dbs.committees.putSync(event.data.committeeId, { ...committee, kind: event.data.toKind });
      return;
    }
    case 'MemberAppointed': {
      const d = event.data;
      book.open({
        committeeId: d.committeeId,
        seatId: d.candidateId,
        personId: d.personId,
        kind: 'part-time',
        role: null,
        from: d.appointedOn,
        to: addDays(d.termEndsOn, 1),
        termEndsOn: d.termEndsOn,
        category: d.category,
        unitId: d.unitId,
        approval: {
          ref: d.approval.ref,
          by: d.approval.authority,
          level: d.approval.level,
          certificateNo: d.certificateNo,
        },
        recordedFrom: at,
        recordedTo: null,
        position,
      });
      history(d.personId, 'appointed', d.appointedOn, d.approval.ref, {
        level: d.level,
        category: d.category,
        termEndsOn: d.termEndsOn,
        certificateNo: d.certificateNo,
        approvedBy: d.approval.authority,
        approvalLevel: d.approval.level,
      });
      return;
    }
    case 'MemberRenewed': {
      const d = event.data;
      book.change(d.committeeId, d.candidateId, at, position, {
        to: addDays(d.termEndsOn, 1),
        termEndsOn: d.termEndsOn,
      });
      history(d.personId, 'renewed', d.renewedOn, d.approvalRef, {
        previousTermEndsOn: d.previousTermEndsOn,
        termEndsOn: d.termEndsOn,
      });
      return;
    }
    case 'MemberDismissed':
    case 'MemberWithdrew':
    case 'MemberTermExpired': {
      const d = event.data;
      book.change(d.committeeId, d.candidateId, at, position, { to: d.effectiveOn });
      const kind =
        event.type === 'MemberDismissed'
          ? 'dismissed'
          : event.type === 'MemberWithdrew'
            ? 'withdrew'
            : 'expired';
      const details =
        event.type === 'MemberDismissed'
          ? { reason: event.data.reason, filedWith: event.data.filedWith }
          : event.type === 'MemberWithdrew'
            ? { reason: event.data.reason, notice: event.data.notice }
            : { termEndsOn: event.data.termEndsOn };
      history(
        d.personId,
        kind,
        d.effectiveOn,
        event.type === 'MemberDismissed' ? event.data.decisionRef : null,
        details,
      );
      return;
    }
    case 'OfficerAssigned': {
      const d = event.data;
      const seatId = `officer:${d.personId}:${position}`;
      book.open({
        committeeId: d.committeeId,
        seatId,
        personId: d.personId,
        kind: 'officer',
        role: d.role,
        from: d.effectiveOn,
        to: null,
        termEndsOn: null,
        category: null,
        unitId: null,
        approval: null,
        recordedFrom: at,
        recordedTo: null,
        position,
      });
      dbs.openOfficers.putSync([d.committeeId, d.personId, d.role] as Key, seatId);
      history(d.personId, 'officer-assigned', d.effectiveOn, null, { role: d.role });
      return;
    }
    case 'OfficerRelieved': {
      const d = event.data;
      const seatId = dbs.openOfficers.get([d.committeeId, d.personId, d.role] as Key) as string | undefined;
      if (seatId !== undefined) {
        book.change(d.committeeId, seatId, at, position, { to: d.effectiveOn });
        dbs.openOfficers.removeSync([d.committeeId, d.personId, d.role] as Key);
      }
      history(d.personId, 'officer-relieved', d.effectiveOn, null, { role: d.role, reason: d.reason });
      return;
    }
    case 'CommitteeDissolved': {
      const d = event.data;
      for (const { value: key } of dbs.current.getRange({
        start: [d.committeeId] as Key,
        end: [d.committeeId, '\uffff'] as Key,
      })) {
        const version = dbs.seats.get(key as Key) as SeatVersion | undefined;
        if (version === undefined || (version.to !== null && version.to <= d.dissolvedOn)) continue;
        book.change(d.committeeId, version.seatId, at, position, { to: d.dissolvedOn });
        history(version.personId, 'committee-dissolved', d.dissolvedOn, null, { reason: d.reason });
      }
      return;
    }
    case 'MemberEvaluated':
      history(event.data.personId, 'evaluated', event.data.evaluatedOn, null, {
        year: event.data.year,
        grade: event.data.grade,
      });
      return;
    case 'DutiesAssigned':
      {
        const seat = book.currentVersion(event.data.committeeId, event.data.candidateId)?.version;
        book.change(event.data.committeeId, event.data.candidateId, at, position, {
          duties: [...(seat?.duties ?? []), { duties: event.data.duties, on: event.data.assignedOn }],
        });
      }
      history(event.data.personId, 'duties-assigned', event.data.assignedOn, null, {
        duties: event.data.duties,
      });
      return;
    case 'TermStarted':
    case 'CandidateNominated':
    case 'CandidateScreened':
    case 'CandidateDeliberated':
    case 'CandidateApproved':
    case 'CandidateRejected':
    case 'PublicityStarted':
    case 'PublicityObjectionRaised':
    case 'PublicityObjectionResolved':
    case 'AgendaItemSubmitted':
    case 'JointMeetingHeld':
      return;
    default:
      assertNever(event, 'committee event');
  }
};

export type { Database };
