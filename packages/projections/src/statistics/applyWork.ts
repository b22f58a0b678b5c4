import {
  assertNever,
  type ActivityEvent,
  type Assignee,
  type Claimant,
  type GridEvent,
  type IssueEvent,
  type PlainDate,
  type ProjectEvent,
} from '@cogov/domain';
import type { ApplyContext } from './context.ts';

interface GridRecord {
  readonly communityId: string;
  readonly households: number;
  readonly branch: boolean;
  /** Workers assigned now. */
  readonly workers: readonly string[];
  readonly contacts: number;
}
interface IssueRecord {
  readonly regionId: string;
  readonly committeeId: string;
  readonly gridId: string | null;
  readonly trade: string;
}
interface ProjectRecord {
  readonly communityId: string;
  readonly gridId: string | null;
}

/** One grid assignment of a worker: [grid, first day, first day no longer assigned or null]. */
type Span = readonly [string, PlainDate, PlainDate | null];

/** The days covered by spans, as disjoint [from, end) intervals (end null: open). */
const union = (spans: readonly Span[]): [PlainDate, PlainDate | null][] => {
  const out: [PlainDate, PlainDate | null][] = [];
  for (const [, from, end] of [...spans].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))) {
    const last = out[out.length - 1];
    if (last !== undefined && (last[1] === null || from <= last[1])) {
      if (last[1] !== null && (end === null || end > last[1])) last[1] = end;
    } else out.push([from, end]);
  }
  return out;
};

/**
 * Grid workers are people, and one person often serves several grid cells: the level counts a
 * worker once per scope on each day they serve any cell in it. Spans per (scope, worker) are kept;
 * a change adds the difference between the old and the new union of spans.
 */
const changeWorkerSpans = (
  ctx: ApplyContext,
  scopes: readonly string[],
  workerId: string,
  change: (spans: readonly Span[]) => readonly Span[],
): void => {
  for (const scope of scopes) {
    const key = ['workerSpans', scope, workerId] as const;
    const before = ctx.state.get<readonly Span[]>(key) ?? [];
    const after = change(before);
    for (const [from, end] of union(before)) {
      ctx.tally.add('grids.workers', from, -1, [scope]);
      if (end !== null) ctx.tally.add('grids.workers', end, 1, [scope]);
    }
    for (const [from, end] of union(after)) {
      ctx.tally.add('grids.workers', from, 1, [scope]);
      if (end !== null) ctx.tally.add('grids.workers', end, -1, [scope]);
    }
    if (after.length === 0) ctx.state.delete(key);
    else ctx.state.set(key, after);
  }
};
const closeSpan = (gridId: string, on: PlainDate) => (spans: readonly Span[]) =>
  spans
    .map((s): Span => (s[0] === gridId && s[2] === null ? [s[0], s[1], on] : s))
    .filter((s) => s[2] === null || s[1] < s[2]);

const assigneeScope = (assignee: Assignee) =>
  assignee.kind === 'member' ? `m:${assignee.personId}` : `u:${assignee.unitId}`;
const claimantScope = (claimant: Claimant) =>
  claimant.kind === 'member' ? `m:${claimant.memberId}` : `u:${claimant.unitId}`;

