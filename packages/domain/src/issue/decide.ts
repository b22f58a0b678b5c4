import { assertNever, type Decision, type Rejection } from '../kernel/decider.ts';
import { daysBetween, type PlainDate } from '../kernel/plainDate.ts';
import { isSitting, type CommitteeState } from '../committee/state.ts';
import type { GridState } from '../grid/state.ts';
import type { RegionState } from '../region/state.ts';
import type { ContextWith } from '../shared/context.ts';
import { beforeDate, firstOf, inFuture, regionChainLive } from '../shared/guards.ts';
import { refuse } from '../shared/rejections.ts';
import { pairedOn, type UnitState } from '../unit/state.ts';
import type { IssueCommand } from './commands.ts';
import type { Assignee, IssueEvent } from './events.ts';
import type { IssueState } from './state.ts';

export interface IssueFacts {
  /** The region of the ledger's committee and the regions above it. */
  readonly regions: readonly RegionState[];
  /** The committee whose ledger holds the issue. */
  readonly committee?: CommitteeState;
  /** The unit named as assignee. */
  readonly unit?: UnitState;
  readonly grid?: GridState;
}
export type IssueContext = ContextWith<IssueFacts>;

const sameAssignee = (a: Assignee, b: Assignee) =>
  a.kind === 'member'
    ? b.kind === 'member' && a.personId === b.personId
    : b.kind === 'unit' && a.unitId === b.unitId;

/**
 * Invariant 6 (its last clause): the assignee is a member sitting on the ledger's committee on the
 * date, or a unit paired on the date with the committee's community (for a subdistrict ledger:
 * a unit located in the subdistrict and paired with one of its communities).
 */
const eligible = (assignee: Assignee, date: PlainDate, facts: IssueFacts): Rejection | null => {
  const committee = facts.committee;
  if (committee === undefined || committee.status === 'absent') return refuse('COMMITTEE_NOT_FOUND');
  if (committee.status === 'dissolved') return refuse('COMMITTEE_DISSOLVED', { committeeId: committee.id });
  if (assignee.kind === 'member') {
    return isSitting(committee, assignee.personId, date)
      ? null
      : refuse('ASSIGNEE_NOT_ELIGIBLE', { assignee, date, reason: 'not sitting on the committee' });
  }
  const unit = facts.unit;
  if (unit === undefined || unit.status === 'absent')
    return refuse('UNIT_NOT_REGISTERED', { unitId: assignee.unitId });
  const paired =
    committee.level === 'community'
      ? pairedOn(unit, committee.regionId, date)
      : unit.regionPath.includes(committee.regionId) &&
        unit.pairings.some((p) => pairedOn(unit, p.communityId, date));
  return paired
    ? null
    : refuse('ASSIGNEE_NOT_ELIGIBLE', { assignee, date, reason: 'not paired with the community' });
};

