import { z } from 'zod';
import { defineEvent, eventCatalog, type EventOf } from '../kernel/events.ts';
import { PlainDate } from '../kernel/plainDate.ts';
import { CommitteeId, GridId, IssueId, MemberId, RegionId, UnitId } from '../shared/ids.ts';
import { Name, Text } from '../shared/text.ts';

/** The trade an issue belongs to: problems are assigned to members by trade (结合兼职委员行业特点). */
export const Trade = z.enum([
  'property',
  'sanitation',
  'security',
  'traffic',
  'employment',
  'elderly-care',
  'education',
  'health',
  'infrastructure',
  'other',
]);
export type Trade = z.infer<typeof Trade>;

export const IssueSource = z.enum([
  'resident',
  'grid-worker',
  'part-time-member',
  'member-unit',
  'inspection',
]);

/** Who handles an issue: a part-time member (or officer) of the ledger's committee, or a paired unit. */
export const Assignee = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('member'), personId: MemberId }),
  z.strictObject({ kind: z.literal('unit'), unitId: UnitId }),
]);
export type Assignee = z.infer<typeof Assignee>;

const issue = { issueId: IssueId };

export const IssueRegistered = defineEvent(
  'IssueRegistered',
  z.strictObject({
    ...issue,
    /** The committee whose ledger (台账) holds the issue. */
    committeeId: CommitteeId,
    regionId: RegionId,
    gridId: GridId.nullable(),
    title: Name,
    trade: Trade,
    source: IssueSource,
    raisedBy: Name.nullable(),
    registeredOn: PlainDate,
  }),
);
export const IssueAssigned = defineEvent(
  'IssueAssigned',
  z.strictObject({ ...issue, assignee: Assignee, assignedOn: PlainDate, dueOn: PlainDate }),
);
export const IssueReassigned = defineEvent(
  'IssueReassigned',
  z.strictObject({
    ...issue,
    from: Assignee,
    to: Assignee,
    reassignedOn: PlainDate,
    dueOn: PlainDate,
    reason: Text,
  }),
);
/** 督办: follow-up of an overdue issue by a higher level. */
export const IssueEscalated = defineEvent(
  'IssueEscalated',
  z.strictObject({
    ...issue,
    escalatedOn: PlainDate,
    to: z.enum(['committee-secretary', 'subdistrict', 'county']),
    daysOverdue: z.number().int().min(1),
    note: Text,
  }),
);
export const IssueProgressReported = defineEvent(
  'IssueProgressReported',
  z.strictObject({ ...issue, reportedOn: PlainDate, note: Text }),
);
export const IssueResolved = defineEvent(
  'IssueResolved',
  z.strictObject({
    ...issue,
    resolvedOn: PlainDate,
    resolution: Text,
    assignee: Assignee,
    /** When this opening began (registration, or the latest reopening). */
    openedOn: PlainDate,
    dueOn: PlainDate,
    daysToResolve: z.number().int().min(0),
    onTime: z.boolean(),
  }),
);
export const IssueOutcomePublished = defineEvent(
  'IssueOutcomePublished',
  z.strictObject({
    ...issue,
    publishedOn: PlainDate,
    channel: z.enum(['notice-board', 'wechat-group', 'meeting', 'door-to-door']),
    audience: Name,
  }),
);
export const IssueReopened = defineEvent(
  'IssueReopened',
  z.strictObject({ ...issue, reopenedOn: PlainDate, reason: Text }),
);
export const IssueWithdrawn = defineEvent(
  'IssueWithdrawn',
  z.strictObject({ ...issue, withdrawnOn: PlainDate, reason: Text }),
);

export const issueEvents = eventCatalog([
  IssueRegistered,
  IssueAssigned,
  IssueReassigned,
  IssueEscalated,
  IssueProgressReported,
  IssueResolved,
  IssueOutcomePublished,
  IssueReopened,
  IssueWithdrawn,
]);
export type IssueEvent =
  | EventOf<typeof IssueRegistered>
  | EventOf<typeof IssueAssigned>
  | EventOf<typeof IssueReassigned>
  | EventOf<typeof IssueEscalated>
  | EventOf<typeof IssueProgressReported>
  | EventOf<typeof IssueResolved>
  | EventOf<typeof IssueOutcomePublished>
  | EventOf<typeof IssueReopened>
  | EventOf<typeof IssueWithdrawn>;
