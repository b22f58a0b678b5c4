import type { Decider } from '../kernel/decider.ts';
import { streamIdOf } from '../kernel/ids.ts';
import type { FactRequest } from '../shared/facts.ts';
import type { MemberId } from '../shared/ids.ts';
import type { MemberCommand } from './commands.ts';
import { decideMember, type MemberContext } from './decide.ts';
import type { MemberEvent } from './events.ts';
import { evolveMember, initialMemberState, type MemberState } from './state.ts';
import type { Place } from '../shared/place.ts';
import type { RegionId } from '../shared/ids.ts';

export * from './events.ts';
export * from './commands.ts';
export { type MemberState, ScoredCauses, initialMemberState, evolveMember, balanceFor } from './state.ts';
export { decideMember, type MemberContext, type MemberFacts } from './decide.ts';

/**
 * A party member (党员): dual reporting, household contacts, the points ledger, ratings.
 * Stream `member-{id}`.
 */
export const memberDecider: Decider<MemberCommand, MemberEvent, MemberState, MemberContext> = {
  decide: decideMember,
  evolve: evolveMember,
  initialState: initialMemberState,
};

export const memberStream = (id: MemberId) => streamIdOf('member', id);

export const memberFacts = (command: MemberCommand): FactRequest => {
  if (command.type === 'RegisterMember')
    return command.communityId === undefined ? {} : { region: command.communityId };
  if (command.type === 'ReportToCommunity') return { region: command.communityId };
  if (command.type === 'RecordHouseholdContacts') return { grid: command.gridId };
  return {};
};

/**
 * Where a party member is: the community that manages them, or else their unit (an in-service
 * member registered with their unit's party organisation); they also serve in every community
 * they have an active report to (双报到).
 */
export const memberPlace = (state: MemberState): Place | null => {
  if (state.status === 'absent') return null;
  const serves = Object.keys(state.reportedTo) as RegionId[];
  if (state.communityId !== null) return { home: { region: state.communityId }, serves };
  return { home: state.unitId === null ? null : { unit: state.unitId }, serves };
};
