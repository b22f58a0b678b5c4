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

  it('names the same date as a fresh formatter, for instants in any order, across midnights (property)', () => {
    // dateInZone keeps its last answer for the rest of the same second: instants around midnight,
    // in the same second and a millisecond apart, must never be given the previous answer.
    const zones = ['Asia/Shanghai', 'America/New_York', 'Asia/Kathmandu', 'Pacific/Chatham', 'UTC'];
    // Midnight of 1 April 2022 in Shanghai (+08:00), Kathmandu (+05:45) and Chatham (+13:45).
    const midnights = ['2022-03-31T16:00:00Z', '2022-03-31T18:15:00Z', '2022-03-31T10:15:00Z'].map(
      Date.parse,
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            zone: fc.constantFrom(...zones),
            at: fc.oneof(
              fc
                .tuple(fc.constantFrom(...midnights), fc.integer({ min: -3_000, max: 3_000 }))
                .map(([midnight, offset]) => midnight + offset),
              fc.integer({ min: 0, max: 4_102_444_800_000 }),
            ),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        (instants) => {
          for (const { zone, at } of instants) {
            const fresh = new Intl.DateTimeFormat('en-CA', {
              timeZone: zone,
              year: 'numeric',
              month: '2-digit',
              day: '2-digit',
            }).format(new Date(at));
            expect(dateInZone(new Date(at), zone)).toBe(fresh);
          }
        },
      ),
    );
  });

  it('round-trips epoch days (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -7000, max: 80000 }), (day) => {
        expect(toEpochDay(fromEpochDay(day))).toBe(day);
      }),
    );
  });
});
