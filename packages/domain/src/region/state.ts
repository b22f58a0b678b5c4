import { assertNever } from '../kernel/decider.ts';
import type { PlainDate } from '../kernel/plainDate.ts';
import type { RegionId } from '../shared/ids.ts';
import type { RegionEvent, RegionLevel } from './events.ts';

export type RegionState =
  | { readonly status: 'absent' }
  | {
      readonly status: 'live' | 'retired';
      readonly id: RegionId;
      readonly name: string;
      readonly level: RegionLevel;
      readonly parentId: RegionId | null;
      readonly ancestors: readonly RegionId[];
      readonly definedOn: PlainDate;
      readonly retiredOn: PlainDate | null;
    };

export const initialRegionState: RegionState = { status: 'absent' };

export const evolveRegion = (state: RegionState, event: RegionEvent): RegionState => {
  switch (event.type) {
    case 'RegionDefined':
      return {
        status: 'live',
        id: event.data.regionId,
        name: event.data.name,
        level: event.data.level,
        parentId: event.data.parentId,
        ancestors: event.data.ancestors,
        definedOn: event.data.definedOn,
        retiredOn: null,
      };
    case 'RegionRenamed':
      return state.status === 'absent' ? state : { ...state, name: event.data.name };
    case 'RegionRetired':
      return state.status === 'absent'
        ? state
        : { ...state, status: 'retired', retiredOn: event.data.retiredOn };
    default:
      return assertNever(event, 'region event');
  }
};

/** The region ids from the root down to and including this region. */
export const regionPath = (state: RegionState): readonly RegionId[] =>
  state.status === 'absent' ? [] : [...state.ancestors, state.id];
