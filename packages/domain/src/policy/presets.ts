import { addDays, PlainDate } from '../kernel/plainDate.ts';
import { Policy } from './schema.ts';

const range = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let d = PlainDate.parse(from); d <= to; d = addDays(d, 1)) out.push(d);
  return out;
};

/**
 * China's public holidays and adjusted working weekends (调休) as the State Council's yearly
 * notices set them, for the years the scenarios and presets use. A county keeps its own list in
 * its policy; years outside `coveredYears` fall back to Monday–Friday.
 */
export const CHINA_CALENDAR = {
  holidays: [
    // 2013 (国办发明电〔2012〕14号)
    ...range('2013-01-01', '2013-01-03'),
    ...range('2013-02-09', '2013-02-15'),
    ...range('2013-04-04', '2013-04-06'),
    ...range('2013-04-29', '2013-05-01'),
    ...range('2013-06-10', '2013-06-12'),
    ...range('2013-09-19', '2013-09-21'),
    ...range('2013-10-01', '2013-10-07'),
    // 2022
    ...range('2022-01-01', '2022-01-03'),
    ...range('2022-01-31', '2022-02-06'),
    ...range('2022-04-03', '2022-04-05'),
    ...range('2022-04-30', '2022-05-04'),
    ...range('2022-06-03', '2022-06-05'),
    ...range('2022-09-10', '2022-09-12'),
    ...range('2022-10-01', '2022-10-07'),
    // 2023
    ...range('2022-12-31', '2023-01-02'),
    ...range('2023-01-21', '2023-01-27'),
    '2023-04-05',
    ...range('2023-04-29', '2023-05-03'),
    ...range('2023-06-22', '2023-06-24'),
    ...range('2023-09-29', '2023-10-06'),
    // 2024
    '2024-01-01',
    ...range('2024-02-10', '2024-02-17'),
    ...range('2024-04-04', '2024-04-06'),
    ...range('2024-05-01', '2024-05-05'),
    '2024-06-10',
    ...range('2024-09-15', '2024-09-17'),
    ...range('2024-10-01', '2024-10-07'),
    // 2025
    '2025-01-01',
    ...range('2025-01-28', '2025-02-04'),
    ...range('2025-04-04', '2025-04-06'),
    ...range('2025-05-01', '2025-05-05'),
    ...range('2025-05-31', '2025-06-02'),
    ...range('2025-10-01', '2025-10-08'),
  ],
  workingWeekends: [
    ...['2013-01-05', '2013-01-06', '2013-02-16', '2013-02-17', '2013-04-07', '2013-04-27', '2013-04-28'],
    ...['2013-06-08', '2013-06-09', '2013-09-22', '2013-09-29', '2013-10-12'],
    ...['2022-01-29', '2022-01-30', '2022-04-02', '2022-04-24', '2022-05-07', '2022-10-08', '2022-10-09'],
    ...['2023-01-28', '2023-01-29', '2023-04-23', '2023-05-06', '2023-06-25', '2023-10-07', '2023-10-08'],
    ...[
      '2024-02-04',
      '2024-02-18',
      '2024-04-07',
      '2024-04-28',
      '2024-05-11',
      '2024-09-14',
      '2024-09-29',
      '2024-10-12',
    ],
    ...['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  ],
  coveredYears: [2013, 2022, 2023, 2024, 2025],
};

const POINTS = {
  base: 60,
  activity: {
    'theme-party-day': 2,
    'three-meetings-one-lesson': 1,
    'volunteer-service': 3,
    lecture: 1,
    'clean-up': 2,
  },
  activityDefault: 1,
  issueResolved: 5,
  jointMeetingAttendance: 0,
};

/**
 * The rules of 004 (Liuyang, 2013): five steps 广泛推荐 → 分类筛选 → 上级批复 → 组织聘用 → 单位公示
 * (publicity after appointment); street-level members approved by the city organisation
 * department and reported to the standing committee; community-level ones approved by the
 * street committee and filed with the organisation department; three-year terms (community
 * organisations still had three-year terms then); about five per committee, no hard cap.
 */
export const LIUYANG_2013: Policy = Policy.parse({
  id: 'liuyang-2013',
  name: '浏阳市 2013 实施办法 (Liuyang implementing measures, 2013)',
  timeZone: 'Asia/Shanghai',
  partTime: {
    pipeline: ['nomination', 'screening', 'approval', 'appointment', 'publicity'],
    publicityWorkingDays: 5,
    guideline: 5,
    cap: null,
    approval: {
      subdistrict: { authority: 'county-organisation-department', reportTo: 'county-standing-committee' },
      community: { authority: 'subdistrict-committee', fileWith: 'county-organisation-department' },
    },
    subdistrictTermYears: 3,
    renewalRequiresApproval: true,
  },
  committeeTermYears: { subdistrict: 5, community: 3 },
  meetings: { cadence: 'quarterly', requireFollowUp: true },
  grid: { standardHouseholds: 300 },
  points: POINTS,
  memberRating: { unreportedCannotBeQualified: false },
  calendar: CHINA_CALENDAR,
});

/**
 * Huitong's practice (000, 2022) under the 2018 rules: 广泛推荐 → 群众评议 → 党委研究 → 上级批复 →
 * 公示 → 聘用 (publicity of five working days before appointment); community organisations'
 * terms of five years; Foshan's dual-reporting rating rule on.
 */
export const HUITONG_2022: Policy = Policy.parse({
  ...LIUYANG_2013,
  id: 'huitong-2022',
  name: '会同县 2022 (five-year community terms, publicity before appointment)',
  partTime: {
    ...LIUYANG_2013.partTime,
    pipeline: ['nomination', 'screening', 'deliberation', 'approval', 'publicity', 'appointment'],
  },
  committeeTermYears: { subdistrict: 5, community: 5 },
  memberRating: { unreportedCannotBeQualified: true },
});

export const POLICY_PRESETS: Readonly<Record<string, Policy>> = {
  [LIUYANG_2013.id]: LIUYANG_2013,
  [HUITONG_2022.id]: HUITONG_2022,
};
