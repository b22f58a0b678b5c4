import {
  assertNever,
  categoryOf,
  domainEvents,
  ERASED,
  toEpochDay,
  yearOf,
  type DomainEvent,
  type PlainDate,
  type RecordedEvent,
} from '@cogov/domain';
import type { Key } from 'lmdb';
import type { Projection, SlotDatabases } from '../runtime/projection.ts';

export const LOOKUP_DATABASES = [
  'entities',
  'byRegion',
  'children',
  'openIssues',
  'unclaimed',
  'leaderboard',
  'points',
  'pointsEntries',
  'commands',
  'erased',
] as const;
export type LookupDatabases = SlotDatabases<(typeof LOOKUP_DATABASES)[number]>;

/** Where a command id was first used, and for what command (its digest): idempotency from the log. */
export interface CommandRecord {
  readonly streamId: string;
  readonly hash: string | null;
}

/** One line of a member's points ledger (积分台账): an award (+) or a deduction (−) in a year. */
export interface PointsEntry {
  readonly on: PlainDate;
  /** Positive for an award, negative for a deduction (as applied: the balance floors at zero). */
  readonly points: number;
  readonly cause: string;
  readonly balanceAfter: number;
  readonly reason: string | null;
}

/** Due-day key of an issue with no due date yet (unassigned): after every real date. */
export const NO_DUE = 9_999_999;

export type EntityKind =
  'region' | 'committee' | 'member' | 'unit' | 'grid' | 'issue' | 'project' | 'activity';

/** What the lookups keep of every aggregate: enough for lists and for region-scoped access checks. */
export interface Entity {
  readonly kind: EntityKind;
  readonly id: string;
  readonly name: string;
  /** The region ids from the root down to the region the entity belongs to. */
  readonly regionPath: readonly string[];
  readonly status: string;
  readonly details: Readonly<Record<string, unknown>>;
}

const entityKey = (kind: EntityKind, id: string) => [kind, id] as Key;

/**
 * The entities a batch reads and writes, through a batch-local cache: most events of a batch look
 * up the same regions and members (a region's path, a member's for points), and each read of the
 * database decodes the entity again. Written through at once, so the cache never holds what the
 * database does not; it lives for one batch (one transaction).
 */
class Lookups {
  readonly #entities = new Map<string, Entity | undefined>();

  constructor(private readonly dbs: LookupDatabases) {}

  get(kind: EntityKind, id: string): Entity | undefined {
    const k = `${kind}\u0000${id}`;
    if (this.#entities.has(k)) return this.#entities.get(k);
    const entity = this.dbs.entities.get(entityKey(kind, id)) as Entity | undefined;
    this.#entities.set(k, entity);
    return entity;
  }

  #write(entity: Entity): void {
    this.dbs.entities.putSync(entityKey(entity.kind, entity.id), entity);
    this.#entities.set(`${entity.kind}\u0000${entity.id}`, entity);
  }

  put(entity: Entity): void {
    const previous = this.get(entity.kind, entity.id);
    this.#write(entity);
    if (previous === undefined) {
      for (const region of entity.regionPath)
        this.dbs.byRegion.putSync([entity.kind, region, entity.id] as Key, entity.name);
    }
  }

  update(kind: EntityKind, id: string, change: (entity: Entity) => Entity): Entity | undefined {
    const entity = this.get(kind, id);
    if (entity === undefined) return undefined;
    const next = change(entity);
    this.#write(next);
    return next;
  }

  regionPath(regionId: string | null | undefined): readonly string[] {
    if (regionId === null || regionId === undefined) return [];
    return this.get('region', regionId)?.regionPath ?? [regionId];
  }

  openIssue(issue: Entity, dueOn: PlainDate | null): void {
    this.closeIssue(issue);
    const due = dueOn === null ? NO_DUE : toEpochDay(dueOn);
    for (const region of issue.regionPath)
      this.dbs.openIssues.putSync([region, due, issue.id] as Key, issue.id);
    this.update('issue', issue.id, (e) => ({ ...e, details: { ...e.details, dueOn, open: true } }));
  }

  closeIssue(issue: Entity): void {
    const dueOn = issue.details['dueOn'] as PlainDate | null | undefined;
    if (issue.details['open'] !== true) return;
    const due = dueOn === null || dueOn === undefined ? NO_DUE : toEpochDay(dueOn);
    for (const region of issue.regionPath) this.dbs.openIssues.removeSync([region, due, issue.id] as Key);
    this.update('issue', issue.id, (e) => ({ ...e, details: { ...e.details, open: false } }));
  }

