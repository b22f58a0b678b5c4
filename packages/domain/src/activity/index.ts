import type { Decider } from '../kernel/decider.ts';
import { streamIdOf } from '../kernel/ids.ts';
import type { FactRequest } from '../shared/facts.ts';
import type { ActivityId } from '../shared/ids.ts';
import type { ActivityCommand } from './commands.ts';
import { decideActivity, type ActivityContext } from './decide.ts';
import type { ActivityEvent } from './events.ts';
import { evolveActivity, initialActivityState, type ActivityState } from './state.ts';
import { placeIn, type Place } from '../shared/place.ts';

export * from './events.ts';
export * from './commands.ts';
export { type ActivityState, initialActivityState, evolveActivity } from './state.ts';
export { decideActivity, type ActivityContext, type ActivityFacts } from './decide.ts';

/** A co-construction activity (共驻共建: theme party days, 三会一课, volunteer service, …). Stream `activity-{id}`. */
export const activityDecider: Decider<ActivityCommand, ActivityEvent, ActivityState, ActivityContext> = {
  decide: decideActivity,
  evolve: evolveActivity,
  initialState: initialActivityState,
};

export const activityStream = (id: ActivityId) => streamIdOf('activity', id);

export const activityFacts = (command: ActivityCommand, state: ActivityState): FactRequest => {
  const region =
    command.type === 'PlanActivity'
      ? command.regionId
      : state.status === 'absent'
        ? undefined
        : state.regionId;
  return region === undefined ? {} : { region };
};

/** Where an activity is: the region it was planned in. */
export const activityPlace = (state: ActivityState): Place | null =>
  state.status === 'absent' ? null : placeIn(state.regionId);
