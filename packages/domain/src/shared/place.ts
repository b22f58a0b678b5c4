import type { RegionId, UnitId } from './ids.ts';

/**
 * Where a record sits in the region tree, which decides who may see and change it: a token
 * scoped to a region reaches the records whose home lies in that region's subtree. A party member
 * or a unit also serves in the communities it has reported to (双报到) or is paired with
 * (结对共建), and may be named in commands recorded there.
 */
export interface Place {
  /**
   * The region the record belongs to; `unit`: wherever that unit is (an in-service member
   * registered with their unit's party organisation); null: nowhere (only an unscoped token).
   */
  readonly home: { readonly region: RegionId } | { readonly unit: UnitId } | null;
  /** Communities it serves in besides its home. */
  readonly serves: readonly RegionId[];
}

/** A record at home in a region. */
export const placeIn = (region: RegionId, serves: readonly RegionId[] = []): Place => ({
  home: { region },
  serves,
});
