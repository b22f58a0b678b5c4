import { assertNever } from '../kernel/decider.ts';
import type { PlainDate } from '../kernel/plainDate.ts';
import type { ActivityKind } from '../policy/schema.ts';
import type { ActivityId, RegionId, UnitId } from '../shared/ids.ts';
import type { ActivityEvent } from './events.ts';

export type ActivityState =
  | { readonly status: 'absent' }
  | {
      readonly status: 'planned' | 'held' | 'cancelled';
      readonly id: ActivityId;
      readonly kind: ActivityKind;
      readonly regionId: RegionId;
      readonly unitIds: readonly UnitId[];
      readonly plannedOn: PlainDate;
    };

export const initialActivityState: ActivityState = { status: 'absent' };

export const evolveActivity = (state: ActivityState, event: ActivityEvent): ActivityState => {
  switch (event.type) {
    case 'ActivityPlanned':
      return {
        status: 'planned',
        id: event.data.activityId,
        kind: event.data.kind,
        regionId: event.data.regionId,
        unitIds: event.data.unitIds,
        plannedOn: event.data.plannedOn,
      };
    case 'ActivityHeld':
      return state.status === 'absent' ? state : { ...state, status: 'held' };
    case 'ActivityCancelled':
      return state.status === 'absent' ? state : { ...state, status: 'cancelled' };
    default:
      return assertNever(event, 'activity event');
  }
};
