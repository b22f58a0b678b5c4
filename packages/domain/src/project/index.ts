import type { Decider } from '../kernel/decider.ts';
import { streamIdOf } from '../kernel/ids.ts';
import type { FactRequest } from '../shared/facts.ts';
import type { ProjectId } from '../shared/ids.ts';
import type { ProjectCommand } from './commands.ts';
import { decideProject, type ProjectContext } from './decide.ts';
import type { ProjectEvent } from './events.ts';
import { evolveProject, initialProjectState, type ProjectState } from './state.ts';
import { placeIn, type Place } from '../shared/place.ts';

export * from './events.ts';
export * from './commands.ts';
export { type ProjectState, type ProjectStage, initialProjectState, evolveProject } from './state.ts';
export { decideProject, type ProjectContext, type ProjectFacts } from './decide.ts';

/**
 * A need, service project or micro-wish (清单, 双向认领, 微心愿): at most one active claim, which can
 * be cancelled. Stream `project-{id}`.
 */
export const projectDecider: Decider<ProjectCommand, ProjectEvent, ProjectState, ProjectContext> = {
  decide: decideProject,
  evolve: evolveProject,
  initialState: initialProjectState,
};

export const projectStream = (id: ProjectId) => streamIdOf('project', id);

export const projectFacts = (command: ProjectCommand, state: ProjectState): FactRequest => {
  const region =
    command.type === 'ListNeed' || command.type === 'PostMicroWish'
      ? command.communityId
      : state.status === 'absent'
        ? undefined
        : state.communityId;
  const claimant = command.type === 'ClaimProject' ? command.claimant : undefined;
  return {
    ...(region === undefined ? {} : { region }),
    ...(command.type === 'DispatchProject' ? { unit: command.unitId } : {}),
    ...(claimant?.kind === 'unit' ? { unit: claimant.unitId } : {}),
    ...(claimant?.kind === 'member' ? { member: claimant.memberId } : {}),
  };
};

/** Where a need, project or micro-wish is: its community. */
export const projectPlace = (state: ProjectState): Place | null =>
  state.status === 'absent' ? null : placeIn(state.communityId);
