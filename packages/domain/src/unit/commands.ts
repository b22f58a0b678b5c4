import { z } from 'zod';
import { PlainDate } from '../kernel/plainDate.ts';
import { RegionId, ResourceId, UnitId } from '../shared/ids.ts';
import { DocumentRef, Name, Text } from '../shared/text.ts';
import { ResourceKind, UnitKind } from './events.ts';

export const RegisterUnit = z.strictObject({
  type: z.literal('RegisterUnit'),
  unitId: UnitId,
  name: Name,
  kind: UnitKind,
  regionId: RegionId,
  registeredOn: PlainDate,
});
export const PairUnitWithCommunity = z.strictObject({
  type: z.literal('PairUnitWithCommunity'),
  unitId: UnitId,
  communityId: RegionId,
  pairedOn: PlainDate,
  agreementRef: DocumentRef.optional(),
});
export const UnpairUnit = z.strictObject({
  type: z.literal('UnpairUnit'),
  unitId: UnitId,
  communityId: RegionId,
  unpairedOn: PlainDate,
  reason: Text,
});
export const ReportUnitToCommunity = z.strictObject({
  type: z.literal('ReportUnitToCommunity'),
  unitId: UnitId,
  communityId: RegionId,
  reportedOn: PlainDate,
});
export const OfferResource = z.strictObject({
  type: z.literal('OfferResource'),
  unitId: UnitId,
  resourceId: ResourceId,
  title: Name,
  kind: ResourceKind,
  offeredOn: PlainDate,
});

export const UnitCommand = z.discriminatedUnion('type', [
  RegisterUnit,
  PairUnitWithCommunity,
  UnpairUnit,
  ReportUnitToCommunity,
  OfferResource,
]);
export type UnitCommand = z.infer<typeof UnitCommand>;
