import type { Decider } from '../kernel/decider.ts';
import { streamIdOf } from '../kernel/ids.ts';
import type { FactRequest } from '../shared/facts.ts';
import type { RegionId } from '../shared/ids.ts';
import type { RegionCommand } from './commands.ts';
import { decideRegion, type RegionContext } from './decide.ts';
import type { RegionEvent } from './events.ts';
import { evolveRegion, initialRegionState, type RegionState } from './state.ts';
import { placeIn, type Place } from '../shared/place.ts';

export * from './events.ts';
export * from './commands.ts';
export { type RegionState, initialRegionState, evolveRegion, regionPath } from './state.ts';
export { decideRegion, type RegionContext, type RegionFacts } from './decide.ts';

/**
 * The region tree (市/县 → 街道/镇 → 社区 → 小区 → 楼栋). Stream `region-{id}`.
 *
 * @example
 * regionDecider.decide({ type: 'DefineRegion', regionId, name: '林城镇', level: 'town', parentId: county, definedOn }, state, context);
 */
export const regionDecider: Decider<RegionCommand, RegionEvent, RegionState, RegionContext> = {
  decide: decideRegion,
  evolve: evolveRegion,
  initialState: initialRegionState,
};

export const regionStream = (id: RegionId) => streamIdOf('region', id);

/** DefineRegion reads its parent chain; rename and retire read the chain above the region. */
export const regionFacts = (command: RegionCommand, state: RegionState): FactRequest => {
  if (command.type === 'DefineRegion')
    return command.parentId === undefined ? {} : { region: command.parentId };
  return state.status === 'absent' || state.parentId === null ? {} : { region: state.parentId };
};

/** Where a region is: itself. */
export const regionPlace = (state: RegionState): Place | null =>
  state.status === 'absent' ? null : placeIn(state.id);
