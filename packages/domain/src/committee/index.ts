import type { Decider } from '../kernel/decider.ts';
import { streamIdOf } from '../kernel/ids.ts';
import type { FactRequest } from '../shared/facts.ts';
import type { CommitteeId } from '../shared/ids.ts';
import type { CommitteeCommand } from './commands.ts';
import { decideCommittee } from './decide.ts';
import type { CommitteeEvent } from './events.ts';
import type { CommitteeContext } from './rules.ts';
import { evolveCommittee, initialCommitteeState, type CommitteeState } from './state.ts';
import { placeIn, type Place } from '../shared/place.ts';

export * from './events.ts';
export * from './commands.ts';
export {
  type CommitteeState,
  type ActiveCommittee,
  type Seat,
  type Candidate,
  type Term,
  initialCommitteeState,
  evolveCommittee,
  isSitting,
  seatsOn,
  seatEnd,
  sitsOn,
  termOn,
  LEVEL_OF,
} from './state.ts';
export { decideCommittee } from './decide.ts';
export { type CommitteeContext, type CommitteeFacts, PART_TIME_KINDS } from './rules.ts';

/**
 * A party organisation (大工委, 大党委, general branch, branch, compound or grid branch): its
 * terms and officers, the part-time member pipeline and seats, joint meetings and evaluations.
 * Stream `committee-{id}`.
 */
export const committeeDecider: Decider<CommitteeCommand, CommitteeEvent, CommitteeState, CommitteeContext> = {
  decide: decideCommittee,
  evolve: evolveCommittee,
  initialState: initialCommitteeState,
};

export const committeeStream = (id: CommitteeId) => streamIdOf('committee', id);

export const committeeFacts = (command: CommitteeCommand, state: CommitteeState): FactRequest => {
  const region =
    command.type === 'EstablishCommittee'
      ? command.regionId
      : state.status === 'absent'
        ? undefined
        : state.regionId;
  const person =
    command.type === 'NominateCandidate' || command.type === 'AssignOfficer'
      ? command.personId
      : command.type === 'AppointMember' && state.status !== 'absent'
        ? state.candidates[command.candidateId]?.personId
        : undefined;
  return {
    ...(region === undefined ? {} : { region }),
    ...(person === undefined ? {} : { member: person }),
    ...(command.type === 'NominateCandidate' && command.unitId !== undefined ? { unit: command.unitId } : {}),
  };
};

/** Where a committee is: the region it was established for. */
export const committeePlace = (state: CommitteeState): Place | null =>
  state.status === 'absent' ? null : placeIn(state.regionId);
