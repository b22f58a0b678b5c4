import { toEpochDay, type PlainDate } from '@cogov/domain';
import type { Database, Key } from 'lmdb';
import {
  NO_DUE,
  type CommandRecord,
  type Entity,
  type EntityKind,
  type LookupDatabases,
  type PointsEntry,
} from './projection.ts';

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass back to get the next page; null on the last page. */
  readonly nextCursor: string | null;
}

/** A cursor that is not one this list gave: malformed, or pointing outside the list's own range. */
export class InvalidCursorError extends Error {
  readonly _tag = 'InvalidCursor';
  constructor() {
    super('the cursor is not one this list gave (pass back nextCursor as it came)');
  }
}

/**
 * Which keys a list walks: those that start with `prefix` (its kind and region, say), followed
 * by one element of each type in `tail`; optionally only those whose first tail element, a
 * number, lies in [from, to).
 */
interface ListRange {
  readonly prefix: readonly (string | number)[];
  readonly tail: readonly ('string' | 'number')[];
  readonly numeric?: { readonly from: number; readonly to: number };
}

const encodeCursor = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

/**
 * The key a cursor resumes after, if it lies inside the list's range: it must repeat the list's
 * prefix exactly (so a cursor can never lead into another region's keys) and have the tail's shape.
 */
const decodeCursor = (cursor: string, range: ListRange): Key => {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const { prefix, tail, numeric } = range;
  if (!Array.isArray(key) || key.length !== prefix.length + tail.length) throw new InvalidCursorError();
  if (prefix.some((part, i) => key[i] !== part)) throw new InvalidCursorError();
  if (tail.some((type, i) => typeof key[prefix.length + i] !== type)) throw new InvalidCursorError();
  const first: unknown = key[prefix.length];
  if (
    numeric !== undefined &&
    (typeof first !== 'number' || !Number.isInteger(first) || first < numeric.from || first >= numeric.to)
  )
    throw new InvalidCursorError();
  return key as Key;
};

/** Reads a page of a range, resuming after the cursor's key. */
const page = <T>(
  db: Database,
  range: ListRange,
  cursor: string | undefined,
  limit: number,
  map: (key: Key, value: unknown) => T | undefined,
): Page<T> => {
  const items: T[] = [];
  let last: Key | undefined;
  let more = false;
  const numeric = range.numeric;
  const start = [...range.prefix, ...(numeric === undefined ? [] : [numeric.from])] as Key;
  const end = [...range.prefix, numeric === undefined ? '\uffff' : numeric.to] as Key;
  const from = cursor === undefined ? start : decodeCursor(cursor, range);
  for (const { key, value } of db.getRange({ start: from, end })) {
    if (cursor !== undefined && JSON.stringify(key) === JSON.stringify(from)) continue;
    if (items.length === limit) {
      more = true;
      break;
    }
    const item = map(key, value);
    if (item === undefined) continue;
    items.push(item);
    last = key;
  }
  return { items, nextCursor: more && last !== undefined ? encodeCursor(last) : null };
};

/** Lists and lookups over the lookups read model, each page resumable by cursor. */
export class LookupQueries {
  readonly #dbs: LookupDatabases;
  readonly #reveal: ((value: unknown) => string) | undefined;
  /** The slot keeps the `erased` index (version 4 and later). */
  readonly #indexed: boolean;

  /**
   * @param reveal opens a name the read model holds sealed (personal data, ADR 16): the read
   * models never hold a person's name in plaintext, so it is opened as it is read.
   */
  constructor(dbs: LookupDatabases, reveal?: (value: unknown) => string, version = 4) {
    this.#dbs = dbs;
    this.#reveal = reveal;
    this.#indexed = version >= 4;
  }