  setUnclaimed(project: Entity, unclaimed: boolean): void {
    const listed = toEpochDay(project.details['listedOn'] as PlainDate);
    for (const region of project.regionPath) {
      const key = [region, listed, project.id] as Key;
      if (unclaimed) this.dbs.unclaimed.putSync(key, project.id);
      else this.dbs.unclaimed.removeSync(key);
    }
  }

  addPoints(memberId: string, year: number, delta: number): void {
    const member = this.get('member', memberId);
    const key = [memberId, year] as Key;
    const before = (this.dbs.points.get(key) as number | undefined) ?? 0;
    const after = before + delta;
    this.dbs.points.putSync(key, after);
    for (const region of member?.regionPath ?? []) {
      this.dbs.leaderboard.removeSync([year, region, -before, memberId] as Key);
      this.dbs.leaderboard.putSync([year, region, -after, memberId] as Key, memberId);
    }
  }
}

/**
 * The lookups the API lists: the region tree, committees, members, units and grids by region
 * (every ancestor indexes them, so a subtree is one range), open issues ordered by due date,
 * unclaimed needs and micro-wishes, points leaderboards per year and region, and where each
 * command id was used (so an Idempotency-Key keeps its promise after its stored answer is gone).
 */
export const lookupsProjection = (): Projection<(typeof LOOKUP_DATABASES)[number]> => ({
  name: 'lookups',
  // 4: `erased`, the members whose personal data was erased (a start-up no longer scans them all).
  version: 4,
  databases: LOOKUP_DATABASES,
  apply(dbs, events) {
    const lookups = new Lookups(dbs);
    // A command's events come together: its id is looked up once per batch, not once per event.
    const commands = new Set<string>();
    for (const recorded of events) {
      const commandId = recorded.metadata.commandId;
      if (commandId !== undefined && !commands.has(commandId)) {
        commands.add(commandId);
        if (dbs.commands.get(commandId) === undefined)
          dbs.commands.putSync(commandId, {
            streamId: recorded.streamId,
            hash: recorded.metadata.commandHash ?? null,
          } satisfies CommandRecord);
      }
      applyEvent(dbs, lookups, recorded);
    }
  },
});

