import {
  ActivityKind,
  CommitteeKind,
  CommitteeLevel,
  Duty,
  EvaluationGrade,
  IssueSource,
  MemberCategory,
  MemberRating,
  NeedCategory,
  NomineeCategory,
  OfficerRole,
  PipelineStage,
  PointsCause,
  ResourceKind,
  Trade,
  UnitKind,
} from '@cogov/domain';
/**
 * Every figure the statistics read model keeps. A `flow` counts facts dated inside a period
 * (meetings held in 2022); a `level` is a standing count on a date (part-time members sitting on
 * 1 March), kept as dated +/- deltas. Facets split a figure (by level, reason, kind, grade…).
 */
export interface MetricDefinition {
  readonly kind: 'flow' | 'level';
  readonly unit: string;
  readonly description: string;
  readonly facets: readonly string[];
}

const flow = (unit: string, description: string, facets: readonly string[] = []): MetricDefinition => ({
  kind: 'flow',
  unit,
  description,
  facets,
});
const level = (unit: string, description: string, facets: readonly string[] = []): MetricDefinition => ({
  kind: 'level',
  unit,
  description,
  facets,
});

export const METRICS = {
  // Part-time members (兼职委员)
  'partTime.appointed': flow('members', 'Part-time members appointed (by appointment date).', [
    'level',
    'category',
  ]),
  'partTime.sitting': level('members', 'Part-time members sitting on a date.', ['level', 'category']),
  'partTime.withDuty': level(
    'members',
    'Part-time members holding each of the four roles (四大员) on a date, by duty.',
    ['duty'],
  ),
  'partTime.exited': flow(
    'members',
    'Part-time members who exited, by reason (expiry, dismissal, withdrawal).',
    ['level', 'reason'],
  ),
  'partTime.renewed': flow('members', 'Part-time members renewed (续聘).', ['level']),
  'partTime.aboveGuideline': flow('appointments', 'Appointments above the policy guideline of about five.', [
    'level',
  ]),
  'candidates.nominated': flow('candidates', 'Candidates nominated.', ['level', 'category']),
  'candidates.rejected': flow('candidates', 'Candidacies rejected, by pipeline step.', ['stage']),
  'publicity.objections': flow('objections', 'Objections raised during publicity.'),
  'evaluations.graded': flow('evaluations', 'Part-time member evaluations, by grade.', ['grade']),
  // Committees
  'committees.count': level(
    'committees',
    'Committees existing on a date, by kind (大工委, 大党委, branches…).',
    ['kind'],
  ),
  'officers.assigned': flow(
    'officers',
    'Officers assigned (secretaries, first secretaries 第一书记…), by role.',
    ['role'],
  ),
  'officers.sitting': level('officers', 'Officers in post on a date, by role.', ['role']),
  'committees.upgraded': flow('committees', 'General branches upgraded (升格), by new kind.', ['kind']),
  // Joint meetings
  'meetings.held': flow('meetings', 'Joint meetings held.'),
  'meetings.attendances': flow(
    'attendances',
    'Attendances at joint meetings, by role (part-time or not) and, for part-time members, the committee level.',
    ['role', 'partTime'],
  ),
  'meetings.invited': flow(
    'seats',
    'Seats invited to joint meetings (everyone sitting): the attendance-rate denominator.',
  ),
  'meetings.resolutions': flow('resolutions', 'Resolutions passed at joint meetings.'),
  // Problem ledger
  'issues.registered': flow('issues', 'Issues registered in the ledger, by trade and source.', [
    'trade',
    'source',
  ]),
  'issues.assigned': flow('issues', 'Issues assigned, by assignee kind.', ['assignee']),
  'issues.resolved': flow('issues', 'Issues resolved (by resolution date), on time or late.', [
    'onTime',
    'trade',
  ]),
  'issues.daysToResolve': flow(
    'days',
    'Sum of days from (re)opening to resolution: divide by issues.resolved for the mean.',
  ),
  'issues.escalated': flow('issues', 'Overdue issues escalated (督办).'),
  'issues.reopened': flow('issues', 'Issues reopened after resolution.'),
  'issues.withdrawn': flow('issues', 'Issues withdrawn.'),
  'issues.outcomesPublished': flow('issues', 'Outcomes published to those affected.'),
  // Activities
  'activities.held': flow(
    'activities',
    'Activities held, by kind; co-construction = with units of the area.',
    ['kind', 'coConstruction'],
  ),
  'activities.participants': flow('people', 'Participants (party members and others).', ['kind']),
  'activities.memberParticipants': flow('members', 'Party members taking part.'),
  'activities.volunteerHours': flow('hours', 'Volunteer hours.', ['kind']),
  'activities.beneficiaries': flow('people', 'People served.'),
  // Needs, projects, micro-wishes
  'needs.listed': flow('needs', 'Needs listed (需求清单).', ['category']),
  'projects.agreed': flow('projects', 'Needs agreed as service projects.'),
  'projects.lists': flow('lists', 'Project lists (项目清单) agreed (counted at their first project).'),
  'projects.dispatched': flow('projects', 'Projects dispatched to units (社区派单).'),
  'projects.claimed': flow('claims', 'Claims made on needs and projects (双向认领).', ['claimant']),
  'projects.claimsCancelled': flow('claims', 'Claims cancelled.'),
  'projects.completed': flow('projects', 'Projects completed (by completion date).', ['claimant']),
  'projects.rated': flow('ratings', 'Completed projects and wishes rated.'),
  'projects.satisfaction': flow('points', 'Sum of satisfaction ratings (1–5): divide by projects.rated.'),
  'wishes.posted': flow('wishes', 'Micro-wishes posted (微心愿).'),
  'wishes.claimed': flow('claims', 'Micro-wishes claimed by party members.'),
  'wishes.fulfilled': flow('wishes', 'Micro-wishes fulfilled (by fulfilment date).'),
  // Units and dual reporting
  'units.registered': flow('units', 'Units registered.', ['kind']),
  'units.paired': level('units', 'Unit–community pairings in force on a date.'),
  'units.reported': flow('units', 'Units reporting to their paired community (单位报到).'),
  'resources.offered': flow('resources', 'Resources offered (资源清单).', ['kind']),
  'members.registered': level(
    'members',
    'Party members registered (not transferred out) on a date, by category.',
    ['category'],
  ),
  'members.reported': flow('registrations', 'In-service members reporting to a community (双报到).'),
  'members.reporting': level('members', 'Active community registrations of members on a date.'),
  'communities.withReportingMembers': level(
    'communities',
    'Communities where in-service members report (national sheet 社区党建情况).',
  ),
  'members.householdVisits': flow('households', 'Households visited by contact members (党员联系户).'),
  'members.rated': flow('members', 'Democratic ratings of members, by rating.', ['rating']),
  // Points
  'points.awarded': flow('points', 'Points awarded, by cause.', ['cause']),
  'points.deducted': flow('points', 'Points deducted.'),
  // Grids
  'grids.count': level('grids', 'Grid cells on a date.'),
  'grids.households': level('households', 'Households covered by grid cells on a date.'),
  'grids.withBranch': level('grids', 'Grid cells linked to a grid branch.'),
  'grids.workers': level('workers', 'Grid workers serving (people: one serving three cells counts once).'),
  'grids.workerAssignments': level('assignments', 'Grid worker assignments to cells.'),
  'grids.contactHouseholds': level('households', 'Households assigned a contact party member.'),
} as const satisfies Record<string, MetricDefinition>;

