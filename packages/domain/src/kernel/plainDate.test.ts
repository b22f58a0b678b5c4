import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addYears,
  dateInZone,
  dayOfWeek,
  daysBetween,
  fromEpochDay,
  PlainDate,
  quarterOf,
  termEnd,
  toEpochDay,
} from './plainDate.ts';

const d = (s: string) => PlainDate.parse(s);

describe('PlainDate', () => {
  it('accepts real calendar dates and refuses the rest', () => {
    expect(PlainDate.safeParse('2024-02-29').success).toBe(true);
    expect(PlainDate.safeParse('2023-02-29').success).toBe(false);
    expect(PlainDate.safeParse('2023-13-01').success).toBe(false);
    expect(PlainDate.safeParse('0202-01-01').success).toBe(false);
    expect(PlainDate.safeParse('2022-1-1').success).toBe(false);
  });

  it('does date maths across months, leap years and terms', () => {
    expect(addDays(d('2022-12-31'), 1)).toBe('2023-01-01');
    expect(addDays(d('2024-03-01'), -1)).toBe('2024-02-29');
    expect(addYears(d('2024-02-29'), 1)).toBe('2025-02-28');
    expect(termEnd(d('2022-03-15'), 3)).toBe('2025-03-14');
    expect(daysBetween(d('2022-01-01'), d('2022-12-31'))).toBe(364);
    expect(dayOfWeek(d('2022-10-26'))).toBe(3);
    expect(quarterOf(d('2022-10-26'))).toBe(4);
  });

  it('names the date of an instant in the county time zone', () => {
    expect(dateInZone(new Date('2022-03-31T17:00:00Z'), 'Asia/Shanghai')).toBe('2022-04-01');
    expect(dateInZone(new Date('2022-03-31T15:59:59Z'), 'Asia/Shanghai')).toBe('2022-03-31');
  });

  it('round-trips epoch days (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -7000, max: 80000 }), (day) => {
        expect(toEpochDay(fromEpochDay(day))).toBe(day);
      }),
    );
  });
});