export const applyGrid = (ctx: ApplyContext, event: GridEvent): void => {
  const { tally, state } = ctx;
  const key = ['grid', event.data.gridId] as const;
  const grid = state.get<GridRecord>(key);
  const scopes = [
    ...ctx.regionScopes(
      grid?.communityId ?? (event.type === 'GridCellDrawn' ? event.data.communityId : null),
    ),
    `g:${event.data.gridId}`,
  ];
  const update = (change: Partial<GridRecord>) =>
    grid !== undefined && state.set(key, { ...grid, ...change });
  switch (event.type) {
    case 'GridCellDrawn':
      state.set(key, {
        communityId: event.data.communityId,
        households: event.data.households,
        branch: false,
        workers: [],
        contacts: 0,
      } satisfies GridRecord);
      tally.add('grids.count', event.data.drawnOn, 1, scopes);
      tally.add('grids.households', event.data.drawnOn, event.data.households, scopes);
      return;
    case 'HouseholdsRecounted':
      tally.add(
        'grids.households',
        event.data.recountedOn,
        event.data.households - event.data.previous,
        scopes,
      );
      update({ households: event.data.households });
      return;
    case 'GridWorkerAssigned': {
      const { gridId, workerId, assignedOn } = event.data;
      tally.add('grids.workerAssignments', assignedOn, 1, scopes);
      changeWorkerSpans(ctx, scopes, workerId, (spans) => [...spans, [gridId, assignedOn, null]]);
      update({ workers: [...(grid?.workers ?? []), workerId] });
      return;
    }
    case 'GridWorkerRelieved': {
      const { gridId, workerId, relievedOn } = event.data;
      tally.add('grids.workerAssignments', relievedOn, -1, scopes);
      changeWorkerSpans(ctx, scopes, workerId, closeSpan(gridId, relievedOn));
      update({ workers: (grid?.workers ?? []).filter((w) => w !== workerId) });
      return;
    }
    case 'GridBranchLinked':
      tally.add('grids.withBranch', event.data.linkedOn, 1, scopes);
      update({ branch: true });
      return;
    case 'ContactHouseholdsAssigned':
      tally.add('grids.contactHouseholds', event.data.assignedOn, event.data.households, scopes);
      update({ contacts: (grid?.contacts ?? 0) + event.data.households });
      return;
    case 'ContactHouseholdsReleased':
      tally.add('grids.contactHouseholds', event.data.releasedOn, -event.data.households, scopes);
      update({ contacts: (grid?.contacts ?? 0) - event.data.households });
      return;
    case 'GridCellRetired':
      if (grid !== undefined) {
        const on = event.data.retiredOn;
        tally.add('grids.count', on, -1, scopes);
        tally.add('grids.households', on, -grid.households, scopes);
        tally.add('grids.workerAssignments', on, -grid.workers.length, scopes);
        for (const workerId of grid.workers)
          changeWorkerSpans(ctx, scopes, workerId, closeSpan(event.data.gridId, on));
        tally.add('grids.contactHouseholds', on, -grid.contacts, scopes);
        if (grid.branch) tally.add('grids.withBranch', on, -1, scopes);
      }
      return;
    default:
      assertNever(event, 'grid event');
  }
};

export const applyIssue = (ctx: ApplyContext, event: IssueEvent): void => {
  const { tally, state } = ctx;
  if (event.type === 'IssueRegistered') {
    const record: IssueRecord = {
      regionId: event.data.regionId,
      committeeId: event.data.committeeId,
      gridId: event.data.gridId,
      trade: event.data.trade,
    };
    state.set(['issue', event.data.issueId], record);
  }
  const issue = state.get<IssueRecord>(['issue', event.data.issueId]);
  const scopes = [
    ...ctx.regionScopes(issue?.regionId),
    ...(issue === undefined ? [] : [`c:${issue.committeeId}`]),
    ...(issue?.gridId === null || issue?.gridId === undefined ? [] : [`g:${issue.gridId}`]),
  ];
  switch (event.type) {
    case 'IssueRegistered':
      tally.add('issues.registered', event.data.registeredOn, 1, scopes, [
        `trade=${event.data.trade}`,
        `source=${event.data.source}`,
      ]);
      return;
    case 'IssueAssigned':
      tally.add(
        'issues.assigned',
        event.data.assignedOn,
        1,
        [...scopes, assigneeScope(event.data.assignee)],
        [`assignee=${event.data.assignee.kind}`],
      );
      return;
    case 'IssueResolved': {
      const where = [...scopes, assigneeScope(event.data.assignee)];
      tally.add('issues.resolved', event.data.resolvedOn, 1, where, [
        `onTime=${String(event.data.onTime)}`,
        `trade=${issue?.trade ?? 'unknown'}`,
      ]);
      tally.add('issues.daysToResolve', event.data.resolvedOn, event.data.daysToResolve, where);
      ctx.histograms.add('issues.daysToResolve', event.data.resolvedOn, event.data.daysToResolve, where);
      return;
    }
    case 'IssueEscalated':
      tally.add('issues.escalated', event.data.escalatedOn, 1, scopes);
      return;
    case 'IssueReopened':
      tally.add('issues.reopened', event.data.reopenedOn, 1, scopes);
      return;
    case 'IssueWithdrawn':
      tally.add('issues.withdrawn', event.data.withdrawnOn, 1, scopes);
      return;
    case 'IssueOutcomePublished':
      tally.add('issues.outcomesPublished', event.data.publishedOn, 1, scopes);
      return;
    case 'IssueReassigned':
    case 'IssueProgressReported':
      return;
    default:
      assertNever(event, 'issue event');
  }
};

