import {
  assertNever,
  type ActivityEvent,
  type Assignee,
  type Claimant,
  type GridEvent,
  type IssueEvent,
  type ProjectEvent,
} from '@cogov/domain';
import type { ApplyContext } from './context.ts';

interface GridRecord {
  readonly communityId: string;
  readonly households: number;
  readonly branch: boolean;
  readonly workers: number;
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
        workers: 0,
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
    case 'GridWorkerAssigned':
      tally.add('grids.workers', event.data.assignedOn, 1, scopes);
      update({ workers: (grid?.workers ?? 0) + 1 });
      return;
    case 'GridWorkerRelieved':
      tally.add('grids.workers', event.data.relievedOn, -1, scopes);
      update({ workers: (grid?.workers ?? 1) - 1 });
      return;
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
        tally.add('grids.workers', on, -grid.workers, scopes);
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
