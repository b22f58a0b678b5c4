import { z } from 'zod';
import { defineEvent, eventCatalog, type EventOf } from '../kernel/events.ts';
import { PlainDate } from '../kernel/plainDate.ts';
import { RegionId, ResourceId, UnitId } from '../shared/ids.ts';
import { DocumentRef, Name, Text } from '../shared/text.ts';

/** 驻区单位: organs, public institutions, state enterprises, financial units, private firms, … */
export const UnitKind = z.enum([
  'organ',
  'public-institution',
  'state-enterprise',
  'financial',
  'private-enterprise',
  'school',
  'social-organisation',
  'property-company',
]);
export type UnitKind = z.infer<typeof UnitKind>;

export const ResourceKind = z.enum(['venue', 'expertise', 'funds', 'volunteers', 'equipment', 'other']);
export type ResourceKind = z.infer<typeof ResourceKind>;

export const UnitRegistered = defineEvent(
  'UnitRegistered',
  z.strictObject({
    unitId: UnitId,
    name: Name,
    kind: UnitKind,
    regionId: RegionId,
    /** The region ids from the root down to the unit's region: its area. */
    regionPath: z.array(RegionId).min(1),
    registeredOn: PlainDate,
  }),
);
export const UnitPairedWithCommunity = defineEvent(
  'UnitPairedWithCommunity',
  z.strictObject({
    unitId: UnitId,
    communityId: RegionId,
    pairedOn: PlainDate,
    agreementRef: DocumentRef.nullable(),
  }),
);
export const UnitUnpaired = defineEvent(
  'UnitUnpaired',
  z.strictObject({ unitId: UnitId, communityId: RegionId, unpairedOn: PlainDate, reason: Text }),
);
export const UnitReportedToCommunity = defineEvent(
  'UnitReportedToCommunity',
  z.strictObject({ unitId: UnitId, communityId: RegionId, reportedOn: PlainDate }),
);
export const ResourceOffered = defineEvent(
  'ResourceOffered',
  z.strictObject({
    unitId: UnitId,
    resourceId: ResourceId,
    title: Name,
    kind: ResourceKind,
    offeredOn: PlainDate,
  }),
);

export const unitEvents = eventCatalog([
  UnitRegistered,
  UnitPairedWithCommunity,
  UnitUnpaired,
  UnitReportedToCommunity,
  ResourceOffered,
]);
export type UnitEvent =
  | EventOf<typeof UnitRegistered>
  | EventOf<typeof UnitPairedWithCommunity>
  | EventOf<typeof UnitUnpaired>
  | EventOf<typeof UnitReportedToCommunity>
  | EventOf<typeof ResourceOffered>;
