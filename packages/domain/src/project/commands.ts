import { z } from 'zod';
import { PlainDate } from '../kernel/plainDate.ts';
import { ClaimId, CommitteeId, GridId, ProjectId, RegionId, ResourceId, UnitId } from '../shared/ids.ts';
import { DocumentRef, Name, Text } from '../shared/text.ts';
import { Claimant, NeedCategory } from './events.ts';

const project = { projectId: ProjectId };

export const ListNeed = z.strictObject({
  type: z.literal('ListNeed'),
  ...project,
  communityId: RegionId,
  gridId: GridId.optional(),
  title: Name,
  category: NeedCategory,
  listedBy: z.enum(['community', 'resident', 'grid-worker']),
  listedOn: PlainDate,
});
export const PostMicroWish = z.strictObject({
  type: z.literal('PostMicroWish'),
  ...project,
  communityId: RegionId,
  gridId: GridId.optional(),
  title: Name,
  wisher: Name,
  postedOn: PlainDate,
});
export const AgreeProject = z.strictObject({
  type: z.literal('AgreeProject'),
  ...project,
  agreedOn: PlainDate,
  listId: z.string().trim().min(1).max(100),
  committeeId: CommitteeId.optional(),
  meetingRef: DocumentRef.optional(),
  resourceIds: z.array(ResourceId).max(50).default([]),
});
export const DispatchProject = z.strictObject({
  type: z.literal('DispatchProject'),
  ...project,
  unitId: UnitId,
  dispatchedOn: PlainDate,
});
export const ClaimProject = z.strictObject({
  type: z.literal('ClaimProject'),
  ...project,
  claimId: ClaimId,
  claimant: Claimant,
  claimedOn: PlainDate,
});
export const CancelClaim = z.strictObject({
  type: z.literal('CancelClaim'),
  ...project,
  claimId: ClaimId,
  cancelledOn: PlainDate,
  reason: Text,
});
export const CompleteProject = z.strictObject({
  type: z.literal('CompleteProject'),
  ...project,
  completedOn: PlainDate,
  summary: Text,
  beneficiaries: z.number().int().min(0).max(10_000_000).default(0),
});
export const FulfilMicroWish = z.strictObject({
  type: z.literal('FulfilMicroWish'),
  ...project,
  fulfilledOn: PlainDate,
  note: Text,
});
export const RateProject = z.strictObject({
  type: z.literal('RateProject'),
  ...project,
  ratedOn: PlainDate,
  satisfaction: z.number().int().min(1).max(5),
  ratedBy: Name,
});
export const CancelProject = z.strictObject({
  type: z.literal('CancelProject'),
  ...project,
  cancelledOn: PlainDate,
  reason: Text,
});

export const ProjectCommand = z.discriminatedUnion('type', [
  ListNeed,
  PostMicroWish,
  AgreeProject,
  DispatchProject,
  ClaimProject,
  CancelClaim,
  CompleteProject,
  FulfilMicroWish,
  RateProject,
  CancelProject,
]);
export type ProjectCommand = z.infer<typeof ProjectCommand>;
