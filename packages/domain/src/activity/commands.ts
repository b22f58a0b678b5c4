import { z } from 'zod';
import { PlainDate } from '../kernel/plainDate.ts';
import { ActivityKind } from '../policy/schema.ts';
import { ActivityId, CommitteeId, MemberId, RegionId, UnitId } from '../shared/ids.ts';
import { Name, Text } from '../shared/text.ts';

export const PlanActivity = z.strictObject({
  type: z.literal('PlanActivity'),
  activityId: ActivityId,
  kind: ActivityKind,
  regionId: RegionId,
  title: Name,
  scheduledFor: PlainDate,
  organiserCommitteeId: CommitteeId.optional(),
  unitIds: z.array(UnitId).max(100).default([]),
  plannedOn: PlainDate,
});
export const HoldActivity = z.strictObject({
  type: z.literal('HoldActivity'),
  activityId: ActivityId,
  heldOn: PlainDate,
  participants: z.array(MemberId).max(5000).default([]),
  otherParticipants: z.number().int().min(0).max(1_000_000).default(0),
  volunteerHours: z.number().min(0).max(1_000_000).default(0),
  beneficiaries: z.number().int().min(0).max(10_000_000).default(0),
});
export const CancelActivity = z.strictObject({
  type: z.literal('CancelActivity'),
  activityId: ActivityId,
  cancelledOn: PlainDate,
  reason: Text,
});

export const ActivityCommand = z.discriminatedUnion('type', [PlanActivity, HoldActivity, CancelActivity]);
export type ActivityCommand = z.infer<typeof ActivityCommand>;
