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
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Role, TokenConfig } from '../config.ts';
import { HttpProblem, problem, rejectionProblem } from './problems.ts';

export type Permission = 'read' | 'write' | 'audit' | 'admin';

/** What each role may do: read figures and lists, record facts, look into the past, operate. */
export const GRANTS: Readonly<Record<Role, readonly Permission[]>> = {
  reader: ['read'],
  clerk: ['read', 'write'],
  auditor: ['read', 'audit'],
  admin: ['read', 'write', 'audit', 'admin'],
};

/** Who is asking: a configured token's name, role and region scope (`*`: everywhere). */
export interface Principal {
  readonly name: string;
  readonly role: Role;
  readonly scope: string;
}

/** Bearer tokens, known only by their SHA-256 (compared in constant time). */
export class Authenticator {
  readonly #tokens: readonly { readonly hash: Buffer; readonly principal: Principal }[];

  constructor(tokens: readonly TokenConfig[]) {
    this.#tokens = tokens.map((t) => ({
      hash: Buffer.from(t.sha256, 'hex'),
      principal: { name: t.name, role: t.role, scope: t.scope },
    }));
  }

  authenticate(header: string | undefined): Principal {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (match === null)
      throw problem(
        401,
        'unauthorized',
        'A bearer token is required',
        header === undefined
          ? 'Send Authorization: Bearer <token>.'
          : 'The Authorization header is not "Bearer <token>".',
        {
          errors: [
            { field: 'header.authorization', message: header === undefined ? 'missing' : 'malformed' },
          ],
        },
        { 'www-authenticate': 'Bearer realm="cogov"' },
      );
    const hash = createHash('sha256')
      .update(match[1] as string)
      .digest();
    let found: Principal | undefined;
    // Every configured hash is compared, so the time taken says nothing about which one matched.
    for (const token of this.#tokens) if (timingSafeEqual(token.hash, hash)) found ??= token.principal;
    if (found === undefined)
      throw problem(
        401,
        'unauthorized',
        'Unknown token',
        'The bearer token is not one this server knows.',
        { errors: [{ field: 'header.authorization', message: 'unknown token' }] },
        { 'www-authenticate': 'Bearer realm="cogov", error="invalid_token"' },
      );
    return found;
  }
}

export const authorize = (principal: Principal, permission: Permission): void => {
  if (!GRANTS[principal.role].includes(permission))
    throw problem(
      403,
      'forbidden',
      'Not allowed for this role',
      `A ${principal.role} token may not ${VERBS[permission]}.`,
    );
};

const VERBS: Readonly<Record<Permission, string>> = {
  read: 'read',
  write: 'record facts (commands)',
  audit: 'read the records as they stood in the past, or their history',
  admin: 'operate the server',
};

/**
 * Region scopes: a token scoped to a region sees and changes that region's subtree only, and
 * "outside your region" looks exactly like "no such record". Where something is comes from the
 * domain (`placeOf`, from current states through the service's cache), so a record created a
 * moment ago is placed correctly before the read models have caught up.
 */
export class RegionAccess {
  readonly #cogov: CogovService;

  constructor(cogov: CogovService) {
    this.#cogov = cogov;
  }

  /**
   * Paths of regions known to exist: a region's place in the tree is fixed when it is defined and
   * it never ceases to exist (a retired region keeps its records), so they are kept (bounded).
   */
  readonly #paths = new Map<string, readonly string[]>();

  /** A region's id and its ancestors' (root first), or just the id if it does not exist. */
  async pathOf(regionId: string): Promise<readonly string[]> {
    const known = this.#paths.get(regionId);
    if (known !== undefined) return known;
    const path = regionPath((await this.#cogov.load('region', regionId)).state as RegionState);
    if (path.length === 0) return [regionId];
    if (this.#paths.size >= 100_000) this.#paths.clear();
    this.#paths.set(regionId, path);
    return path;
  }

  async inScope(principal: Principal, regionId: string | null): Promise<boolean> {
    if (principal.scope === '*') return true;
    if (regionId === null) return false;
    return (await this.pathOf(regionId)).includes(principal.scope);
  }

  /** Refuses (403) unless every region is in the token's subtree; the message reveals nothing of them. */
  async require(principal: Principal, regions: readonly (string | null)[], field?: string): Promise<void> {
    for (const region of regions) {
      if (!(await this.inScope(principal, region))) throw outOfScope(principal, field);
    }
  }

  /**
   * A region a request reads: in the token's subtree (else 403, as for anything outside it), and
   * existing (else 404 naming the field): an unscoped token learns that it does not exist.
   */
  async place(principal: Principal, regionId: string | null, field: string): Promise<void> {
    await this.require(principal, [regionId], field);
    const exists = await this.#exists(regionId);
    if (!exists)
      throw problem(404, 'not-found', 'No such region', `There is no such region or record (${field}).`, {
        errors: [{ field, message: 'not found' }],
      });
  }

  async #exists(regionId: string | null): Promise<boolean> {
    if (regionId === null) return false;
    await this.pathOf(regionId);
    return this.#paths.has(regionId);
  }

  /** The region a record is at home in (null: it does not exist, or is nowhere). */
  async regionOf(kind: AggregateName, id: string): Promise<string | null> {
    return (await this.#cogov.placeOf(kind, id))?.home ?? null;
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
    return kind === undefined ? null : this.regionOf(kind, id);
  }

  /**
   * Whether a token may send a command: the record it is addressed to is at home in the token's
   * region (or, for dual reporting and pairing, the receiving community is), and every record it
   * names is there too (a member or a unit may also be named where it serves). A missing record
   * and one outside the token's region give the same 403, naming the field; a command that begins
   * a record whose id is taken elsewhere answers the refusal the rules give for a taken id here.
   */
  async authorizeCommand(principal: Principal, command: DomainCommand): Promise<void> {
    if (principal.scope === '*') return;
    const scope = commandScope(command);
    const target = await this.#cogov.placeOf(scope.target.aggregate, scope.target.id);
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
    if (place.home !== null && (await this.#existingInScope(principal, place.home))) return true;
    if (!serving) return false;
    for (const community of place.serves) if (await this.#existingInScope(principal, community)) return true;
    return false;
  }

  async #existingInScope(principal: Principal, regionId: string): Promise<boolean> {
    return (await this.#exists(regionId)) && (await this.inScope(principal, regionId));
  }
}

/** The one answer for "outside your region" and "no such record" alike. */
const outOfScope = (principal: Principal, field: string | undefined) =>
  problem(
    403,
    'out-of-scope',
    'Outside your region',
    `This token is limited to region ${principal.scope} and what lies under it${field === undefined ? '' : `; ${field} names no record there`}.`,
    field === undefined ? {} : { errors: [{ field, message: 'no such record in the token’s region' }] },
  );
