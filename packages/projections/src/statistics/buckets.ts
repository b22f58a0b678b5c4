import { addDays, fromEpochDay, toEpochDay, type PlainDate } from '@cogov/domain';

/** Counter granularities: day, month and year buckets, each its own key. */
export type Granularity = 'd' | 'm' | 'y';

export const dayBucket = (date: PlainDate): number => toEpochDay(date);
export const monthBucket = (date: PlainDate): number =>
  Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
export const yearBucket = (date: PlainDate): number => Number(date.slice(0, 4));

export const monthStart = (bucket: number): PlainDate =>
  `${String(Math.floor(bucket / 12)).padStart(4, '0')}-${String((bucket % 12) + 1).padStart(2, '0')}-01` as PlainDate;

/** A run of consecutive buckets of one granularity: one range scan. */
export interface BucketRun {
  readonly granularity: Granularity;
  readonly from: number;
  /** Inclusive. */
  readonly to: number;
}

const isYearStart = (d: PlainDate) => d.endsWith('-01-01');
const isMonthStart = (d: PlainDate) => d.endsWith('-01');
const yearEnd = (d: PlainDate) => `${d.slice(0, 4)}-12-31` as PlainDate;
const monthEnd = (d: PlainDate) => addDays(monthStart(monthBucket(d) + 1), -1);

/**
 * Cuts [from, to] into the fewest runs of whole years, whole months and single days, so a sum over
 * any period reads a handful of ranges instead of one key per day.
 *
 * @example
 * decompose('2022-03-15', '2023-12-31') // days 03-15..03-31, months 2022-04..2022-12, year 2023
 */
export const decompose = (
  from: PlainDate,
  to: PlainDate,
  granularities: readonly Granularity[],
): readonly BucketRun[] => {
  // Queries ask for the same few periods over and over (this year, a level's history to today).
  const key = `${from}|${to}|${granularities.join('')}`;
  const known = DECOMPOSED.get(key);
  if (known !== undefined) return known;
  const runs = decomposeAfresh(from, to, granularities);
  if (DECOMPOSED.size >= 4_096) DECOMPOSED.clear();
  DECOMPOSED.set(key, runs);
  return runs;
};
const DECOMPOSED = new Map<string, readonly BucketRun[]>();

const decomposeAfresh = (
  from: PlainDate,
  to: PlainDate,
  granularities: readonly Granularity[],
): readonly BucketRun[] => {
  const runs: BucketRun[] = [];
  const push = (granularity: Granularity, bucket: number) => {
    const last = runs[runs.length - 1];
    if (last !== undefined && last.granularity === granularity && last.to === bucket - 1)
      runs[runs.length - 1] = { ...last, to: bucket };
    else runs.push({ granularity, from: bucket, to: bucket });
  };
  const years = granularities.includes('y');
  const months = granularities.includes('m');
  let day = from;
  while (day <= to) {
    if (years && isYearStart(day) && yearEnd(day) <= to) {
      push('y', yearBucket(day));
      day = addDays(yearEnd(day), 1);
    } else if (months && isMonthStart(day) && monthEnd(day) <= to) {
      push('m', monthBucket(day));
      day = addDays(monthEnd(day), 1);
    } else {
      push('d', dayBucket(day));
      day = addDays(day, 1);
    }
  }
  return Object.freeze(runs.map((r) => Object.freeze(r)));
};

/** The earliest date counters cover: a level's value on D sums every delta up to D. */
export const EPOCH_START = '1949-10-01' as PlainDate;

export const dayToDate = (bucket: number): PlainDate => fromEpochDay(bucket);
