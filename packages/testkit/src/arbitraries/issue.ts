import {
  addDays,
  IssueId,
  issueDecider,
  issueFacts,
  type Assignee,
  type IssueCommand,
  type IssueEvent,
  type IssueFacts,
  type IssueState,
  type PlainDate,
} from '@cogov/domain';
import {
  chains,
  committeeFrom,
  committeeId,
  contextOn,
  establishedCommittee,
  memberId,
  registeredUnit,
  unitId,
} from '../domain/fixtures.ts';
import { steps as pipelineSteps } from '../domain/committeeEvents.ts';
import { clock, drive, pick, stepPlan, type Driven, type Step } from './common.ts';

/** Who sits on the issue ledger's committee, and when: the facts the oracle checks against. */
export const ISSUE_WORLD = {
  committee: 'ledger',
  /** [from, until) per person. */
  sitting: {
    p1: ['2020-01-01', '2023-01-01'],
    p2: ['2021-06-01', '2025-01-01'],
  } as Readonly<Record<string, readonly [string, string]>>,
  /** [from, until) per unit paired with the community. */
  paired: { bank: ['2020-06-01', '2023-06-01'] } as Readonly<Record<string, readonly [string, string]>>,
};

const committee = committeeFrom([
  ...establishedCommittee(ISSUE_WORLD.committee, 'community-party-committee', { termYears: 5 }),
  pipelineSteps.appointed(
    { committee: ISSUE_WORLD.committee, candidate: 'c1', person: 'p1' },
    { on: '2020-01-01', termEndsOn: '2022-12-31' },
  ),
  pipelineSteps.appointed(
    { committee: ISSUE_WORLD.committee, candidate: 'c2', person: 'p2' },
    { on: '2021-06-01', termEndsOn: '2024-12-31' },
  ),
]);
const units = {
  bank: registeredUnit('bank', [{ community: 'dongmen', from: '2020-06-01', until: '2023-06-01' }]),
  school: registeredUnit('school'),
};
const ASSIGNEES: readonly Assignee[] = [
  { kind: 'member', personId: memberId('p1') },
  { kind: 'member', personId: memberId('p2') },
  { kind: 'member', personId: memberId('stranger') },
  { kind: 'unit', unitId: unitId('bank') },
  { kind: 'unit', unitId: unitId('school') },
];

/** Commands on one issue of a ledger whose committee and paired units are ISSUE_WORLD. */
export const driveIssue = (
  plan: readonly Step[],
  options: { retiredRegion?: boolean } = {},
): Driven<IssueCommand, IssueEvent> & { state: IssueState } => {
  const time = clock();
  const I = IssueId.parse('issue-1');
  const facts = (command: IssueCommand, state: IssueState): IssueFacts => {
    const request = issueFacts(command, state);
    const unit = request.unit === undefined ? undefined : units[request.unit as keyof typeof units];
    return {
      regions: options.retiredRegion === true ? chains.retiredCommunity : chains.community,
      committee,
      ...(unit === undefined ? {} : { unit }),
    };
  };
  const next = (state: IssueState, i: number): IssueCommand | undefined => {
    const s = plan[i] as Step;
    const on: PlainDate = time.advance(s.days);
    const assignee = pick(ASSIGNEES, s.valid ? s.target % 4 : s.target) as Assignee;
    if (state.status === 'absent' || s.action < 5) {
      return {
        type: 'RegisterIssue',
        issueId: I,
        committeeId: committeeId(ISSUE_WORLD.committee),
        title: 'lights',
        trade: 'infrastructure',
        source: 'resident',
        registeredOn: on,
      };
    }
    const a = s.action;
    if (a < 25)
      return {
        type: 'AssignIssue',
        issueId: I,
        assignee,
        assignedOn: on,
        dueOn: addDays(on, s.valid ? 30 : (s.variant % 60) - 10),
      };
    if (a < 35) return { type: 'ReassignIssue', issueId: I, assignee, reassignedOn: on, reason: 'hand-over' };
    if (a < 42)
      return { type: 'EscalateIssue', issueId: I, escalatedOn: on, to: 'subdistrict', note: 'overdue' };
    if (a < 50) return { type: 'ReportIssueProgress', issueId: I, reportedOn: on, note: 'working' };
    if (a < 70) return { type: 'ResolveIssue', issueId: I, resolvedOn: on, resolution: 'fixed' };
    if (a < 78)
      return {
        type: 'PublishIssueOutcome',
        issueId: I,
        publishedOn: on,
        channel: 'notice-board',
        audience: 'residents',
      };
    if (a < 92) return { type: 'ReopenIssue', issueId: I, reopenedOn: on, reason: 'again' };
    return { type: 'WithdrawIssue', issueId: I, withdrawnOn: on, reason: 'duplicate' };
  };
  return drive(
    issueDecider,
    next,
    (command, state) => contextOn(facts(command, state), { today: '2030-06-01' }),
    plan.length,
  );
};

export const issuePlan = stepPlan(50);
