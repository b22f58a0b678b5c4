import { addDays, type PlainDate } from '@cogov/domain';
import type { LookupQueries } from '../lookups/queries.ts';
import type { StatisticsQueries } from '../statistics/queries.ts';

export type Cadence = 'monthly' | 'quarterly' | 'half-yearly';

/** A period the policy asks for a joint meeting in: `2022-Q1`, `2022-03`, `2022-H1`. */
export interface CadencePeriod {
  readonly period: string;
  readonly from: PlainDate;
  readonly to: PlainDate;
}

export interface CommitteeCadence {
  readonly committeeId: string;
  readonly name: string;
  readonly kind: string;
  readonly regionId: string;
  /** Periods in which the committee existed (established by their end, not dissolved before their start). */
  readonly due: number;
  /** Of those, the periods with at least one joint meeting. */
  readonly met: number;
  /** The periods without a joint meeting, in order. */
  readonly missed: readonly string[];
}

export interface MeetingCadence {
  readonly regionId: string;
  readonly cadence: Cadence;
  readonly from: PlainDate;
  readonly to: PlainDate;
  readonly periods: readonly CadencePeriod[];
  readonly committees: readonly CommitteeCadence[];
  /** Per period: how many committees were due a meeting and how many had none. */
  readonly byPeriod: readonly (CadencePeriod & { readonly due: number; readonly missed: number })[];
  /** Committee-periods without a joint meeting, over the region. */
  readonly missed: number;
}

const monthsPer: Readonly<Record<Cadence, number>> = { monthly: 1, quarterly: 3, 'half-yearly': 6 };

/** The whole calendar periods of a cadence that meet [from, to], each cut to it. */
export const cadencePeriods = (cadence: Cadence, from: PlainDate, to: PlainDate): CadencePeriod[] => {
  const months = monthsPer[cadence];
  const periods: CadencePeriod[] = [];
  let year = Number(from.slice(0, 4));
  let index = Math.floor((Number(from.slice(5, 7)) - 1) / months);
  for (;;) {
    const firstMonth = index * months + 1;
    const start = `${year}-${String(firstMonth).padStart(2, '0')}-01` as PlainDate;
    if (start > to) break;
    const nextMonth = firstMonth + months;
    const next = (
      nextMonth > 12 ? `${year + 1}-01-01` : `${year}-${String(nextMonth).padStart(2, '0')}-01`
    ) as PlainDate;
    const end = addDays(next, -1);
    const label =
      cadence === 'monthly'
        ? start.slice(0, 7)
        : cadence === 'quarterly'
          ? `${year}-Q${index + 1}`
          : `${year}-H${index + 1}`;
    periods.push({ period: label, from: start < from ? from : start, to: end > to ? to : end });
    index++;
    if (index * months >= 12) {
      index = 0;
      year++;
    }
  }
  return periods;
};

/**
 * Meeting cadence (DOMAIN.md: joint meetings at least quarterly, the policy's `meetings.cadence`):
 * for every committee of a region's subtree, the periods in [from, to] it existed in and held no
 * joint meeting.
 */
export const meetingCadence = (
  statistics: StatisticsQueries,
  lookups: LookupQueries,
  regionId: string,
  cadence: Cadence,
  from: PlainDate,
  to: PlainDate,
): MeetingCadence => {
  const periods = cadencePeriods(cadence, from, to);
  const committees: CommitteeCadence[] = [];
  const due = periods.map(() => 0);
  const missedIn = periods.map(() => 0);
  for (const committee of lookups.all('committee', regionId)) {
    const established = committee.details['establishedOn'] as PlainDate | undefined;
    const dissolved = committee.details['dissolvedOn'] as PlainDate | undefined;
    let dueHere = 0;
    let met = 0;
    const missed: string[] = [];
    periods.forEach((p, i) => {
      if (established !== undefined && established > p.to) return;
      if (dissolved !== undefined && dissolved <= p.from) return;
      dueHere++;
      due[i] = (due[i] ?? 0) + 1;
      const held = statistics.total('meetings.held', { scope: `c:${committee.id}` }, p.from, p.to);
      if (held > 0) met++;
      else {
        missed.push(p.period);
        missedIn[i] = (missedIn[i] ?? 0) + 1;
      }
    });
    if (dueHere === 0) continue;
    committees.push({
      committeeId: committee.id,
      name: committee.name,
      kind: (committee.details['kind'] as string | undefined) ?? '',
      regionId: committee.regionPath.at(-1) ?? '',
      due: dueHere,
      met,
      missed,
    });
  }
  return {
    regionId,
    cadence,
    from,
    to,
    periods,
    committees,
    byPeriod: periods.map((p, i) => ({ ...p, due: due[i] ?? 0, missed: missedIn[i] ?? 0 })),
    missed: missedIn.reduce((a, b) => a + b, 0),
  };
};
