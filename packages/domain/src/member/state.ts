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
      /**
       * Points balance per calendar year (absent year: the policy's base). A Map: copying an
       * object keyed by years at every award cost 1.5 µs with 13 years against 0.24 for a Map
       * (the object's integer keys take V8's slow path), most of a member's fold.
       */
      readonly balances: ReadonlyMap<number, number>;
      /** Causes that scored: their source ids, by kind. */
      readonly causes: ScoredCauses;
      readonly ratedYears: PersistentSet<number>;
      readonly transferredOn: PlainDate | null;
      /** The personal data was erased (PIPL): `name` reads as erased from then on. */
      readonly erased: boolean;
    };

export const initialMemberState: MemberState = { status: 'absent' };

type SourcesByKind = Readonly<Partial<Record<PointsCause['kind'], PersistentSet<string>>>>;

/**
 * The causes a member scored for: the source ids of each kind, immutable (`add` returns a new set
 * sharing the rest). Kept apart rather than as `kind:sourceId` strings: a key built per award
 * held two concatenated strings and its own copy of the kind's name (about 65 bytes an award in
 * every cached member; under the soak's steady awards, half of a server's heap growth). The
 * source id is the string decoded with the event. Iterates (for audits) as `kind:sourceId`.
 */
export class ScoredCauses implements Iterable<string> {
  static readonly empty = new ScoredCauses({}, 0);
  readonly #byKind: SourcesByKind;
  readonly size: number;

  private constructor(byKind: SourcesByKind, size: number) {
    this.#byKind = byKind;
    this.size = size;
  }

  has(cause: PointsCause): boolean {
    return this.#byKind[cause.kind]?.has(cause.sourceId) === true;
  }

  /** These causes with `cause`; these themselves when it already scored. */
  add(cause: PointsCause): ScoredCauses {
    const sources = this.#byKind[cause.kind] ?? PersistentSet.empty<string>();
    const added = sources.add(cause.sourceId);
    if (added === sources) return this;
    return new ScoredCauses({ ...this.#byKind, [cause.kind]: added }, this.size + 1);
  }

  *[Symbol.iterator](): Iterator<string> {
    for (const [kind, sources] of Object.entries(this.#byKind))
      for (const sourceId of sources ?? []) yield `${kind}:${sourceId}`;
  }
}

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
      balances: new Map(),
      causes: ScoredCauses.empty,
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
        balances: withBalance(state.balances, event.data.year, event.data.balanceAfter),
        causes: state.causes.add(event.data.cause),
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
  state.status === 'absent' ? 0 : (state.balances.get(year) ?? base);

/** The balances with a year's set: a copy (bounded by the years of a record, not by its events). */
const withBalance = (balances: ReadonlyMap<number, number>, year: number, balance: number) =>
  balances.get(year) === balance ? balances : new Map(balances).set(year, balance);
