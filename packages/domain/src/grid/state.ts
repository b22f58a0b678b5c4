import { assertNever } from '../kernel/decider.ts';
import type { PlainDate } from '../kernel/plainDate.ts';
import type { CommitteeId, GridId, RegionId } from '../shared/ids.ts';
import type { GridEvent } from './events.ts';

export type GridState =
  | { readonly status: 'absent' }
  | {
      readonly status: 'live' | 'retired';
      readonly id: GridId;
      readonly communityId: RegionId;
      readonly name: string;
      readonly households: number;
      readonly drawnOn: PlainDate;
      readonly workers: Readonly<Record<string, PlainDate>>;
      readonly branchId: CommitteeId | null;
      /** Contact households per member (党员联系户). */
      readonly contacts: Readonly<Record<string, number>>;
      readonly contacted: number;
    };

export const initialGridState: GridState = { status: 'absent' };

export const evolveGrid = (state: GridState, event: GridEvent): GridState => {
  if (event.type === 'GridCellDrawn') {
    return {
      status: 'live',
      id: event.data.gridId,
      communityId: event.data.communityId,
      name: event.data.name,
      households: event.data.households,
      drawnOn: event.data.drawnOn,
      workers: {},
      branchId: null,
      contacts: {},
      contacted: 0,
    };
  }
  if (state.status === 'absent') return state;
  switch (event.type) {
    case 'HouseholdsRecounted':
      return { ...state, households: event.data.households };
    case 'GridWorkerAssigned':
      return { ...state, workers: { ...state.workers, [event.data.workerId]: event.data.assignedOn } };
    case 'GridWorkerRelieved': {
      const { [event.data.workerId]: _gone, ...workers } = state.workers;
      return { ...state, workers };
    }
    case 'GridBranchLinked':
      return { ...state, branchId: event.data.committeeId };
    case 'ContactHouseholdsAssigned':
      return {
        ...state,
        contacts: {
          ...state.contacts,
          [event.data.memberId]: (state.contacts[event.data.memberId] ?? 0) + event.data.households,
        },
        contacted: state.contacted + event.data.households,
      };
    case 'ContactHouseholdsReleased': {
      const { [event.data.memberId]: released = 0, ...contacts } = state.contacts;
      return { ...state, contacts, contacted: state.contacted - released };
    }
    case 'GridCellRetired':
      return { ...state, status: 'retired' };
    default:
      return assertNever(event, 'grid event');
  }
};
