import { assertNever } from '../kernel/decider.ts';
import type { PlainDate } from '../kernel/plainDate.ts';
import type { CommitteeId, GridId, IssueId, RegionId } from '../shared/ids.ts';
import type { Assignee, IssueEvent, Trade } from './events.ts';

export type IssueState =
  | { readonly status: 'absent' }
  | {
      readonly status: 'open' | 'resolved' | 'withdrawn';
      readonly id: IssueId;
      readonly committeeId: CommitteeId;
      readonly regionId: RegionId;
      readonly gridId: GridId | null;
      readonly trade: Trade;
      readonly registeredOn: PlainDate;
      /** Start of the current opening (registration or last reopening). */
      readonly openedOn: PlainDate;
      readonly assignee: Assignee | null;
      readonly assignedOn: PlainDate | null;
      readonly dueOn: PlainDate | null;
      /** The latest dated step: later steps cannot be dated earlier. */
      readonly lastDate: PlainDate;
      readonly openings: number;
      /** Resolutions recorded, one at most per opening. */
      readonly resolutions: number;
      readonly outcomePublished: boolean;
    };

export const initialIssueState: IssueState = { status: 'absent' };

const latest = (a: PlainDate, b: PlainDate) => (a > b ? a : b);

export const evolveIssue = (state: IssueState, event: IssueEvent): IssueState => {
  if (event.type === 'IssueRegistered') {
    return {
      status: 'open',
      id: event.data.issueId,
      committeeId: event.data.committeeId,
      regionId: event.data.regionId,
      gridId: event.data.gridId,
      trade: event.data.trade,
      registeredOn: event.data.registeredOn,
      openedOn: event.data.registeredOn,
      assignee: null,
      assignedOn: null,
      dueOn: null,
      lastDate: event.data.registeredOn,
      openings: 1,
      resolutions: 0,
      outcomePublished: false,
    };
  }
  if (state.status === 'absent') return state;
  switch (event.type) {
    case 'IssueAssigned':
      return {
        ...state,
        assignee: event.data.assignee,
        assignedOn: event.data.assignedOn,
        dueOn: event.data.dueOn,
        lastDate: latest(state.lastDate, event.data.assignedOn),
      };
    case 'IssueReassigned':
      return {
        ...state,
        assignee: event.data.to,
        dueOn: event.data.dueOn,
        lastDate: latest(state.lastDate, event.data.reassignedOn),
      };
    case 'IssueEscalated':
      return { ...state, lastDate: latest(state.lastDate, event.data.escalatedOn) };
    case 'IssueProgressReported':
      return { ...state, lastDate: latest(state.lastDate, event.data.reportedOn) };
    case 'IssueResolved':
      return {
        ...state,
        status: 'resolved',
        resolutions: state.resolutions + 1,
        outcomePublished: false,
        lastDate: latest(state.lastDate, event.data.resolvedOn),
      };
    case 'IssueOutcomePublished':
      return { ...state, outcomePublished: true, lastDate: latest(state.lastDate, event.data.publishedOn) };
    case 'IssueReopened':
      return {
        ...state,
        status: 'open',
        openedOn: event.data.reopenedOn,
        openings: state.openings + 1,
        lastDate: latest(state.lastDate, event.data.reopenedOn),
      };
    case 'IssueWithdrawn':
      return { ...state, status: 'withdrawn', lastDate: latest(state.lastDate, event.data.withdrawnOn) };
    default:
      return assertNever(event, 'issue event');
  }
};
