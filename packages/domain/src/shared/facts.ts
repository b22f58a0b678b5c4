import type { CommitteeId, GridId, MemberId, RegionId, UnitId } from './ids.ts';

/**
 * The other aggregates a command's rules read. The application layer loads their current states
 * from the event store and hands them to `decide` in its context; `decide` itself stays pure.
 */
export interface FactRequest {
  /** A region whose chain (itself and its ancestors) must be live. */
  readonly region?: RegionId;
  readonly committee?: CommitteeId;
  readonly unit?: UnitId;
  readonly member?: MemberId;
  readonly grid?: GridId;
}
