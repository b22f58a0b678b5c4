import { z } from 'zod';
import { defineEvent, eventCatalog, type EventOf } from '../kernel/events.ts';
import { PlainDate } from '../kernel/plainDate.ts';
import { CommitteeId, GridId, MemberId, RegionId, WorkerId } from '../shared/ids.ts';
import { Name, Text } from '../shared/text.ts';

const Households = z.number().int().min(1).max(100_000);

export const GridCellDrawn = defineEvent(
  'GridCellDrawn',
  z.strictObject({
    gridId: GridId,
    communityId: RegionId,
    name: Name,
    households: Households,
    drawnOn: PlainDate,
    /** More than 1.5 times the policy's standard (e.g. 300 households): recorded, not refused. */
    aboveStandard: z.boolean(),
  }),
);
export const HouseholdsRecounted = defineEvent(
  'HouseholdsRecounted',
  z.strictObject({ gridId: GridId, households: Households, previous: Households, recountedOn: PlainDate }),
);
export const GridWorkerAssigned = defineEvent(
  'GridWorkerAssigned',
  z.strictObject({ gridId: GridId, workerId: WorkerId, name: Name, assignedOn: PlainDate }),
);
export const GridWorkerRelieved = defineEvent(
  'GridWorkerRelieved',
  z.strictObject({ gridId: GridId, workerId: WorkerId, relievedOn: PlainDate }),
);
export const GridBranchLinked = defineEvent(
  'GridBranchLinked',
  z.strictObject({ gridId: GridId, committeeId: CommitteeId, linkedOn: PlainDate }),
);
export const ContactHouseholdsAssigned = defineEvent(
  'ContactHouseholdsAssigned',
  z.strictObject({ gridId: GridId, memberId: MemberId, households: Households, assignedOn: PlainDate }),
);
export const ContactHouseholdsReleased = defineEvent(
  'ContactHouseholdsReleased',
  z.strictObject({ gridId: GridId, memberId: MemberId, households: Households, releasedOn: PlainDate }),
);
export const GridCellRetired = defineEvent(
  'GridCellRetired',
  z.strictObject({ gridId: GridId, retiredOn: PlainDate, reason: Text }),
);

export const gridEvents = eventCatalog([
  GridCellDrawn,
  HouseholdsRecounted,
  GridWorkerAssigned,
  GridWorkerRelieved,
  GridBranchLinked,
  ContactHouseholdsAssigned,
  ContactHouseholdsReleased,
  GridCellRetired,
]);
export type GridEvent =
  | EventOf<typeof GridCellDrawn>
  | EventOf<typeof HouseholdsRecounted>
  | EventOf<typeof GridWorkerAssigned>
  | EventOf<typeof GridWorkerRelieved>
  | EventOf<typeof GridBranchLinked>
  | EventOf<typeof ContactHouseholdsAssigned>
  | EventOf<typeof ContactHouseholdsReleased>
  | EventOf<typeof GridCellRetired>;
