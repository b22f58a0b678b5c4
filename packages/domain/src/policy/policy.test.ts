import { describe, expect, it } from 'vitest';
import { PlainDate } from '../kernel/plainDate.ts';
import { workingCalendar } from './calendar.ts';
import { HUITONG_2022, LIUYANG_2013, POLICY_PRESETS } from './presets.ts';
import { parsePolicy } from './schema.ts';

describe('Policy', () => {
  it('ships the two presets, both valid', () => {
    expect(Object.keys(POLICY_PRESETS)).toEqual(['liuyang-2013', 'huitong-2022']);
    for (const preset of Object.values(POLICY_PRESETS))
      expect(parsePolicy(preset)).toMatchObject({ ok: true });
    expect(LIUYANG_2013.partTime.pipeline).toEqual([
      'nomination',
      'screening',
      'approval',
      'appointment',
      'publicity',
    ]);
    expect(HUITONG_2022.committeeTermYears.community).toBe(5);
  });

  it('names every wrong field of an invalid policy', () => {
    const result = parsePolicy({
      ...HUITONG_2022,
      timeZone: 'Mars/Olympus',
      partTime: { ...HUITONG_2022.partTime, publicityWorkingDays: 0, pipeline: ['screening', 'appointment'] },
      grid: { standardHouseholds: -3 },
      points: { ...HUITONG_2022.points, base: 'sixty' },
      extra: true,
    });
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'timeZone',
        'partTime.pipeline',
        'partTime.publicityWorkingDays',
        'grid.standardHouseholds',
        'points.base',
        '(policy)',
      ]),
    );
  });

  it('refuses a pipeline out of order and a cap below the guideline', () => {
    const pipeline = (stages: string[]) =>
      parsePolicy({ ...HUITONG_2022, partTime: { ...HUITONG_2022.partTime, pipeline: stages } });
    expect(pipeline(['nomination', 'appointment', 'approval'])).toMatchObject({ ok: false });
    expect(pipeline(['nomination', 'approval', 'screening', 'appointment'])).toMatchObject({ ok: false });
    expect(pipeline(['nomination', 'publicity', 'approval', 'appointment'])).toMatchObject({ ok: false });
    expect(pipeline(['nomination', 'approval', 'appointment'])).toMatchObject({ ok: true });
    expect(parsePolicy({ ...HUITONG_2022, partTime: { ...HUITONG_2022.partTime, cap: 3 } })).toMatchObject({
      ok: false,
      issues: [{ path: 'partTime.cap' }],
    });
  });
});

describe('the working-day calendar', () => {
  const calendar = workingCalendar(HUITONG_2022);
  const d = (s: string) => PlainDate.parse(s);

  it('rests on weekends and public holidays, works on adjusted weekends (调休)', () => {
    expect(calendar.isWorkingDay(d('2022-10-03'))).toBe(false);
    expect(calendar.isWorkingDay(d('2022-10-08'))).toBe(true);
    expect(calendar.isWorkingDay(d('2022-10-15'))).toBe(false);
    expect(calendar.isWorkingDay(d('2024-02-04'))).toBe(true);
  });

  it('counts working days inclusively from a working start, or from the next working day', () => {
    expect(calendar.nthWorkingDay(d('2022-03-21'), 5)).toBe('2022-03-25');
    expect(calendar.nthWorkingDay(d('2022-03-19'), 5)).toBe('2022-03-25');
    expect(calendar.nthWorkingDay(d('2023-01-19'), 5)).toBe('2023-01-30');
    expect(calendar.covers(2022)).toBe(true);
    expect(calendar.covers(2030)).toBe(false);
  });
});