export const decideIssue = (
  command: IssueCommand,
  state: IssueState,
  context: IssueContext,
): Decision<IssueEvent> => {
  const { facts } = context;
  if (command.type === 'RegisterIssue') {
    if (state.status !== 'absent') return refuse('ISSUE_EXISTS', { issueId: command.issueId });
    const committee = facts.committee;
    if (committee === undefined || committee.status === 'absent')
      return refuse('COMMITTEE_NOT_FOUND', { committeeId: command.committeeId });
    const rejection = firstOf(
      () =>
        committee.status === 'dissolved'
          ? refuse('COMMITTEE_DISSOLVED', { committeeId: committee.id })
          : null,
      () => regionChainLive(facts.regions),
      () => inFuture(command.registeredOn, 'registeredOn', context),
      () => {
        if (command.gridId === undefined) return null;
        if (facts.grid === undefined || facts.grid.status === 'absent')
          return refuse('GRID_NOT_FOUND', { gridId: command.gridId });
        return facts.grid.status === 'retired' ? refuse('GRID_RETIRED', { gridId: command.gridId }) : null;
      },
    );
    if (rejection !== null) return rejection;
    return [
      {
        type: 'IssueRegistered',
        data: {
          issueId: command.issueId,
          committeeId: command.committeeId,
          regionId: committee.regionId,
          gridId: command.gridId ?? null,
          title: command.title,
          trade: command.trade,
          source: command.source,
          raisedBy: command.raisedBy ?? null,
          registeredOn: command.registeredOn,
        },
      },
    ];
  }
  if (state.status === 'absent') return refuse('ISSUE_NOT_FOUND', { issueId: command.issueId });
  const live = regionChainLive(facts.regions);
  if (live !== null) return live;
  const { issueId } = command;
  const dated = (date: PlainDate, field: string) =>
    firstOf(
      () => inFuture(date, field, context),
      () => beforeDate(date, state.lastDate, field, 'the previous step'),
    );
  const open = () => (state.status === 'open' ? null : refuse('ISSUE_NOT_OPEN', { status: state.status }));
  const assigned = () => (state.assignee === null ? refuse('ISSUE_NOT_ASSIGNED') : null);
  switch (command.type) {
    case 'AssignIssue': {
      const rejection = firstOf(
        open,
        () =>
          state.assignee === null ? null : refuse('ISSUE_ALREADY_ASSIGNED', { assignee: state.assignee }),
        () => dated(command.assignedOn, 'assignedOn'),
        () => beforeDate(command.dueOn, command.assignedOn, 'dueOn', 'assignedOn'),
        () => eligible(command.assignee, command.assignedOn, facts),
      );
      if (rejection !== null) return rejection;
      return [
        {
          type: 'IssueAssigned',
          data: { issueId, assignee: command.assignee, assignedOn: command.assignedOn, dueOn: command.dueOn },
        },
      ];
    }
    case 'ReassignIssue': {
      const dueOn = command.dueOn ?? state.dueOn;
      const rejection = firstOf(
        open,
        assigned,
        () => dated(command.reassignedOn, 'reassignedOn'),
        () =>
          state.assignee !== null && sameAssignee(state.assignee, command.assignee)
            ? refuse('SAME_ASSIGNEE')
            : null,
        () => (dueOn === null ? null : beforeDate(dueOn, command.reassignedOn, 'dueOn', 'reassignedOn')),
        () => eligible(command.assignee, command.reassignedOn, facts),
      );
      if (rejection !== null || state.assignee === null || dueOn === null)
        return rejection ?? refuse('ISSUE_NOT_ASSIGNED');
      return [
        {
          type: 'IssueReassigned',
          data: {
            issueId,
            from: state.assignee,
            to: command.assignee,
            reassignedOn: command.reassignedOn,
            dueOn,
            reason: command.reason,
          },
        },
      ];
    }
    case 'EscalateIssue': {
      const dueOn = state.dueOn;
      const rejection = firstOf(
        open,
        assigned,
        () => dated(command.escalatedOn, 'escalatedOn'),
        () =>
          dueOn !== null && command.escalatedOn > dueOn
            ? null
            : refuse('NOT_OVERDUE', { dueOn, escalatedOn: command.escalatedOn }),
      );
      if (rejection !== null || dueOn === null) return rejection ?? refuse('ISSUE_NOT_ASSIGNED');
      return [
        {
          type: 'IssueEscalated',
          data: {
            issueId,
            escalatedOn: command.escalatedOn,
            to: command.to,
            daysOverdue: daysBetween(dueOn, command.escalatedOn),
            note: command.note,
          },
        },
      ];
    }
    case 'ReportIssueProgress': {
      const rejection = firstOf(open, assigned, () => dated(command.reportedOn, 'reportedOn'));
      if (rejection !== null) return rejection;
      return [
        {
          type: 'IssueProgressReported',
          data: { issueId, reportedOn: command.reportedOn, note: command.note },
        },
      ];
    }
    case 'ResolveIssue': {
      // Invariant 6: resolved only when assigned, at most once per opening.
      const rejection = firstOf(open, assigned, () => dated(command.resolvedOn, 'resolvedOn'));
      if (rejection !== null || state.assignee === null || state.dueOn === null)
        return rejection ?? refuse('ISSUE_NOT_ASSIGNED');
      return [
        {
          type: 'IssueResolved',
          data: {
            issueId,
            resolvedOn: command.resolvedOn,
            resolution: command.resolution,
            assignee: state.assignee,
            openedOn: state.openedOn,
            dueOn: state.dueOn,
            daysToResolve: daysBetween(state.openedOn, command.resolvedOn),
            onTime: command.resolvedOn <= state.dueOn,
          },
        },
      ];
    }
    case 'PublishIssueOutcome': {
      const rejection = firstOf(
        () => (state.status === 'resolved' ? null : refuse('ISSUE_NOT_RESOLVED', { status: state.status })),
        () => (state.outcomePublished ? refuse('OUTCOME_ALREADY_PUBLISHED') : null),
        () => dated(command.publishedOn, 'publishedOn'),
      );
      if (rejection !== null) return rejection;
      return [
        {
          type: 'IssueOutcomePublished',
          data: {
            issueId,
            publishedOn: command.publishedOn,
            channel: command.channel,
            audience: command.audience,
          },
        },
      ];
    }
    case 'ReopenIssue': {
      // Invariant 6: reopen only after resolution.
      const rejection = firstOf(
        () => (state.status === 'resolved' ? null : refuse('ISSUE_NOT_RESOLVED', { status: state.status })),
        () => dated(command.reopenedOn, 'reopenedOn'),
      );
      if (rejection !== null) return rejection;
      return [
        { type: 'IssueReopened', data: { issueId, reopenedOn: command.reopenedOn, reason: command.reason } },
      ];
    }
    case 'WithdrawIssue': {
      const rejection = firstOf(open, () => dated(command.withdrawnOn, 'withdrawnOn'));
      if (rejection !== null) return rejection;
      return [
        {
          type: 'IssueWithdrawn',
          data: { issueId, withdrawnOn: command.withdrawnOn, reason: command.reason },
        },
      ];
    }
    default:
      return assertNever(command, 'issue command');
  }
};