export const applyProject = (ctx: ApplyContext, event: ProjectEvent): void => {
  const { tally, state } = ctx;
  if (event.type === 'NeedListed' || event.type === 'MicroWishPosted') {
    state.set(['project', event.data.projectId], {
      communityId: event.data.communityId,
      gridId: event.data.gridId,
    } satisfies ProjectRecord);
  }
  const project = state.get<ProjectRecord>(['project', event.data.projectId]);
  const scopes = [
    ...ctx.regionScopes(project?.communityId),
    ...(project?.gridId === null || project?.gridId === undefined ? [] : [`g:${project.gridId}`]),
  ];
  const isWish = state.get<boolean>(['wish', event.data.projectId]) === true;
  switch (event.type) {
    case 'NeedListed':
      tally.add('needs.listed', event.data.listedOn, 1, scopes, [`category=${event.data.category}`]);
      return;
    case 'MicroWishPosted':
      state.set(['wish', event.data.projectId], true);
      tally.add('wishes.posted', event.data.postedOn, 1, scopes);
      return;
    case 'ProjectAgreed':
      tally.add('projects.agreed', event.data.agreedOn, 1, scopes);
      if (state.get(['list', event.data.listId]) === undefined) {
        state.set(['list', event.data.listId], true);
        tally.add('projects.lists', event.data.agreedOn, 1, scopes);
      }
      return;
    case 'ProjectDispatched':
      tally.add('projects.dispatched', event.data.dispatchedOn, 1, [...scopes, `u:${event.data.unitId}`]);
      return;
    case 'ProjectClaimed':
      if (isWish)
        tally.add('wishes.claimed', event.data.claimedOn, 1, [...scopes, claimantScope(event.data.claimant)]);
      else
        tally.add(
          'projects.claimed',
          event.data.claimedOn,
          1,
          [...scopes, claimantScope(event.data.claimant)],
          [`claimant=${event.data.claimant.kind}`],
        );
      return;
    case 'ProjectClaimCancelled':
      tally.add('projects.claimsCancelled', event.data.cancelledOn, 1, [
        ...scopes,
        claimantScope(event.data.claimant),
      ]);
      return;
    case 'ProjectCompleted':
      tally.add(
        'projects.completed',
        event.data.completedOn,
        1,
        [...scopes, claimantScope(event.data.claimant)],
        [`claimant=${event.data.claimant.kind}`],
      );
      return;
    case 'MicroWishFulfilled':
      tally.add('wishes.fulfilled', event.data.fulfilledOn, 1, [
        ...scopes,
        claimantScope(event.data.claimant),
      ]);
      return;
    case 'ProjectRated':
      tally.add('projects.rated', event.data.ratedOn, 1, scopes);
      tally.add('projects.satisfaction', event.data.ratedOn, event.data.satisfaction, scopes);
      return;
    case 'ProjectCancelled':
      return;
    default:
      assertNever(event, 'project event');
  }
};

export const applyActivity = (ctx: ApplyContext, event: ActivityEvent): void => {
  const { tally, state } = ctx;
  switch (event.type) {
    case 'ActivityPlanned':
      state.set(['activity', event.data.activityId], { committeeId: event.data.organiserCommitteeId });
      return;
    case 'ActivityHeld': {
      const planned = state.get<{ committeeId: string | null }>(['activity', event.data.activityId]);
      const scopes = [
        ...ctx.regionScopes(event.data.regionId),
        ...event.data.unitIds.map((u) => `u:${u}`),
        ...(planned?.committeeId === null || planned?.committeeId === undefined
          ? []
          : [`c:${planned.committeeId}`]),
      ];
      const kind = `kind=${event.data.kind}`;
      const on = event.data.heldOn;
      tally.add('activities.held', on, 1, scopes, [
        kind,
        `coConstruction=${String(event.data.unitIds.length > 0)}`,
      ]);
      tally.add(
        'activities.participants',
        on,
        event.data.participants.length + event.data.otherParticipants,
        scopes,
        [kind],
      );
      tally.add('activities.memberParticipants', on, event.data.participants.length, scopes);
      tally.add('activities.volunteerHours', on, event.data.volunteerHours, scopes, [kind]);
      tally.add('activities.beneficiaries', on, event.data.beneficiaries, scopes);
      return;
    }
    case 'ActivityCancelled':
      return;
    default:
      assertNever(event, 'activity event');
  }
};
