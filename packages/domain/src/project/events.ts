import { z } from 'zod';
import { defineEvent, eventCatalog, type EventOf } from '../kernel/events.ts';
import { PlainDate } from '../kernel/plainDate.ts';
import {
  ClaimId,
  CommitteeId,
  GridId,
  MemberId,
  ProjectId,
  RegionId,
  ResourceId,
  UnitId,
} from '../shared/ids.ts';
import { DocumentRef, Name, Text } from '../shared/text.ts';

/** Who claims: a unit ("departments accept", 部门接单) or a party member (micro-wishes). */
export const Claimant = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('unit'), unitId: UnitId }),
  z.strictObject({ kind: z.literal('member'), memberId: MemberId }),
]);
export type Claimant = z.infer<typeof Claimant>;

export const NeedCategory = z.enum([
  'elderly-care',
  'children',
  'environment',
  'employment',
  'health',
  'culture',
  'safety',
  'other',
]);

const project = { projectId: ProjectId };

/** 需求清单: a need the community lists ("residents order"). */
export const NeedListed = defineEvent(
  'NeedListed',
  z.strictObject({
    ...project,
    communityId: RegionId,
    gridId: GridId.nullable(),
    title: Name,
    category: NeedCategory,
    listedBy: z.enum(['community', 'resident', 'grid-worker']),
    listedOn: PlainDate,
  }),
);
/** 微心愿: a resident's small wish, claimed by a party member. */
export const MicroWishPosted = defineEvent(
  'MicroWishPosted',
  z.strictObject({
    ...project,
    communityId: RegionId,
    gridId: GridId.nullable(),
    title: Name,
    wisher: Name,
    postedOn: PlainDate,
  }),
);
/** 项目清单: the joint meeting agrees the need as a service project on a list. */
export const ProjectAgreed = defineEvent(
  'ProjectAgreed',
  z.strictObject({
    ...project,
    agreedOn: PlainDate,
    /** The project list (项目清单) the project is on. */
    listId: z.string().trim().min(1).max(100),
    committeeId: CommitteeId.nullable(),
    meetingRef: DocumentRef.nullable(),
    resourceIds: z.array(ResourceId),
  }),
);
/** "the community dispatches" (社区派单). */
export const ProjectDispatched = defineEvent(
  'ProjectDispatched',
  z.strictObject({ ...project, unitId: UnitId, dispatchedOn: PlainDate }),
);
export const ProjectClaimed = defineEvent(
  'ProjectClaimed',
  z.strictObject({ ...project, claimId: ClaimId, claimant: Claimant, claimedOn: PlainDate }),
);
export const ProjectClaimCancelled = defineEvent(
  'ProjectClaimCancelled',
  z.strictObject({ ...project, claimId: ClaimId, claimant: Claimant, cancelledOn: PlainDate, reason: Text }),
);
export const ProjectCompleted = defineEvent(
  'ProjectCompleted',
  z.strictObject({
    ...project,
    claimant: Claimant,
    completedOn: PlainDate,
    summary: Text,
    beneficiaries: z.number().int().min(0).max(10_000_000),
  }),
);
export const MicroWishFulfilled = defineEvent(
  'MicroWishFulfilled',
  z.strictObject({ ...project, claimant: Claimant, fulfilledOn: PlainDate, note: Text }),
);
export const ProjectRated = defineEvent(
  'ProjectRated',
  z.strictObject({
    ...project,
    ratedOn: PlainDate,
    satisfaction: z.number().int().min(1).max(5),
    ratedBy: Name,
  }),
);
export const ProjectCancelled = defineEvent(
  'ProjectCancelled',
  z.strictObject({ ...project, cancelledOn: PlainDate, reason: Text }),
);

export const projectEvents = eventCatalog([
  NeedListed,
  MicroWishPosted,
  ProjectAgreed,
  ProjectDispatched,
  ProjectClaimed,
  ProjectClaimCancelled,
  ProjectCompleted,
  MicroWishFulfilled,
  ProjectRated,
  ProjectCancelled,
]);
export type ProjectEvent =
  | EventOf<typeof NeedListed>
  | EventOf<typeof MicroWishPosted>
  | EventOf<typeof ProjectAgreed>
  | EventOf<typeof ProjectDispatched>
  | EventOf<typeof ProjectClaimed>
  | EventOf<typeof ProjectClaimCancelled>
  | EventOf<typeof ProjectCompleted>
  | EventOf<typeof MicroWishFulfilled>
  | EventOf<typeof ProjectRated>
  | EventOf<typeof ProjectCancelled>;
