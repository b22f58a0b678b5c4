import {
  AGGREGATES,
  commandScope,
  refuse,
  regionPath,
  type AggregateName,
  type CogovService,
  type DomainCommand,
  type RecordReference,
  type RegionState,
} from '@cogov/domain';
import type { ReadModels } from '@cogov/projections';
import { rejectionProblem } from '../problems/rejection.ts';
import { HttpProblem, problem } from '../problems/registry.ts';
import type { Principal } from './auth.ts';

/** The one answer for "outside your region" and "no such record" alike. */
const outOfScope = (principal: Principal, field: string | undefined) =>
  problem(
    'out-of-scope',
    `This token is limited to region ${principal.scope} and what lies under it${field === undefined ? '' : `; ${field} names no record there`}.`,
    field === undefined ? {} : { errors: [{ field, message: 'no such record in the token’s region' }] },
  );

/**
 * Region scopes: a token scoped to a region sees and changes that region's subtree only, and
 * "outside your region" looks exactly like "no such record". Reads are placed by the lookups read
 * model (each record's region path), falling back to the log for a record the read models have
 * not seen yet; commands are placed by the domain from the log itself (`placeOf`), so that a
 * record created a moment ago is placed correctly.
 */
export class RegionAccess {
  readonly #cogov: CogovService;
  readonly #readModels: ReadModels;
  /**
   * Paths of regions known to exist: a region's place in the tree is fixed when it is defined and
   * it never ceases to exist (a retired region keeps its records), so they are kept (bounded).
   */
  readonly #paths = new Map<string, readonly string[]>();

  constructor(cogov: CogovService, readModels: ReadModels) {
    this.#cogov = cogov;
    this.#readModels = readModels;
  }

  /** A region's path from the root (its ancestors and itself), or null if it does not exist. */
  async pathOf(regionId: string): Promise<readonly string[] | null> {
    const known = this.#paths.get(regionId);
    if (known !== undefined) return known;
    const path =
      this.#readModels.lookups().entity('region', regionId)?.regionPath ??
      regionPath((await this.#cogov.load('region', regionId)).state as RegionState);
    if (path.length === 0) return null;
    if (this.#paths.size >= 100_000) this.#paths.clear();
    this.#paths.set(regionId, path);
    return path;
  }

  async inScope(principal: Principal, regionId: string | null): Promise<boolean> {
    if (principal.scope === '*') return true;
    if (regionId === null) return false;
    return (await this.pathOf(regionId))?.includes(principal.scope) ?? false;
  }

  /** Refuses (403, naming the field) unless the region is in the token's subtree. */
  async require(principal: Principal, regionId: string | null, field?: string): Promise<void> {
    if (!(await this.inScope(principal, regionId))) throw outOfScope(principal, field);
  }

  /**
   * A region a request reads: in the token's subtree (else 403, as for anything outside it), and
   * existing (else 404 naming the field): an unscoped token learns that it does not exist.
   */
  async place(principal: Principal, regionId: string | null, field: string): Promise<void> {
    await this.require(principal, regionId, field);
    if (regionId === null || (await this.pathOf(regionId)) === null)
      throw problem('not-found', `There is no such region or record (${field}).`, {
        errors: [{ field, message: 'not found' }],
      });
  }

  /** The region a record is at home in: from the lookups, else (not projected yet) from the log. */
  async homeOf(kind: AggregateName, id: string): Promise<string | null> {
    const path = this.#readModels.lookups().entity(kind, id)?.regionPath;
    if (path !== undefined && path.length > 0) return path[path.length - 1] ?? null;
    return (await this.#cogov.placeOf(kind, id))?.home ?? null;
  }

  /**
   * A record a request reads: in the token's region (else 403 naming the field, as for one that
   * does not exist). Returns whether it exists somewhere: false answers a 404 for an unscoped token.
   */
  async requireRecord(
    principal: Principal,
    kind: AggregateName,
    id: string,
    field: string,
  ): Promise<boolean> {
    const home = await this.homeOf(kind, id);
    await this.require(principal, home, field);
    return home !== null;
  }

  /** The region a statistics scope (`r:`, `c:`, `u:`, `m:`, `g:`) is in. */
  async regionOfScope(scope: string): Promise<string | null> {
    const [prefix, id] = [scope.slice(0, 2), scope.slice(2)];
    const kinds: Readonly<Record<string, AggregateName>> = {
      'c:': 'committee',
      'u:': 'unit',
      'm:': 'member',
      'g:': 'grid',
    };
    if (prefix === 'r:') return id;
    const kind = kinds[prefix];
    return kind === undefined ? null : this.homeOf(kind, id);
  }

  /**
   * Whether a token may send a command: the record it is addressed to is at home in the token's
   * region (or, for dual reporting and pairing, the receiving community is), and every record it
   * names is there too (a member or a unit may also be named where it serves). A missing record
   * and one outside the token's region give the same 403, naming the field; a command that begins
   * a record whose id is taken elsewhere answers the refusal the rules give for a taken id here.
   * Returns whether the record addressed exists (for If-Match / If-None-Match).
   */
  async authorizeCommand(principal: Principal, command: DomainCommand): Promise<boolean> {
    const scope = commandScope(command);
    const target = await this.#cogov.placeOf(scope.target.aggregate, scope.target.id);
    if (principal.scope === '*') return target !== null;
    const targetField = `path.${scope.target.field}`;
    if (target === null) {
      if (!scope.creates) throw outOfScope(principal, targetField);
      // The new record takes the place of its home (its parent region, its committee…): in reach.
      const home = scope.home === null ? null : await this.#placeOfReference(scope.home);
      if (home === null || !(await this.#reaches(principal, home, false)))
        throw outOfScope(principal, scope.home === null ? targetField : `body.${scope.home.field}`);
    } else if (scope.receivedBy === null && !(await this.#reaches(principal, target, false))) {
      // A taken id answers what the rules answer in the token's own region: the same refusal.
      if (scope.creates)
        throw new HttpProblem(
          rejectionProblem(
            refuse(AGGREGATES[scope.target.aggregate].idTaken, { [scope.target.field]: scope.target.id }),
            [scope.target.field],
          ),
        );
      throw outOfScope(principal, targetField);
    }
    for (const reference of scope.references) {
      const place = await this.#placeOfReference(reference);
      const serving = reference.aggregate === 'member' || reference.aggregate === 'unit';
      if (place === null || !(await this.#reaches(principal, place, serving)))
        throw outOfScope(principal, `body.${reference.field}`);
    }
    return target !== null;
  }

  #placeOfReference(reference: RecordReference) {
    return reference.aggregate === 'region'
      ? Promise.resolve({ home: reference.id, serves: [] })
      : this.#cogov.placeOf(reference.aggregate, reference.id);
  }

  /** A place is in reach when its home is in the token's subtree, or (if it may serve) a community it serves is. */
  async #reaches(
    principal: Principal,
    place: { readonly home: string | null; readonly serves: readonly string[] },
    serving: boolean,
  ): Promise<boolean> {
    if (place.home !== null && (await this.inScope(principal, place.home))) return true;
    if (!serving) return false;
    for (const community of place.serves) if (await this.inScope(principal, community)) return true;
    return false;
  }
}
