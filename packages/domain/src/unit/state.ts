import { assertNever } from '../kernel/decider.ts';
import { PersistentSet } from '../kernel/persistentSet.ts';
import type { PlainDate } from '../kernel/plainDate.ts';
import type { RegionId, UnitId } from '../shared/ids.ts';
import type { UnitEvent, UnitKind } from './events.ts';

/** One pairing of the unit with a community: [pairedOn, unpairedOn). */
export interface Pairing {
  readonly communityId: RegionId;
  readonly pairedOn: PlainDate;
  readonly unpairedOn: PlainDate | null;
  readonly reportedOn: PlainDate | null;
}

export type UnitState =
  | { readonly status: 'absent' }
  | {
      readonly status: 'registered';
      readonly id: UnitId;
      readonly name: string;
      readonly kind: UnitKind;
      readonly regionId: RegionId;
      readonly regionPath: readonly RegionId[];
      readonly registeredOn: PlainDate;
      /** Every pairing, oldest first; at most one open per community. */
      readonly pairings: readonly Pairing[];
      readonly resources: PersistentSet<string>;
    };

export const initialUnitState: UnitState = { status: 'absent' };

export const evolveUnit = (state: UnitState, event: UnitEvent): UnitState => {
  if (event.type === 'UnitRegistered') {
    return {
      status: 'registered',
      id: event.data.unitId,
      name: event.data.name,
      kind: event.data.kind,
      regionId: event.data.regionId,
      regionPath: event.data.regionPath,
      registeredOn: event.data.registeredOn,
      pairings: [],
      resources: PersistentSet.empty(),
    };
  }
  if (state.status === 'absent') return state;
  switch (event.type) {
    case 'UnitPairedWithCommunity':
      return {
        ...state,
        pairings: [
          ...state.pairings,
          {
            communityId: event.data.communityId,
            pairedOn: event.data.pairedOn,
            unpairedOn: null,
            reportedOn: null,
          },
        ],
      };
    case 'UnitUnpaired':
      return {
        ...state,
        pairings: state.pairings.map((p) =>
          p.communityId === event.data.communityId && p.unpairedOn === null
            ? { ...p, unpairedOn: event.data.unpairedOn }
            : p,
        ),
      };
    case 'UnitReportedToCommunity':
      return {
        ...state,
        pairings: state.pairings.map((p) =>
          p.communityId === event.data.communityId && p.unpairedOn === null
            ? { ...p, reportedOn: event.data.reportedOn }
            : p,
        ),
      };
    case 'ResourceOffered':
      return { ...state, resources: state.resources.add(event.data.resourceId) };
    default:
      return assertNever(event, 'unit event');
  }
};

/** The unit's open pairing with a community, if any. */
export const openPairing = (state: UnitState, communityId: RegionId): Pairing | undefined =>
  state.status === 'absent'
    ? undefined
    : state.pairings.find((p) => p.communityId === communityId && p.unpairedOn === null);

/** Whether the unit was paired with the community on a date. */
export const pairedOn = (state: UnitState, communityId: RegionId, date: PlainDate): boolean =>
  state.status !== 'absent' &&
  state.pairings.some(
    (p) =>
      p.communityId === communityId && p.pairedOn <= date && (p.unpairedOn === null || date < p.unpairedOn),
  );