export type MetricName = keyof typeof METRICS;

export const isMetric = (name: string): name is MetricName => name in METRICS;

const UNKNOWN = 'unknown';
const BOOLEAN = ['true', 'false'] as const;
const of = (...lists: readonly (readonly string[])[]): readonly string[] => [...lists.flat(), UNKNOWN];

/** A facet's values, by facet name; where one name means different things, per metric below. */
const FACET_VALUES: Readonly<Record<string, readonly string[]>> = {
  level: of(CommitteeLevel.options),
  partTime: of(CommitteeLevel.options),
  category: of(NomineeCategory.options),
  reason: ['expired', 'dismissed', 'withdrew'],
  stage: PipelineStage.options,
  grade: EvaluationGrade.options,
  kind: of(CommitteeKind.options),
  role: OfficerRole.options,
  trade: of(Trade.options),
  source: IssueSource.options,
  assignee: ['member', 'unit'],
  claimant: ['member', 'unit'],
  onTime: BOOLEAN,
  coConstruction: BOOLEAN,
  rating: MemberRating.options,
  cause: PointsCause.shape.kind.options,
  duty: Duty.options,
};
const METRIC_FACET_VALUES: Partial<Record<MetricName, Readonly<Record<string, readonly string[]>>>> = {
  'meetings.attendances': { role: ['part-time', 'other'] },
  'activities.held': { kind: ActivityKind.options },
  'activities.participants': { kind: ActivityKind.options },
  'activities.volunteerHours': { kind: ActivityKind.options },
  'units.registered': { kind: UnitKind.options },
  'resources.offered': { kind: ResourceKind.options },
  'needs.listed': { category: NeedCategory.options },
  'members.registered': { category: MemberCategory.options },
};

/** The values each facet of a metric takes (`unknown`: the record it refers to was not found). */
export const facetValues = (metric: MetricName): Readonly<Record<string, readonly string[]>> =>
  Object.fromEntries(
    METRICS[metric].facets.map((facet) => [
      facet,
      METRIC_FACET_VALUES[metric]?.[facet] ?? FACET_VALUES[facet] ?? [],
    ]),
  );

/**
 * Why `name=value` is not a facet of the metric, or null when it is: a misspelt facet would
 * otherwise count nothing and answer 0.
 */
export const facetProblem = (metric: MetricName, facet: string): string | null => {
  const [name = '', value = ''] = facet.split('=', 2);
  const values = facetValues(metric);
  const allowed = values[name];
  if (allowed === undefined)
    return METRICS[metric].facets.length === 0
      ? `${metric} has no facets`
      : `${metric} has no facet ${name}; its facets: ${METRICS[metric].facets.join(', ')}`;
  if (!allowed.includes(value)) return `${name} of ${metric} is one of: ${allowed.join(', ')}`;
  return null;
};
