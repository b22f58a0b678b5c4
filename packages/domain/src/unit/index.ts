import type { Decider } from '../kernel/decider.ts';
import { streamIdOf } from '../kernel/ids.ts';
import type { FactRequest } from '../shared/facts.ts';
import type { UnitId } from '../shared/ids.ts';
import type { UnitCommand } from './commands.ts';
import { decideUnit, type UnitContext } from './decide.ts';
import type { UnitEvent } from './events.ts';
import { evolveUnit, initialUnitState, type UnitState } from './state.ts';
import { placeIn, type Place } from '../shared/place.ts';

export * from './events.ts';
export * from './commands.ts';
export {
  type UnitState,
  type Pairing,
  initialUnitState,
  evolveUnit,
  openPairing,
  pairedOn,
} from './state.ts';
export { decideUnit, type UnitContext, type UnitFacts } from './decide.ts';

/** A unit located in the area (驻区单位): pairing, dual reporting, its resource list. Stream `unit-{id}`. */
export const unitDecider: Decider<UnitCommand, UnitEvent, UnitState, UnitContext> = {
  decide: decideUnit,
  evolve: evolveUnit,
  initialState: initialUnitState,
};

export const unitStream = (id: UnitId) => streamIdOf('unit', id);

export const unitFacts = (command: UnitCommand): FactRequest => {
  if (command.type === 'RegisterUnit') return { region: command.regionId };
  if (command.type === 'PairUnitWithCommunity' || command.type === 'ReportUnitToCommunity')
    return { region: command.communityId };
  return {};
};

/** Where a unit is: the region it was registered in; it also serves the communities it is paired with. */
export const unitPlace = (state: UnitState): Place | null =>
  state.status === 'absent'
    ? null
    : placeIn(
        state.regionId,
        state.pairings.filter((p) => p.unpairedOn === null).map((p) => p.communityId),
      );
