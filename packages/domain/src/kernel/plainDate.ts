import { z } from 'zod';

const DAY_MS = 86_400_000;
const MIN_DATE = '1949-10-01';
const MAX_DATE = '2199-12-31';

const isCalendarDate = (value: string): boolean => {
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

/**
 * A calendar date `YYYY-MM-DD` in the county's time zone: the business dates of the domain
 * (appointed on, held on, resolved on). Compared as strings, which orders them correctly.
 * The range (1949-10-01 to 2199-12-31) rejects typos such as year 0202.
 */
export const PlainDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'a date as YYYY-MM-DD' })
  .refine(isCalendarDate, { message: 'a real calendar date' })
  .refine((value) => value >= MIN_DATE && value <= MAX_DATE, {
    message: `a date between ${MIN_DATE} and ${MAX_DATE}`,
  })
  .brand<'PlainDate'>();
export type PlainDate = z.infer<typeof PlainDate>;

/** Days since 1970-01-01 of a date: the integer the date maths below works in. */
export const toEpochDay = (date: PlainDate): number =>
  Math.round(
    Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS,
  );

export const fromEpochDay = (epochDay: number): PlainDate =>
  new Date(epochDay * DAY_MS).toISOString().slice(0, 10) as PlainDate;

export const addDays = (date: PlainDate, days: number): PlainDate => fromEpochDay(toEpochDay(date) + days);

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: PlainDate, to: PlainDate): number => toEpochDay(to) - toEpochDay(from);

/**
 * Adds calendar years, keeping the day of month; 29 February becomes 28 February in a common year.
 *
 * @example
 * addYears(PlainDate.parse('2024-02-29'), 1) // '2025-02-28'
 */
export const addYears = (date: PlainDate, years: number): PlainDate => {
  const year = Number(date.slice(0, 4)) + years;
  const month = Number(date.slice(5, 7));
  let day = Number(date.slice(8, 10));
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > lastDay) day = lastDay;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` as PlainDate;
};

/** The last day of a term of `years` starting on `start`: one day before the anniversary. */
export const termEnd = (start: PlainDate, years: number): PlainDate => addDays(addYears(start, years), -1);

/** ISO day of week: 1 Monday … 7 Sunday. */
export const dayOfWeek = (date: PlainDate): number => {
  const dow = new Date(toEpochDay(date) * DAY_MS).getUTCDay();
  return dow === 0 ? 7 : dow;
};

export const yearOf = (date: PlainDate): number => Number(date.slice(0, 4));
export const monthOf = (date: PlainDate): number => Number(date.slice(5, 7));
export const quarterOf = (date: PlainDate): number => Math.floor((monthOf(date) - 1) / 3) + 1;

export const minDate = (a: PlainDate, b: PlainDate): PlainDate => (a <= b ? a : b);
export const maxDate = (a: PlainDate, b: PlainDate): PlainDate => (a >= b ? a : b);

/** Per time zone its formatter, and the last second it formatted (every command asks for today). */
const zones = new Map<string, { readonly formatter: Intl.DateTimeFormat; second: number; date: PlainDate }>();

/**
 * The calendar date of an instant in a time zone (the county's, Asia/Shanghai by default).
 *
 * @example
 * dateInZone(new Date('2022-03-31T17:00:00Z'), 'Asia/Shanghai') // '2022-04-01'
 */
export const dateInZone = (instant: Date, timeZone: string): PlainDate => {
  let zone = zones.get(timeZone);
  if (zone === undefined) {
    const formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    zone = { formatter, second: Number.NaN, date: '' as PlainDate };
    zones.set(timeZone, zone);
  }
  // Zone offsets are whole seconds, so a date changes only at a whole second: within the same
  // second the last answer holds.
  const second = Math.floor(instant.getTime() / 1000);
  if (second !== zone.second) {
    zone.date = zone.formatter.format(instant) as PlainDate;
    zone.second = second;
  }
  return zone.date;
};
