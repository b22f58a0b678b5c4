import { addDays, type PlainDate } from '@cogov/domain';
import { dutySpans, type DutyAssignment } from '../membership/duties.ts';
import type { StateOverlay } from './state.ts';
import type { HistogramTally, Tally } from './tally.ts';

export interface RegionRecord {
  /** Root first, the region itself last. */
  readonly path: readonly string[];
}
export interface CommitteeRecord {
  readonly regionId: string;
  readonly kind: string;
  readonly level: string;
}
export interface SeatRecord {
  readonly person: string;
  readonly level: string;
  readonly category: string;
  readonly unitId: string | null;
  readonly from: PlainDate;
  /** First day no longer sitting, as known so far. */
  readonly end: PlainDate;
  readonly exited: boolean;
  /** The four roles (四大员) assigned, in recorded order (each set replaces the last from its day). */
  readonly duties?: readonly DutyAssignment[];
}

/** An officer's seat, under ['officer', committee, person, role, from]. */
export interface OfficerRecord {
  readonly person: string;
  readonly role: string;
  readonly from: PlainDate;
  /** First day no longer sitting, if known (a relief recorded ahead of time); null: open-ended. */
  readonly end: PlainDate | null;
}

/** What the event handlers share within one batch. */
export class ApplyContext {
  constructor(
    readonly state: StateOverlay,
    readonly tally: Tally,
    readonly histograms: HistogramTally,
  ) {}

  readonly #regionScopes = new Map<string, readonly string[]>();

  /** Region scopes of a region: itself and every region above it (remembered for the batch). */
  regionScopes(regionId: string | null | undefined): readonly string[] {
    if (regionId === null || regionId === undefined) return [];
    let scopes = this.#regionScopes.get(regionId);
    if (scopes === undefined) {
      const region = this.state.get<RegionRecord>(['region', regionId]);
      scopes = (region?.path ?? [regionId]).map((r) => `r:${r}`);
      this.#regionScopes.set(regionId, scopes);
    }
    return scopes;
  }

  committee(committeeId: string): CommitteeRecord | undefined {
    return this.state.get<CommitteeRecord>(['committee', committeeId]);
  }

  /** Region scopes of a committee's region, plus the committee itself. */
  committeeScopes(committeeId: string): readonly string[] {
    return [...this.regionScopes(this.committee(committeeId)?.regionId), `c:${committeeId}`];
  }

  /**
   * Moves a seat's planned end: the "sitting" level counts it until its new end. An exit moves the
   * end of a seat not yet exited; a dissolution only shortens, exited or not (it can be backdated).
   */
  moveSeatEnd(
    committeeId: string,
    candidateId: string,
    newEnd: PlainDate,
    exited: boolean,
    mode: 'exit' | 'shorten' = 'exit',
  ): void {
    const key = ['seat', committeeId, candidateId] as const;
    const seat = this.state.get<SeatRecord>(key);
    if (seat === undefined) return;
    // A seat ended before it began was never sat: an empty span.
    const end = newEnd < seat.from ? seat.from : newEnd;
    if (mode === 'exit' ? seat.exited : end >= seat.end) return;
    const scopes = this.seatScopes(committeeId, seat);
    const facets = [`level=${seat.level}`, `category=${seat.category}`];
    this.tally.add('partTime.sitting', seat.end, +1, scopes, facets);
    this.tally.add('partTime.sitting', end, -1, scopes, facets);
    this.retallyDuties(scopes, seat, seat.duties ?? [], seat.end, seat.duties ?? [], end);
    this.state.set(key, { ...seat, end, exited: seat.exited || exited });
  }

  /**
   * The "members holding each duty" level follows a seat's duties: the spans of what was assigned
   * over the seat as it stood are taken back, those of what is assigned now over the seat as it
   * stands are counted (an assignment, or an end moved by a renewal, an exit or a dissolution).
   */
  retallyDuties(
    scopes: readonly string[],
    seat: SeatRecord,
    before: readonly DutyAssignment[],
    beforeEnd: PlainDate,
    after: readonly DutyAssignment[],
    afterEnd: PlainDate,
  ): void {
    for (const span of dutySpans(before, seat.from, beforeEnd)) {
      this.tally.add('partTime.withDuty', span.from, -1, scopes, [`duty=${span.duty}`]);
      this.tally.add('partTime.withDuty', span.to, +1, scopes, [`duty=${span.duty}`]);
    }
    for (const span of dutySpans(after, seat.from, afterEnd)) {
      this.tally.add('partTime.withDuty', span.from, +1, scopes, [`duty=${span.duty}`]);
      this.tally.add('partTime.withDuty', span.to, -1, scopes, [`duty=${span.duty}`]);
    }
  }

  /** Shortens an officer's seat to end on `end` (a relief, or a dissolution, possibly backdated). */
  endOfficer(committeeId: string, officerKey: readonly string[], end: PlainDate): void {
    const key = ['officer', committeeId, ...officerKey] as const;
    const officer = this.state.get<OfficerRecord>(key);
    if (officer === undefined) return;
    // A seat ended before it began was never sat: an empty span.
    const to = end < officer.from ? officer.from : end;
    if (officer.end !== null && officer.end <= to) return;
    const scopes = this.committeeScopes(committeeId);
    const facets = [`role=${officer.role}`];
    if (officer.end !== null) this.tally.add('officers.sitting', officer.end, +1, scopes, facets);
    this.tally.add('officers.sitting', to, -1, scopes, facets);
    this.state.set(key, { ...officer, end: to });
  }

  seatScopes(committeeId: string, seat: SeatRecord): readonly string[] {
    // Not by member: a person's seats are the membership read model's business (and member
    // counters are kept by year only, which a level cannot be).
    return [...this.committeeScopes(committeeId), ...(seat.unitId === null ? [] : [`u:${seat.unitId}`])];
  }
}

export const dayAfter = (date: PlainDate): PlainDate => addDays(date, 1);
