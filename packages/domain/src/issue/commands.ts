import { z } from 'zod';
import { PlainDate } from '../kernel/plainDate.ts';
import { CommitteeId, GridId, IssueId } from '../shared/ids.ts';
import { Name, Text } from '../shared/text.ts';
import { Assignee, IssueSource, Trade } from './events.ts';

const issue = { issueId: IssueId };

export const RegisterIssue = z.strictObject({
  type: z.literal('RegisterIssue'),
  ...issue,
  committeeId: CommitteeId,
  gridId: GridId.optional(),
  title: Name,
  trade: Trade,
  source: IssueSource,
  raisedBy: Name.optional(),
  registeredOn: PlainDate,
});
export const AssignIssue = z.strictObject({
  type: z.literal('AssignIssue'),
  ...issue,
  assignee: Assignee,
  assignedOn: PlainDate,
  dueOn: PlainDate,
});
export const ReassignIssue = z.strictObject({
  type: z.literal('ReassignIssue'),
  ...issue,
  assignee: Assignee,
  reassignedOn: PlainDate,
  /** Defaults to the current due date. */
  dueOn: PlainDate.optional(),
  reason: Text,
});
export const EscalateIssue = z.strictObject({
  type: z.literal('EscalateIssue'),
  ...issue,
  escalatedOn: PlainDate,
  to: z.enum(['committee-secretary', 'subdistrict', 'county']),
  note: Text,
});
export const ReportIssueProgress = z.strictObject({
  type: z.literal('ReportIssueProgress'),
  ...issue,
  reportedOn: PlainDate,
  note: Text,
});
export const ResolveIssue = z.strictObject({
  type: z.literal('ResolveIssue'),
  ...issue,
  resolvedOn: PlainDate,
  resolution: Text,
});
export const PublishIssueOutcome = z.strictObject({
  type: z.literal('PublishIssueOutcome'),
  ...issue,
  publishedOn: PlainDate,
  channel: z.enum(['notice-board', 'wechat-group', 'meeting', 'door-to-door']),
  audience: Name,
});
export const ReopenIssue = z.strictObject({
  type: z.literal('ReopenIssue'),
  ...issue,
  reopenedOn: PlainDate,
  reason: Text,
});
export const WithdrawIssue = z.strictObject({
  type: z.literal('WithdrawIssue'),
  ...issue,
  withdrawnOn: PlainDate,
  reason: Text,
});

export const IssueCommand = z.discriminatedUnion('type', [
  RegisterIssue,
  AssignIssue,
  ReassignIssue,
  EscalateIssue,
  ReportIssueProgress,
  ResolveIssue,
  PublishIssueOutcome,
  ReopenIssue,
  WithdrawIssue,
]);
export type IssueCommand = z.infer<typeof IssueCommand>;
