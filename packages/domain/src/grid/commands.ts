import { z } from 'zod';
import { PlainDate } from '../kernel/plainDate.ts';
import { CommitteeId, GridId, MemberId, RegionId, WorkerId } from '../shared/ids.ts';
import { Name, Text } from '../shared/text.ts';

const Households = z.number().int().min(1).max(100_000);

export const DrawGridCell = z.strictObject({
  type: z.literal('DrawGridCell'),
  gridId: GridId,
  communityId: RegionId,
  name: Name,
  households: Households,
  drawnOn: PlainDate,
});
export const RecountHouseholds = z.strictObject({
  type: z.literal('RecountHouseholds'),
  gridId: GridId,
  households: Households,
  recountedOn: PlainDate,
});
export const AssignGridWorker = z.strictObject({
  type: z.literal('AssignGridWorker'),
  gridId: GridId,
  workerId: WorkerId,
  name: Name,
  assignedOn: PlainDate,
});
export const RelieveGridWorker = z.strictObject({
  type: z.literal('RelieveGridWorker'),
  gridId: GridId,
  workerId: WorkerId,
  relievedOn: PlainDate,
});
export const LinkGridBranch = z.strictObject({
  type: z.literal('LinkGridBranch'),
  gridId: GridId,
  committeeId: CommitteeId,
  linkedOn: PlainDate,
});
export const AssignContactHouseholds = z.strictObject({
  type: z.literal('AssignContactHouseholds'),
  gridId: GridId,
  memberId: MemberId,
  households: Households,
  assignedOn: PlainDate,
});
export const ReleaseContactHouseholds = z.strictObject({
  type: z.literal('ReleaseContactHouseholds'),
  gridId: GridId,
  memberId: MemberId,
  releasedOn: PlainDate,
});
export const RetireGridCell = z.strictObject({
  type: z.literal('RetireGridCell'),
  gridId: GridId,
  retiredOn: PlainDate,
  reason: Text,
});

export const GridCommand = z.discriminatedUnion('type', [
  DrawGridCell,
  RecountHouseholds,
  AssignGridWorker,
  RelieveGridWorker,
  LinkGridBranch,
  AssignContactHouseholds,
  ReleaseContactHouseholds,
  RetireGridCell,
]);
export type GridCommand = z.infer<typeof GridCommand>;
