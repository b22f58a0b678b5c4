import { z } from 'zod';
import { PlainDate } from '../kernel/plainDate.ts';

/** The steps of the part-time member selection pipeline (004 §2.1, 000). */
export const PipelineStage = z.enum([
  'nomination',
  'screening',
  'deliberation',
  'approval',
  'publicity',
  'appointment',
]);
export type PipelineStage = z.infer<typeof PipelineStage>;

/** Who approves, reports or files. */
export const Authority = z.enum([
  'county-organisation-department',
  'county-standing-committee',
  'subdistrict-committee',
  'community-committee',
]);
export type Authority = z.infer<typeof Authority>;

export const ActivityKind = z.enum([
  'theme-party-day',
  'three-meetings-one-lesson',
  'volunteer-service',
  'lecture',
  'clean-up',
  'cultural',
  'visit',
  'other',
]);
export type ActivityKind = z.infer<typeof ActivityKind>;

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const points = z.number().int().min(0).max(1000);

const Pipeline = z
  .array(PipelineStage)
  .min(3)
  .superRefine((stages, ctx) => {
    const issue = (message: string) => ctx.addIssue({ code: 'custom', message });
    if (new Set(stages).size !== stages.length) issue('each step appears once');
    if (stages[0] !== 'nomination') issue('the pipeline starts with nomination');
    const at = (s: PipelineStage) => stages.indexOf(s);
    if (at('approval') < 0) issue('the pipeline includes approval by the superior');
    if (at('appointment') < 0) issue('the pipeline includes the appointment');
    if (at('approval') > at('appointment')) issue('approval comes before appointment');
    for (const before of ['screening', 'deliberation'] as const) {
      if (at(before) > at('approval')) issue(`${before} comes before approval`);
    }
    if (at('publicity') >= 0 && at('publicity') < at('approval')) issue('publicity follows approval');
  });

/**
 * A county's or city's rules as configuration: validated, never code. Everything the sources
 * disagree on (the pipeline order, publicity length, terms, caps, the points table, the calendar)
 * lives here.
 */
export const Policy = z.strictObject({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(200),
  /** The county's time zone: business dates are calendar dates there. */
  timeZone: z.string().refine(isTimeZone, { message: 'an IANA time zone such as Asia/Shanghai' }),
  partTime: z.strictObject({
    /** The steps in order; publicity before or after appointment, or absent. */
    pipeline: Pipeline,
    publicityWorkingDays: z.number().int().min(1).max(30),
    /** "一般为5人左右": the guideline; exceeding it is recorded, not refused. */
    guideline: z.number().int().min(1).max(50),
    /** An optional hard cap on sitting part-time members per committee. */
    cap: z.number().int().min(1).max(100).nullable(),
    approval: z.strictObject({
      subdistrict: z.strictObject({ authority: Authority, reportTo: Authority.nullable() }),
      community: z.strictObject({ authority: Authority, fileWith: Authority.nullable() }),
    }),
    /** Term of a subdistrict-level part-time member (three years in 004). */
    subdistrictTermYears: z.number().int().min(1).max(10),
    renewalRequiresApproval: z.boolean(),
  }),
  /** Terms of the committees themselves (community organisations: five years since 2018). */
  committeeTermYears: z.strictObject({
    subdistrict: z.number().int().min(1).max(10),
    community: z.number().int().min(1).max(10),
  }),
  meetings: z.strictObject({
    cadence: z.enum(['monthly', 'quarterly', 'half-yearly']),
    /** Every open resolution is reported on at the next meeting (the closed loop). */
    requireFollowUp: z.boolean(),
  }),
  grid: z.strictObject({
    /** Households per grid cell (300 in 002). */
    standardHouseholds: z.number().int().min(10).max(10_000),
  }),
  points: z.strictObject({
    /** Each member's yearly balance starts here (e.g. 60). */
    base: points,
    activity: z.partialRecord(ActivityKind, points),
    activityDefault: points,
    issueResolved: points,
    jointMeetingAttendance: points,
  }),
  memberRating: z.strictObject({
    /** Foshan's rule: an in-service member who never reported cannot be rated qualified or better. */
    unreportedCannotBeQualified: z.boolean(),
  }),
  calendar: z.strictObject({
    /** Public holidays (including the weekend days inside a holiday block). */
    holidays: z.array(PlainDate),
    /** Weekend days worked in exchange for a holiday block (调休). */
    workingWeekends: z.array(PlainDate),
    /** Years the two lists cover completely; outside them only weekends are rest days. */
    coveredYears: z.array(z.number().int().min(1949).max(2199)),
  }),
});
export type Policy = z.infer<typeof Policy>;
export type PolicyInput = z.input<typeof Policy>;

export interface PolicyIssue {
  /** The dotted path of the wrong field, e.g. `partTime.cap`. */
  readonly path: string;
  readonly message: string;
}

/**
 * Validates a policy, naming every wrong field.
 *
 * @example
 * const parsed = parsePolicy(JSON.parse(text));
 * if (!parsed.ok) console.error(parsed.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
 */
export const parsePolicy = (
  input: unknown,
):
  | { readonly ok: true; readonly policy: Policy }
  | { readonly ok: false; readonly issues: readonly PolicyIssue[] } => {
  const parsed = Policy.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.join('.') || '(policy)',
        message: issue.message,
      })),
    };
  }
  const { cap, guideline } = parsed.data.partTime;
  if (cap !== null && cap < guideline) {
    return {
      ok: false,
      issues: [{ path: 'partTime.cap', message: 'the hard cap is at least the guideline' }],
    };
  }
  return { ok: true, policy: parsed.data };
};
