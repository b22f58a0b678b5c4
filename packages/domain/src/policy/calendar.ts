import { addDays, dayOfWeek, yearOf, type PlainDate } from '../kernel/plainDate.ts';
import type { Policy } from './schema.ts';

export interface WorkingCalendar {
  isWorkingDay(date: PlainDate): boolean;
  /** The `n`th working day counting from `start` (inclusive when `start` is a working day). */
  nthWorkingDay(start: PlainDate, n: number): PlainDate;
  /** Whether the calendar lists the holidays of that year (outside them only weekends rest). */
  covers(year: number): boolean;
}

const cache = new WeakMap<Policy['calendar'], WorkingCalendar>();

/**
 * The working days of a policy's calendar: Monday to Friday, minus public holidays, plus the
 * weekend days worked in exchange (调休).
 *
 * @example
 * workingCalendar(policy).nthWorkingDay(PlainDate.parse('2022-09-29'), 5) // '2022-10-12' (National Day week)
 */
export const workingCalendar = (policy: Policy): WorkingCalendar => {
  const known = cache.get(policy.calendar);
  if (known !== undefined) return known;
  const holidays = new Set<string>(policy.calendar.holidays);
  const workingWeekends = new Set<string>(policy.calendar.workingWeekends);
  const covered = new Set(policy.calendar.coveredYears);
  const isWorkingDay = (date: PlainDate) =>
    workingWeekends.has(date) || (dayOfWeek(date) <= 5 && !holidays.has(date));
  const calendar: WorkingCalendar = {
    isWorkingDay,
    nthWorkingDay(start, n) {
      let date = start;
      let counted = isWorkingDay(date) ? 1 : 0;
      while (counted < n) {
        date = addDays(date, 1);
        if (isWorkingDay(date)) counted++;
      }
      return date;
    },
    covers: (year) => covered.has(year),
  };
  cache.set(policy.calendar, calendar);
  return calendar;
};

export const coversDate = (policy: Policy, date: PlainDate) => workingCalendar(policy).covers(yearOf(date));