const applyEvent = (dbs: LookupDatabases, lookups: Lookups, recorded: RecordedEvent): void => {
  const category = categoryOf(recorded.streamId);
  if (!['region', 'committee', 'member', 'unit', 'grid', 'issue', 'project', 'activity'].includes(category))
    return;
  if (!domainEvents.is(recorded)) return;
  const event: DomainEvent = recorded;
  const position = recorded.position;
  switch (event.type) {
    case 'RegionDefined': {
      const d = event.data;
      lookups.put({
        kind: 'region',
        id: d.regionId,
        name: d.name,
        regionPath: [...d.ancestors, d.regionId],
        status: 'live',
        details: { level: d.level, parentId: d.parentId, definedOn: d.definedOn },
      });
      dbs.children.putSync([d.parentId ?? '', d.regionId] as Key, d.name);
      return;
    }
    case 'RegionRenamed':
      lookups.update('region', event.data.regionId, (e) => ({ ...e, name: event.data.name }));
      return;
    case 'RegionRetired':
      lookups.update('region', event.data.regionId, (e) => ({
        ...e,
        status: 'retired',
        details: { ...e.details, retiredOn: event.data.retiredOn },
      }));
      return;
    case 'CommitteeEstablished': {
      const d = event.data;
      lookups.put({
        kind: 'committee',
        id: d.committeeId,
        name: d.name,
        regionPath: lookups.regionPath(d.regionId),
        status: 'active',
        details: { kind: d.kind, level: d.level, regionId: d.regionId, establishedOn: d.establishedOn },
      });
      return;
    }
    case 'CommitteeUpgraded':
      lookups.update('committee', event.data.committeeId, (e) => ({
        ...e,
        details: { ...e.details, kind: event.data.toKind },
      }));
      return;
    case 'CommitteeDissolved':
      lookups.update('committee', event.data.committeeId, (e) => ({
        ...e,
        status: 'dissolved',
        details: { ...e.details, dissolvedOn: event.data.dissolvedOn },
      }));
      return;
    case 'TermStarted':
      lookups.update('committee', event.data.committeeId, (e) => ({
        ...e,
        details: {
          ...e.details,
          term: { number: event.data.termNumber, startsOn: event.data.startsOn, endsOn: event.data.endsOn },
        },
      }));
      return;
    case 'MemberRegistered': {
      const d = event.data;
      lookups.put({
        kind: 'member',
        id: d.memberId,
        name: d.name,
        // A member registered with a unit's party organisation is where the unit is.
        regionPath:
          d.communityId === null && d.unitId !== null
            ? (lookups.get('unit', d.unitId)?.regionPath ?? [])
            : lookups.regionPath(d.communityId),
        status: 'registered',
        details: { category: d.category, communityId: d.communityId, unitId: d.unitId },
      });
      return;
    }
    case 'PersonalDataErased':
      // The sealed name could no longer be opened anyway; the entry says so itself.
      lookups.update('member', event.data.memberId, (e) => ({
        ...e,
        name: ERASED,
        details: { ...e.details, erased: true, erasedOn: event.data.erasedOn },
      }));
      dbs.erased.putSync(event.data.memberId, event.data.erasedOn);
      return;
    case 'MemberCategoryChanged':
      lookups.update('member', event.data.memberId, (e) => ({
        ...e,
        details: { ...e.details, category: event.data.to },
      }));
      return;
    case 'MemberTransferredOut':
      lookups.update('member', event.data.memberId, (e) => ({ ...e, status: 'transferred-out' }));
      return;
    case 'PointsAwarded': {
      const d = event.data;
      lookups.addPoints(d.memberId, d.year, d.points);
      dbs.pointsEntries.putSync([d.year, d.memberId, position] as Key, {
        on: d.awardedOn,
        points: d.points,
        cause: `${d.cause.kind}:${d.cause.sourceId}`,
        balanceAfter: d.balanceAfter,
        reason: null,
      } satisfies PointsEntry);
      return;
    }
    case 'PointsDeducted': {
      const d = event.data;
      lookups.addPoints(d.memberId, d.year, -d.points);
      dbs.pointsEntries.putSync([d.year, d.memberId, position] as Key, {
        on: d.deductedOn,
        points: -d.points,
        cause: `${d.cause.kind}:${d.cause.sourceId}`,
        balanceAfter: d.balanceAfter,
        reason: d.reason,
      } satisfies PointsEntry);
      return;
    }
    case 'UnitRegistered': {
      const d = event.data;
      lookups.put({
        kind: 'unit',
        id: d.unitId,
        name: d.name,
        regionPath: d.regionPath,
        status: 'registered',
        details: { kind: d.kind, regionId: d.regionId },
      });
      return;
    }
    case 'UnitPairedWithCommunity':
      lookups.update('unit', event.data.unitId, (e) => ({
        ...e,
        details: {
          ...e.details,
          pairedWith: [...((e.details['pairedWith'] as string[] | undefined) ?? []), event.data.communityId],
        },
      }));
      return;
    case 'UnitUnpaired':
      lookups.update('unit', event.data.unitId, (e) => ({
        ...e,
        details: {
          ...e.details,
          pairedWith: ((e.details['pairedWith'] as string[] | undefined) ?? []).filter(
            (c) => c !== event.data.communityId,
          ),
        },
      }));
      return;
    case 'GridCellDrawn': {
      const d = event.data;
      lookups.put({
        kind: 'grid',
        id: d.gridId,
        name: d.name,
        regionPath: lookups.regionPath(d.communityId),
        status: 'live',
        details: { communityId: d.communityId, households: d.households },
      });
      return;
    }
    case 'HouseholdsRecounted':
      lookups.update('grid', event.data.gridId, (e) => ({
        ...e,
        details: { ...e.details, households: event.data.households },
      }));
      return;
    case 'GridCellRetired':
      lookups.update('grid', event.data.gridId, (e) => ({ ...e, status: 'retired' }));
      return;
    case 'IssueRegistered': {
      const d = event.data;
      const issue: Entity = {
        kind: 'issue',
        id: d.issueId,
        name: d.title,
        regionPath: lookups.regionPath(d.regionId),
        status: 'open',
        details: {
          committeeId: d.committeeId,
          trade: d.trade,
          registeredOn: d.registeredOn,
          dueOn: null,
          open: false,
          assignee: null,
        },
      };
      lookups.put(issue);
      lookups.openIssue(issue, null);
      return;
    }
    case 'IssueAssigned':
    case 'IssueReassigned': {
      const assignee = event.type === 'IssueAssigned' ? event.data.assignee : event.data.to;
      const issue = lookups.update('issue', event.data.issueId, (e) => ({
        ...e,
        details: { ...e.details, assignee },
      }));
      if (issue !== undefined && issue.status === 'open') lookups.openIssue(issue, event.data.dueOn);
      return;
    }
    case 'IssueResolved':
    case 'IssueWithdrawn': {
      const status = event.type === 'IssueResolved' ? 'resolved' : 'withdrawn';
      // The ledger (台账) shows when and how quickly an issue was closed.
      const closed =
        event.type === 'IssueResolved'
          ? {
              resolvedOn: event.data.resolvedOn,
              dueOn: event.data.dueOn,
              daysToResolve: event.data.daysToResolve,
              onTime: event.data.onTime,
            }
          : { withdrawnOn: event.data.withdrawnOn };
      const issue = lookups.update('issue', event.data.issueId, (e) => ({
        ...e,
        status,
        details: { ...e.details, ...closed },
      }));
      if (issue !== undefined) lookups.closeIssue(issue);
      return;
    }
    case 'IssueReopened': {
      const issue = lookups.update('issue', event.data.issueId, (e) => ({
        ...e,
        status: 'open',
        details: { ...e.details, resolvedOn: null, daysToResolve: null, onTime: null },
      }));
      if (issue !== undefined)
        lookups.openIssue(issue, (issue.details['dueOn'] as PlainDate | null | undefined) ?? null);
      return;
    }
    case 'NeedListed':
    case 'MicroWishPosted': {
      const d = event.data;
      const listedOn = event.type === 'NeedListed' ? event.data.listedOn : event.data.postedOn;
      const project: Entity = {
        kind: 'project',
        id: d.projectId,
        name: d.title,
        regionPath: lookups.regionPath(d.communityId),
        status: 'listed',
        details: {
          kind: event.type === 'NeedListed' ? 'need' : 'micro-wish',
          communityId: d.communityId,
          listedOn,
        },
      };
      lookups.put(project);
      lookups.setUnclaimed(project, true);
      return;
    }
    case 'ProjectAgreed':
    case 'ProjectDispatched':
      lookups.update('project', event.data.projectId, (e) => ({
        ...e,
        status: event.type === 'ProjectAgreed' ? 'agreed' : 'dispatched',
      }));
      return;
    case 'ProjectClaimed':
    case 'ProjectClaimCancelled':
    case 'ProjectCompleted':
    case 'MicroWishFulfilled':
    case 'ProjectCancelled': {
      const claimed = event.type === 'ProjectClaimed';
      const closed =
        event.type === 'ProjectCompleted' ||
        event.type === 'MicroWishFulfilled' ||
        event.type === 'ProjectCancelled';
      const project = lookups.update('project', event.data.projectId, (e) => ({
        ...e,
        status: closed ? (event.type === 'ProjectCancelled' ? 'cancelled' : 'done') : e.status,
        details: { ...e.details, claimed },
      }));
      if (project !== undefined) lookups.setUnclaimed(project, !claimed && !closed);
      return;
    }
    case 'ActivityPlanned': {
      const d = event.data;
      lookups.put({
        kind: 'activity',
        id: d.activityId,
        name: d.title,
        regionPath: lookups.regionPath(d.regionId),
        status: 'planned',
        details: { kind: d.kind, scheduledFor: d.scheduledFor },
      });
      return;
    }
    case 'ActivityHeld':
    case 'ActivityCancelled':
      lookups.update('activity', event.data.activityId, (e) => ({
        ...e,
        status: event.type === 'ActivityHeld' ? 'held' : 'cancelled',
      }));
      return;
    case 'OfficerAssigned':
    case 'OfficerRelieved':
    case 'CandidateNominated':
    case 'CandidateScreened':
    case 'CandidateDeliberated':
    case 'CandidateApproved':
    case 'CandidateRejected':
    case 'PublicityStarted':
    case 'PublicityObjectionRaised':
    case 'PublicityObjectionResolved':
    case 'MemberAppointed':
    case 'DutiesAssigned':
    case 'MemberRenewed':
    case 'MemberDismissed':
    case 'MemberWithdrew':
    case 'MemberTermExpired':
    case 'AgendaItemSubmitted':
    case 'JointMeetingHeld':
    case 'MemberEvaluated':
    case 'MemberReportedToCommunity':
    case 'MemberDeregisteredFromCommunity':
    case 'HouseholdsContacted':
    case 'MemberRated':
    case 'UnitReportedToCommunity':
    case 'ResourceOffered':
    case 'GridWorkerAssigned':
    case 'GridWorkerRelieved':
    case 'GridBranchLinked':
    case 'ContactHouseholdsAssigned':
    case 'ContactHouseholdsReleased':
    case 'IssueEscalated':
    case 'IssueProgressReported':
    case 'IssueOutcomePublished':
    case 'ProjectRated':
      return;
    default:
      assertNever(event, 'domain event');
  }
};

export const yearOfDate = yearOf;
