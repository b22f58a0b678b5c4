import { z } from 'zod';
import { defineEvent, eventCatalog, type EventOf } from '../kernel/events.ts';
import { PlainDate } from '../kernel/plainDate.ts';
import { RegionId } from '../shared/ids.ts';
import { Name, Text } from '../shared/text.ts';

/** 市/县/区 → 街道/镇 → 社区 → 小区 → 楼栋 */
export const RegionLevel = z.enum([
  'city',
  'county',
  'district',
  'subdistrict',
  'town',
  'community',
  'compound',
  'building',
]);
export type RegionLevel = z.infer<typeof RegionLevel>;

export const RegionDefined = defineEvent(
  'RegionDefined',
  z.strictObject({
    regionId: RegionId,
    name: Name,
    level: RegionLevel,
    parentId: RegionId.nullable(),
    /** The regions above, from the root down to the parent. */
    ancestors: z.array(RegionId),
    definedOn: PlainDate,
  }),
);
export const RegionRenamed = defineEvent(
  'RegionRenamed',
  z.strictObject({ regionId: RegionId, name: Name, previousName: Name, renamedOn: PlainDate }),
);
export const RegionRetired = defineEvent(
  'RegionRetired',
  z.strictObject({ regionId: RegionId, retiredOn: PlainDate, reason: Text }),
);

export const regionEvents = eventCatalog([RegionDefined, RegionRenamed, RegionRetired]);
export type RegionEvent =
  EventOf<typeof RegionDefined> | EventOf<typeof RegionRenamed> | EventOf<typeof RegionRetired>;
