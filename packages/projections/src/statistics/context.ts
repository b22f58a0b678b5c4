import { addDays, type PlainDate } from '@cogov/domain';
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
}

/** What the event handlers share within one batch. */
export class ApplyContext {
  constructor(
    readonly state: StateOverlay,
    readonly tally: Tally,
    readonly histograms: HistogramTally,
  ) {}

  /** Region scopes of a region: itself and every region above it. */
  regionScopes(regionId: string | null | undefined): string[] {
    if (regionId === null || regionId === undefined) return [];
    const region = this.state.get<RegionRecord>(['region', regionId]);
    return (region?.path ?? [regionId]).map((r) => `r:${r}`);
  }

  committee(committeeId: string): CommitteeRecord | undefined {
    return this.state.get<CommitteeRecord>(['committee', committeeId]);
  }

  /** Region scopes of a committee's region, plus the committee itself. */
  committeeScopes(committeeId: string): string[] {
    return [...this.regionScopes(this.committee(committeeId)?.regionId), `c:${committeeId}`];
  }

  /** Moves a seat's planned end: the "sitting" level counts it until its new end. */
  moveSeatEnd(committeeId: string, candidateId: string, newEnd: PlainDate, exited: boolean): void {
    const key = ['seat', committeeId, candidateId] as const;
    const seat = this.state.get<SeatRecord>(key);
    if (seat === undefined || seat.exited) return;
    const scopes = this.seatScopes(committeeId, seat);
    const facets = [`level=${seat.level}`, `category=${seat.category}`];
    this.tally.add('partTime.sitting', seat.end, +1, scopes, facets);
    this.tally.add('partTime.sitting', newEnd, -1, scopes, facets);
    this.state.set(key, { ...seat, end: newEnd, exited });
  }

  seatScopes(committeeId: string, seat: SeatRecord): string[] {
    return [
      ...this.committeeScopes(committeeId),
      `m:${seat.person}`,
      ...(seat.unitId === null ? [] : [`u:${seat.unitId}`]),
    ];
  }
}

export const dayAfter = (date: PlainDate): PlainDate => addDays(date, 1);
