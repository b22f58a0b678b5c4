import { dateInZone, type PlainDate } from '@cogov/domain';
import type { Key } from 'lmdb';
import { dutiesOn } from './duties.ts';
import type { HistoryEntry, MembershipDatabases, SeatVersion } from './projection.ts';

/** A history entry as the queries give it: its recorded time an ISO 8601 instant. */
export type HistoryRecord = Omit<HistoryEntry, 'recordedAt'> & { readonly recordedAt: string };

export interface RosterEntry {
  readonly personId: string;
  readonly kind: 'part-time' | 'officer';
  readonly role: string | null;
  readonly since: PlainDate;
  /** The first day no longer sitting, as known at the time asked (null: open-ended). */
  readonly until: PlainDate | null;
  readonly termEndsOn: PlainDate | null;
  readonly category: string | null;
  readonly unitId: string | null;
  readonly approval: SeatVersion['approval'];
  /** The four roles (四大员) assigned to a part-time member by `asOf`; empty if none. */
  readonly duties: readonly string[];
  /** When the records came to say this. */
  readonly recordedAt: string;
}

export interface Roster {
  readonly committeeId: string;
  readonly asOf: PlainDate;
  readonly knownAt: string;
  readonly members: readonly RosterEntry[];
}

/**
 * Time-travel queries on rosters and membership history.
 *
 * @example
 * queries.roster('dongmen-ppc', { asOf: '2022-03-01', knownAt: new Date('2022-04-01T00:00:00Z') });
 */
export class MembershipQueries {
  readonly #dbs: MembershipDatabases;
  readonly #timeZone: string;

  constructor(dbs: MembershipDatabases, timeZone = 'Asia/Shanghai') {
    this.#dbs = dbs;
    this.#timeZone = timeZone;
  }

  /** Who sat on a committee on `asOf` (default today), as the records stood at `knownAt` (default now). */
  roster(committeeId: string, at: { readonly asOf?: PlainDate; readonly knownAt?: Date } = {}): Roster {
    const knownAt = at.knownAt ?? new Date();
    const k = knownAt.getTime();
    const asOf = at.asOf ?? dateInZone(knownAt, this.#timeZone);
    const members: RosterEntry[] = [];
    const year = Number(asOf.slice(0, 4));
    const candidates = [
      ...this.#dbs.byYear.getRange({
        start: [committeeId, year] as Key,
        end: [committeeId, year + 1] as Key,
      }),
      ...this.#dbs.openSeats.getRange({
        start: [committeeId] as Key,
        end: [committeeId, '\uffff'] as Key,
      }),
    ];
    for (const { value } of candidates) {
      const v = value as SeatVersion;
      if (v.from > asOf || v.recordedFrom > k || (v.recordedTo !== null && v.recordedTo <= k)) continue;
      if (v.to !== null && v.to <= asOf) continue;
      members.push({
        personId: v.personId,
        kind: v.kind,
        role: v.role,
        since: v.from,
        until: v.to,
        termEndsOn: v.termEndsOn,
        category: v.category,
        unitId: v.unitId,
        approval: v.approval,
        duties: dutiesOn(v.duties ?? [], asOf),
        recordedAt: new Date(v.recordedFrom).toISOString(),
      });
    }
    members.sort((a, b) =>
      a.kind === b.kind ? a.personId.localeCompare(b.personId) : a.kind === 'officer' ? -1 : 1,
    );
    return { committeeId, asOf, knownAt: knownAt.toISOString(), members };
  }

  /** Every appointment, renewal, exit, officer change and evaluation of a person, in recorded order. */
  history(personId: string, knownAt?: Date): readonly HistoryRecord[] {
    const limit = knownAt?.getTime() ?? Number.POSITIVE_INFINITY;
    const out: HistoryRecord[] = [];
    for (const { value } of this.#dbs.history.getRange({
      start: [personId] as Key,
      end: [personId, Number.MAX_SAFE_INTEGER] as Key,
    })) {
      const entry = value as HistoryEntry;
      if (entry.recordedAt > limit) break;
      out.push({ ...entry, recordedAt: new Date(entry.recordedAt).toISOString() });
    }
    return out;
  }

  committee(
    committeeId: string,
  ): { readonly name: string; readonly kind: string; readonly regionId: string } | undefined {
    return this.#dbs.committees.get(committeeId) as
      { name: string; kind: string; regionId: string } | undefined;
  }
}
