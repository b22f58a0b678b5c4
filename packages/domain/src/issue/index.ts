import type { Decider } from '../kernel/decider.ts';
import { streamIdOf } from '../kernel/ids.ts';
import type { FactRequest } from '../shared/facts.ts';
import type { IssueId } from '../shared/ids.ts';
import type { IssueCommand } from './commands.ts';
import { decideIssue, type IssueContext } from './decide.ts';
import type { IssueEvent } from './events.ts';
import { evolveIssue, initialIssueState, type IssueState } from './state.ts';
import { placeIn, type Place } from '../shared/place.ts';

export * from './events.ts';
export * from './commands.ts';
export { type IssueState, initialIssueState, evolveIssue } from './state.ts';
export { decideIssue, type IssueContext, type IssueFacts } from './decide.ts';

/** An entry of the problem ledger (问题交办台账): assignment, hand-overs, escalation, resolution. Stream `issue-{id}`. */
export const issueDecider: Decider<IssueCommand, IssueEvent, IssueState, IssueContext> = {
  decide: decideIssue,
  evolve: evolveIssue,
  initialState: initialIssueState,
};

export const issueStream = (id: IssueId) => streamIdOf('issue', id);

export const issueFacts = (command: IssueCommand, state: IssueState): FactRequest => {
  const known = state.status === 'absent' ? undefined : state;
  const committee = command.type === 'RegisterIssue' ? command.committeeId : known?.committeeId;
  const assignee =
    command.type === 'AssignIssue' || command.type === 'ReassignIssue' ? command.assignee : undefined;
  const gridId = command.type === 'RegisterIssue' ? command.gridId : undefined;
  return {
    ...(known === undefined ? {} : { region: known.regionId }),
    ...(committee === undefined ? {} : { committee }),
    ...(assignee?.kind === 'unit' ? { unit: assignee.unitId } : {}),
    ...(gridId === undefined ? {} : { grid: gridId }),
  };
};

/** Where an issue is: the region of the committee whose ledger holds it. */
export const issuePlace = (state: IssueState): Place | null =>
  state.status === 'absent' ? null : placeIn(state.regionId);