  /**
   * The members whose personal data has been erased: from their index (lookups version 4), or,
   * from an older slot still serving during its rebuild, by scanning every member.
   */
  *erasedMembers(): Generator<string> {
    if (this.#indexed) {
      for (const key of this.#dbs.erased.getKeys({})) yield key as string;
      return;
    }
    for (const { value } of this.#dbs.entities.getRange({ start: ['member'], end: ['member\u0000'] }))
      if ((value as Entity).details['erased'] === true) yield (value as Entity).id;
  }

  entity(kind: EntityKind, id: string): Entity | undefined {
    const entity = this.#dbs.entities.get([kind, id] as Key) as Entity | undefined;
    if (entity === undefined || typeof entity.name === 'string') return entity;
    return { ...entity, name: this.#reveal?.(entity.name) ?? '〔sealed〕' };
  }

  /** Entities of a kind in a region's subtree (the region itself included). */
  list(
    kind: Exclude<EntityKind, 'region'>,
    regionId: string,
    options: { readonly cursor?: string; readonly limit?: number } = {},
  ): Page<Entity> {
    return page(
      this.#dbs.byRegion,
      { prefix: [kind, regionId], tail: ['string'] },
      options.cursor,
      options.limit ?? 50,
      (key) => this.entity(kind, (key as string[])[2] as string),
    );
  }

  /** The regions directly under a region (or the roots, for null). */
  children(
    regionId: string | null,
    options: { readonly cursor?: string; readonly limit?: number } = {},
  ): Page<Entity> {
    const parent = regionId ?? '';
    return page(
      this.#dbs.children,
      { prefix: [parent], tail: ['string'] },
      options.cursor,
      options.limit ?? 100,
      (key) => this.entity('region', (key as string[])[1] as string),
    );
  }

  /** Open issues of a subtree by due date (unassigned ones last); `overdueOn`: only those due before that day. */
  openIssues(
    regionId: string,
    options: { readonly overdueOn?: PlainDate; readonly cursor?: string; readonly limit?: number } = {},
  ): Page<Entity> {
    const end = options.overdueOn === undefined ? NO_DUE + 1 : toEpochDay(options.overdueOn);
    return page(
      this.#dbs.openIssues,
      { prefix: [regionId], tail: ['number', 'string'], numeric: { from: 0, to: end } },
      options.cursor,
      options.limit ?? 50,
      (_key, value) => this.entity('issue', value as string),
    );
  }

  /** Needs and micro-wishes of a subtree with no active claim, oldest first. */
  unclaimed(
    regionId: string,
    options: { readonly cursor?: string; readonly limit?: number } = {},
  ): Page<Entity> {
    return page(
      this.#dbs.unclaimed,
      { prefix: [regionId], tail: ['number', 'string'], numeric: { from: 0, to: NO_DUE } },
      options.cursor,
      options.limit ?? 50,
      (_key, value) => this.entity('project', value as string),
    );
  }

  /** Members of a subtree with the most points in a year. */
  leaderboard(
    year: number,
    regionId: string,
    limit = 20,
  ): readonly { readonly memberId: string; readonly name: string; readonly points: number }[] {
    const out: { memberId: string; name: string; points: number }[] = [];
    for (const { key } of this.#dbs.leaderboard.getRange({
      start: [year, regionId, Number.NEGATIVE_INFINITY] as Key,
      end: [year, regionId, Number.POSITIVE_INFINITY] as Key,
      limit,
    })) {
      const [, , negated, memberId] = key as [number, string, number, string];
      out.push({ memberId, name: this.entity('member', memberId)?.name ?? memberId, points: -negated });
    }
    return out;
  }

  /** Where a command id was first used, and the digest of that command. */
  command(commandId: string): CommandRecord | undefined {
    return this.#dbs.commands.get(commandId) as CommandRecord | undefined;
  }

  /** Every entity of a kind in a region's subtree, in id order (for exports; lists page). */
  *all(kind: Exclude<EntityKind, 'region'>, regionId: string): Generator<Entity> {
    for (const { key } of this.#dbs.byRegion.getRange({
      start: [kind, regionId] as Key,
      end: [kind, regionId, '\uffff'] as Key,
    })) {
      const entity = this.entity(kind, (key as string[])[2] as string);
      if (entity !== undefined) yield entity;
    }
  }

  /** A member's points ledger (积分台账) for a year, in recorded order. */
  pointsEntries(memberId: string, year: number): readonly PointsEntry[] {
    const out: PointsEntry[] = [];
    for (const { value } of this.#dbs.pointsEntries.getRange({
      start: [year, memberId] as Key,
      end: [year, memberId, Number.MAX_SAFE_INTEGER] as Key,
    }))
      out.push(value as PointsEntry);
    return out;
  }

  points(memberId: string, year: number): number {
    return (this.#dbs.points.get([memberId, year] as Key) as number | undefined) ?? 0;
  }
}
