import { assertNever, type Decision } from '../kernel/decider.ts';
import { refuse } from '../shared/rejections.ts';
import type { CommitteeCommand } from './commands.ts';
import {
  assignOfficer,
  dissolve,
  establish,
  relieveOfficer,
  startTerm,
  upgrade,
} from './decideOrganisation.ts';
import { holdJointMeeting, submitAgendaItem } from './decideMeetings.ts';
import {
  appoint,
  approve,
  deliberate,
  nominate,
  raiseObjection,
  rejectCandidate,
  resolveObjection,
  screen,
  startPublicity,
} from './decidePipeline.ts';
import { assignDuties, dismiss, evaluate, expire, renew, withdraw } from './decideSeats.ts';
import type { CommitteeEvent } from './events.ts';
import type { CommitteeContext } from './rules.ts';
import type { CommitteeState } from './state.ts';

export const decideCommittee = (
  command: CommitteeCommand,
  state: CommitteeState,
  context: CommitteeContext,
): Decision<CommitteeEvent> => {
  if (command.type === 'EstablishCommittee') return establish(command, state, context);
  if (state.status === 'absent') return refuse('COMMITTEE_NOT_FOUND', { committeeId: command.committeeId });
  switch (command.type) {
    case 'UpgradeCommittee':
      return upgrade(command, state, context);
    case 'StartTerm':
      return startTerm(command, state, context);
    case 'AssignOfficer':
      return assignOfficer(command, state, context);
    case 'RelieveOfficer':
      return relieveOfficer(command, state, context);
    case 'NominateCandidate':
      return nominate(command, state, context);
    case 'ScreenCandidate':
      return screen(command, state, context);
    case 'DeliberateCandidate':
      return deliberate(command, state, context);
    case 'ApproveCandidate':
      return approve(command, state, context);
    case 'RejectCandidate':
      return rejectCandidate(command, state, context);
    case 'StartPublicity':
      return startPublicity(command, state, context);
    case 'RaiseObjection':
      return raiseObjection(command, state, context);
    case 'ResolveObjection':
      return resolveObjection(command, state, context);
    case 'AppointMember':
      return appoint(command, state, context);
    case 'AssignDuties':
      return assignDuties(command, state, context);
    case 'RenewMember':
      return renew(command, state, context);
    case 'DismissMember':
      return dismiss(command, state, context);
    case 'RecordWithdrawal':
      return withdraw(command, state, context);
    case 'ExpireMemberTerm':
      return expire(command, state, context);
    case 'EvaluateMember':
      return evaluate(command, state, context);
    case 'SubmitAgendaItem':
      return submitAgendaItem(command, state, context);
    case 'HoldJointMeeting':
      return holdJointMeeting(command, state, context);
    case 'DissolveCommittee':
      return dissolve(command, state, context);
    default:
      return assertNever(command, 'committee command');
  }
};
