import type { PlainDate } from '@cogov/domain';
import type { Entity } from '../lookups/projection.ts';
import type { LookupQueries } from '../lookups/queries.ts';

/** A region and the regions under it that existed on a day. */
export interface RegionNode {
  readonly id: string;
  readonly name: string;
  readonly level: string;
  readonly parentId: string | null;
  readonly children: readonly RegionNode[];
}

/** Every child of a region, all pages. */
export const childrenOf = (lookups: LookupQueries, regionId: string): Entity[] => {
  const out: Entity[] = [];
  let cursor: string | undefined;
  do {
    const page = lookups.children(regionId, { limit: 500, ...(cursor === undefined ? {} : { cursor }) });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return out;
};

const existedOn = (region: Entity, day: PlainDate): boolean => {
  const defined = region.details['definedOn'] as PlainDate | undefined;
  const retired = region.details['retiredOn'] as PlainDate | undefined;
  return (defined === undefined || defined <= day) && (retired === undefined || retired > day);
};

/**
 * The region tree under `regionId` as it stood on `day` (regions defined by then and not retired),
 * not descending below a region for which `leaf` holds. Children in id order (stable
 * across runs and languages).
 */
export const regionTree = (
  lookups: LookupQueries,
  regionId: string,
  day: PlainDate,
  leaf: (region: Entity) => boolean,
): RegionNode => {
  const build = (region: Entity): RegionNode => ({
    id: region.id,
    name: region.name,
    level: (region.details['level'] as string | undefined) ?? '',
    parentId: (region.details['parentId'] as string | null | undefined) ?? null,
    children: leaf(region)
      ? []
      : childrenOf(lookups, region.id)
          .filter((child) => existedOn(child, day))
          .map(build),
  });
  const root = lookups.entity('region', regionId);
  if (root === undefined) throw new Error(`there is no region ${regionId}`);
  return build(root);
};
