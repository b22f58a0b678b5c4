import { assertNever } from '../kernel/decider.ts';
import { PersistentSet } from '../kernel/persistentSet.ts';
import { ERASED } from '../kernel/personalDataStore.ts';
import type { PlainDate } from '../kernel/plainDate.ts';
import type { MemberId, RegionId, UnitId } from '../shared/ids.ts';
import type { MemberCategory, MemberEvent, PointsCause } from './events.ts';

export type MemberState =
  | { readonly status: 'absent' }
  | {
      readonly status: 'registered' | 'transferred-out';
      readonly id: MemberId;
      readonly name: string;
      readonly category: MemberCategory;
      readonly communityId: RegionId | null;
      readonly unitId: UnitId | null;
      readonly registeredOn: PlainDate;
      /** Active dual-reporting registrations: community → reported on. */
      readonly reportedTo: Readonly<Record<string, PlainDate>>;
      /** Whether the member ever reported to a community. */
      readonly everReported: boolean;
      /** Points balance per calendar year (absent year: the policy's base). */
      readonly balances: Readonly<Record<number, number>>;
      /** Causes that scored: their source ids, by kind. */
      readonly causes: ScoredCauses;
      readonly ratedYears: PersistentSet<number>;
      readonly transferredOn: PlainDate | null;
      /** The personal data was erased (PIPL): `name` reads as erased from then on. */
      readonly erased: boolean;
    };

export const initialMemberState: MemberState = { status: 'absent' };

/**
 * The causes a member scored for: the source ids of each kind. Kept apart rather than as
 * `kind:sourceId` strings: a key built per award held two concatenated strings and its own copy of the
 * kind's name (about 80 bytes an award in every cached member, the most of a server's memory
 * growth under a steady load of awards); the source id is the one decoded with the event.
 */
export type ScoredCauses = Readonly<Partial<Record<PointsCause['kind'], PersistentSet<string>>>>;

/** Whether the cause already scored. */
export const hasScored = (causes: ScoredCauses, cause: PointsCause): boolean =>
  causes[cause.kind]?.has(cause.sourceId) === true;

const withScored = (causes: ScoredCauses, cause: PointsCause): ScoredCauses => ({
  ...causes,
  [cause.kind]: (causes[cause.kind] ?? PersistentSet.empty<string>()).add(cause.sourceId),
});

export const evolveMember = (state: MemberState, event: MemberEvent): MemberState => {
  if (event.type === 'MemberRegistered') {
    return {
      status: 'registered',
      id: event.data.memberId,
      name: event.data.name,
      category: event.data.category,
      communityId: event.data.communityId,
      unitId: event.data.unitId,
      registeredOn: event.data.registeredOn,
      reportedTo: {},
      everReported: false,
      balances: {},
      causes: {},
      ratedYears: PersistentSet.empty(),
      transferredOn: null,
      erased: false,
    };
  }
  if (state.status === 'absent') return state;
  switch (event.type) {
    case 'MemberReportedToCommunity':
      return {
        ...state,
        reportedTo: { ...state.reportedTo, [event.data.communityId]: event.data.reportedOn },
        everReported: true,
      };
    case 'MemberDeregisteredFromCommunity': {
      const { [event.data.communityId]: _gone, ...rest } = state.reportedTo;
      return { ...state, reportedTo: rest };
    }
    case 'MemberCategoryChanged':
      return { ...state, category: event.data.to };
    case 'HouseholdsContacted':
      return state;
    case 'PointsAwarded':
    case 'PointsDeducted':
      return {
        ...state,
        balances: { ...state.balances, [event.data.year]: event.data.balanceAfter },
        causes: withScored(state.causes, event.data.cause),
      };
    case 'MemberRated':
      return { ...state, ratedYears: state.ratedYears.add(event.data.year) };
    case 'MemberTransferredOut':
      return { ...state, status: 'transferred-out', reportedTo: {}, transferredOn: event.data.transferredOn };
    case 'PersonalDataErased':
      return { ...state, name: ERASED, erased: true };
    default:
      return assertNever(event, 'member event');
  }
};

/** The member's points balance for a year: the base until something scored that year. */
export const balanceFor = (state: MemberState, year: number, base: number): number =>
  state.status === 'absent' ? 0 : (state.balances[year] ?? base);
