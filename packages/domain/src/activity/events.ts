import { z } from 'zod';
import { defineEvent, eventCatalog, type EventOf } from '../kernel/events.ts';
import { PlainDate } from '../kernel/plainDate.ts';
import { ActivityKind } from '../policy/schema.ts';
import { ActivityId, CommitteeId, MemberId, RegionId, UnitId } from '../shared/ids.ts';
import { Name, Text } from '../shared/text.ts';

export { ActivityKind };

/** 共驻共建活动: planned by a community or subdistrict, usually with units of the area. */
export const ActivityPlanned = defineEvent(
  'ActivityPlanned',
  z.strictObject({
    activityId: ActivityId,
    kind: ActivityKind,
    regionId: RegionId,
    title: Name,
    scheduledFor: PlainDate,
    organiserCommitteeId: CommitteeId.nullable(),
    /** Units organising it with the community: a co-construction activity when not empty. */
    unitIds: z.array(UnitId),
    plannedOn: PlainDate,
  }),
);
export const ActivityHeld = defineEvent(
  'ActivityHeld',
  z.strictObject({
    activityId: ActivityId,
    kind: ActivityKind,
    regionId: RegionId,
    unitIds: z.array(UnitId),
    heldOn: PlainDate,
    /** Party members who took part (they earn points). */
    participants: z.array(MemberId),
    /** Others who took part (residents, volunteers who are not party members). */
    otherParticipants: z.number().int().min(0),
    volunteerHours: z.number().min(0),
    beneficiaries: z.number().int().min(0),
  }),
);
export const ActivityCancelled = defineEvent(
  'ActivityCancelled',
  z.strictObject({ activityId: ActivityId, cancelledOn: PlainDate, reason: Text }),
);

export const activityEvents = eventCatalog([ActivityPlanned, ActivityHeld, ActivityCancelled]);
export type ActivityEvent =
  EventOf<typeof ActivityPlanned> | EventOf<typeof ActivityHeld> | EventOf<typeof ActivityCancelled>;
