import type { Decider } from '../kernel/decider.ts';
import { streamIdOf } from '../kernel/ids.ts';
import type { FactRequest } from '../shared/facts.ts';
import type { GridId } from '../shared/ids.ts';
import type { GridCommand } from './commands.ts';
import { decideGrid, type GridContext } from './decide.ts';
import type { GridEvent } from './events.ts';
import { evolveGrid, initialGridState, type GridState } from './state.ts';
import { placeIn, type Place } from '../shared/place.ts';

export * from './events.ts';
export * from './commands.ts';
export { type GridState, initialGridState, evolveGrid } from './state.ts';
export { decideGrid, type GridContext, type GridFacts } from './decide.ts';

/** A grid cell (网格) of about 300 households: workers, its grid branch, contact households. Stream `grid-{id}`. */
export const gridDecider: Decider<GridCommand, GridEvent, GridState, GridContext> = {
  decide: decideGrid,
  evolve: evolveGrid,
  initialState: initialGridState,
};

export const gridStream = (id: GridId) => streamIdOf('grid', id);

export const gridFacts = (command: GridCommand, state: GridState): FactRequest => {
  const region =
    command.type === 'DrawGridCell'
      ? command.communityId
      : state.status === 'absent'
        ? undefined
        : state.communityId;
  return {
    ...(region === undefined ? {} : { region }),
    ...(command.type === 'LinkGridBranch' ? { committee: command.committeeId } : {}),
    ...(command.type === 'AssignContactHouseholds' ? { member: command.memberId } : {}),
  };
};

/** Where a grid cell is: its community. */
export const gridPlace = (state: GridState): Place | null =>
  state.status === 'absent' ? null : placeIn(state.communityId);
