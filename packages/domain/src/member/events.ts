import { z } from 'zod';
import { defineEvent, eventCatalog, type EventOf } from '../kernel/events.ts';
import { PlainDate } from '../kernel/plainDate.ts';
import { GridId, MemberId, RegionId, UnitId } from '../shared/ids.ts';
import { Name, Text } from '../shared/text.ts';

/** 在职 / 离退休 / 社区直管 / 流动 / 居民 */
export const MemberCategory = z.enum(['in-service', 'retired', 'community-managed', 'floating', 'resident']);
export type MemberCategory = z.infer<typeof MemberCategory>;

/** The democratic rating of a party member: 优秀 / 合格 / 基本合格 / 不合格. */
export const MemberRating = z.enum(['excellent', 'qualified', 'basically-qualified', 'unqualified']);
export type MemberRating = z.infer<typeof MemberRating>;

/** What earned or cost points; the same cause never scores twice. */
export const PointsCause = z.strictObject({
  kind: z.enum(['activity', 'issue', 'joint-meeting', 'volunteering', 'study', 'manual']),
  /** The event id (or document reference) the points come from. */
  sourceId: z.string().min(1).max(128),
});
export type PointsCause = z.infer<typeof PointsCause>;

export const MemberRegistered = defineEvent(
  'MemberRegistered',
  z.strictObject({
    memberId: MemberId,
    name: Name,
    category: MemberCategory,
    /** The community the member lives in. */
    communityId: RegionId.nullable(),
    /** The member's workplace unit. */
    unitId: UnitId.nullable(),
    registeredOn: PlainDate,
  }),
);
export const MemberReportedToCommunity = defineEvent(
  'MemberReportedToCommunity',
  z.strictObject({
    memberId: MemberId,
    communityId: RegionId,
    reportedOn: PlainDate,
    /** What the member serves as there (e.g. stairwell head, 单元长). */
    role: z.string().trim().min(1).max(100).nullable(),
  }),
);
export const MemberDeregisteredFromCommunity = defineEvent(
  'MemberDeregisteredFromCommunity',
  z.strictObject({ memberId: MemberId, communityId: RegionId, deregisteredOn: PlainDate, reason: Text }),
);
export const MemberCategoryChanged = defineEvent(
  'MemberCategoryChanged',
  z.strictObject({ memberId: MemberId, from: MemberCategory, to: MemberCategory, changedOn: PlainDate }),
);
export const HouseholdsContacted = defineEvent(
  'HouseholdsContacted',
  z.strictObject({
    memberId: MemberId,
    gridId: GridId,
    households: z.number().int().min(1).max(10_000),
    contactedOn: PlainDate,
  }),
);
export const PointsAwarded = defineEvent(
  'PointsAwarded',
  z.strictObject({
    memberId: MemberId,
    year: z.number().int(),
    points: z.number().int().min(1),
    cause: PointsCause,
    awardedOn: PlainDate,
    balanceAfter: z.number().int().min(0),
  }),
);
export const PointsDeducted = defineEvent(
  'PointsDeducted',
  z.strictObject({
    memberId: MemberId,
    year: z.number().int(),
    /** Applied: never more than the balance, which floors at zero. */
    points: z.number().int().min(1),
    requested: z.number().int().min(1),
    cause: PointsCause,
    deductedOn: PlainDate,
    reason: Text,
    balanceAfter: z.number().int().min(0),
  }),
);
export const MemberRated = defineEvent(
  'MemberRated',
  z.strictObject({ memberId: MemberId, year: z.number().int(), rating: MemberRating, ratedOn: PlainDate }),
);
export const MemberTransferredOut = defineEvent(
  'MemberTransferredOut',
  z.strictObject({ memberId: MemberId, transferredOn: PlainDate, destination: Name }),
);

/**
 * The member's personal data was erased (PIPL) on a legal basis: from now on every read shows it
 * as erased; every figure that counted the member stays as it was.
 */
export const PersonalDataErased = defineEvent(
  'PersonalDataErased',
  z.strictObject({
    memberId: MemberId,
    /** The legal basis (e.g. 《个人信息保护法》第四十七条, the person's request). */
    legalBasis: Text,
    /** The request or decision it answers (document number). */
    reference: z.string().trim().min(1).max(200),
    erasedOn: PlainDate,
  }),
);

export const memberEvents = eventCatalog([
  MemberRegistered,
  MemberReportedToCommunity,
  MemberDeregisteredFromCommunity,
  MemberCategoryChanged,
  HouseholdsContacted,
  PointsAwarded,
  PointsDeducted,
  MemberRated,
  MemberTransferredOut,
  PersonalDataErased,
]);
export type MemberEvent =
  | EventOf<typeof MemberRegistered>
  | EventOf<typeof MemberReportedToCommunity>
  | EventOf<typeof MemberDeregisteredFromCommunity>
  | EventOf<typeof MemberCategoryChanged>
  | EventOf<typeof HouseholdsContacted>
  | EventOf<typeof PointsAwarded>
  | EventOf<typeof PointsDeducted>
  | EventOf<typeof MemberRated>
  | EventOf<typeof MemberTransferredOut>
  | EventOf<typeof PersonalDataErased>;
