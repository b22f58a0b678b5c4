import { z } from 'zod';
import { PlainDate } from '../kernel/plainDate.ts';
import { RegionId } from '../shared/ids.ts';
import { Name, Text } from '../shared/text.ts';
import { RegionLevel } from './events.ts';

export const DefineRegion = z.strictObject({
  type: z.literal('DefineRegion'),
  regionId: RegionId,
  name: Name,
  level: RegionLevel,
  /** Absent only for a city or county at the root. */
  parentId: RegionId.optional(),
  definedOn: PlainDate,
});
export const RenameRegion = z.strictObject({
  type: z.literal('RenameRegion'),
  regionId: RegionId,
  name: Name,
  renamedOn: PlainDate,
});
export const RetireRegion = z.strictObject({
  type: z.literal('RetireRegion'),
  regionId: RegionId,
  retiredOn: PlainDate,
  reason: Text,
});

export const RegionCommand = z.discriminatedUnion('type', [DefineRegion, RenameRegion, RetireRegion]);
export type RegionCommand = z.infer<typeof RegionCommand>;
