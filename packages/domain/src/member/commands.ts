import { z } from 'zod';
import { PlainDate } from '../kernel/plainDate.ts';
import { GridId, MemberId, RegionId, UnitId } from '../shared/ids.ts';
import { Name, Text } from '../shared/text.ts';
import { MemberCategory, MemberRating, PointsCause } from './events.ts';

export const RegisterMember = z.strictObject({
  type: z.literal('RegisterMember'),
  memberId: MemberId,
  name: Name,
  category: MemberCategory,
  communityId: RegionId.optional(),
  unitId: UnitId.optional(),
  registeredOn: PlainDate,
});
export const ReportToCommunity = z.strictObject({
  type: z.literal('ReportToCommunity'),
  memberId: MemberId,
  communityId: RegionId,
  reportedOn: PlainDate,
  role: z.string().trim().min(1).max(100).optional(),
});
export const DeregisterFromCommunity = z.strictObject({
  type: z.literal('DeregisterFromCommunity'),
  memberId: MemberId,
  communityId: RegionId,
  deregisteredOn: PlainDate,
  reason: Text,
});
export const ChangeMemberCategory = z.strictObject({
  type: z.literal('ChangeMemberCategory'),
  memberId: MemberId,
  category: MemberCategory,
  changedOn: PlainDate,
});
export const RecordHouseholdContacts = z.strictObject({
  type: z.literal('RecordHouseholdContacts'),
  memberId: MemberId,
  gridId: GridId,
  households: z.number().int().min(1).max(10_000),
  contactedOn: PlainDate,
});
export const AwardPoints = z.strictObject({
  type: z.literal('AwardPoints'),
  memberId: MemberId,
  points: z.number().int().min(1).max(1000),
  cause: PointsCause,
  awardedOn: PlainDate,
});
export const DeductPoints = z.strictObject({
  type: z.literal('DeductPoints'),
  memberId: MemberId,
  points: z.number().int().min(1).max(1000),
  cause: PointsCause,
  deductedOn: PlainDate,
  reason: Text,
});
export const RateMember = z.strictObject({
  type: z.literal('RateMember'),
  memberId: MemberId,
  year: z.number().int().min(1949).max(2199),
  rating: MemberRating,
  ratedOn: PlainDate,
});
export const TransferMemberOut = z.strictObject({
  type: z.literal('TransferMemberOut'),
  memberId: MemberId,
  transferredOn: PlainDate,
  destination: Name,
});

/** Erases a member's personal data (PIPL): an admin's act, with its legal basis and reference. */
export const ErasePersonalData = z.strictObject({
  type: z.literal('ErasePersonalData'),
  memberId: MemberId,
  legalBasis: Text,
  reference: z.string().trim().min(1).max(200),
  erasedOn: PlainDate,
});

export const MemberCommand = z.discriminatedUnion('type', [
  RegisterMember,
  ReportToCommunity,
  DeregisterFromCommunity,
  ChangeMemberCategory,
  RecordHouseholdContacts,
  AwardPoints,
  DeductPoints,
  RateMember,
  TransferMemberOut,
  ErasePersonalData,
]);
export type MemberCommand = z.infer<typeof MemberCommand>;
