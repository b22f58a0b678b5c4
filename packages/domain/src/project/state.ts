import { assertNever } from '../kernel/decider.ts';
import { PersistentSet } from '../kernel/persistentSet.ts';
import type { PlainDate } from '../kernel/plainDate.ts';
import type { ClaimId, ProjectId, RegionId, UnitId } from '../shared/ids.ts';
import type { Claimant, ProjectEvent } from './events.ts';

export type ProjectStage = 'listed' | 'agreed' | 'dispatched' | 'done' | 'cancelled';

export type ProjectState =
  | { readonly status: 'absent' }
  | {
      readonly status: 'present';
      readonly id: ProjectId;
      readonly kind: 'need' | 'micro-wish';
      readonly communityId: RegionId;
      readonly stage: ProjectStage;
      readonly dispatchedTo: UnitId | null;
      /** At most one active claim at a time. */
      readonly activeClaim: {
        readonly claimId: ClaimId;
        readonly claimant: Claimant;
        readonly claimedOn: PlainDate;
      } | null;
      readonly claimIds: PersistentSet<string>;
      readonly rated: boolean;
      readonly lastDate: PlainDate;
    };

export const initialProjectState: ProjectState = { status: 'absent' };

const latest = (a: PlainDate, b: PlainDate) => (a > b ? a : b);

export const evolveProject = (state: ProjectState, event: ProjectEvent): ProjectState => {
  if (event.type === 'NeedListed' || event.type === 'MicroWishPosted') {
    return {
      status: 'present',
      id: event.data.projectId,
      kind: event.type === 'NeedListed' ? 'need' : 'micro-wish',
      communityId: event.data.communityId,
      stage: 'listed',
      dispatchedTo: null,
      activeClaim: null,
      claimIds: PersistentSet.empty(),
      rated: false,
      lastDate: event.type === 'NeedListed' ? event.data.listedOn : event.data.postedOn,
    };
  }
  if (state.status === 'absent') return state;
  switch (event.type) {
    case 'ProjectAgreed':
      return { ...state, stage: 'agreed', lastDate: latest(state.lastDate, event.data.agreedOn) };
    case 'ProjectDispatched':
      return {
        ...state,
        stage: 'dispatched',
        dispatchedTo: event.data.unitId,
        lastDate: latest(state.lastDate, event.data.dispatchedOn),
      };
    case 'ProjectClaimed':
      return {
        ...state,
        activeClaim: {
          claimId: event.data.claimId,
          claimant: event.data.claimant,
          claimedOn: event.data.claimedOn,
        },
        claimIds: state.claimIds.add(event.data.claimId),
        lastDate: latest(state.lastDate, event.data.claimedOn),
      };
    case 'ProjectClaimCancelled':
      return { ...state, activeClaim: null, lastDate: latest(state.lastDate, event.data.cancelledOn) };
    case 'ProjectCompleted':
      return { ...state, stage: 'done', lastDate: latest(state.lastDate, event.data.completedOn) };
    case 'MicroWishFulfilled':
      return { ...state, stage: 'done', lastDate: latest(state.lastDate, event.data.fulfilledOn) };
    case 'ProjectRated':
      return { ...state, rated: true, lastDate: latest(state.lastDate, event.data.ratedOn) };
    case 'ProjectCancelled':
      return {
        ...state,
        stage: 'cancelled',
        activeClaim: null,
        lastDate: latest(state.lastDate, event.data.cancelledOn),
      };
    default:
      return assertNever(event, 'project event');
  }
};
