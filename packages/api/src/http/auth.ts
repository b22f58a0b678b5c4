import type { AggregateName, CogovService, DomainCommand } from '@cogov/domain';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Role, TokenConfig } from '../config.ts';
import { problem } from './problems.ts';

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

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

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

/** The regions a command's fields name directly. */
const REGION_FIELDS = ['regionId', 'communityId', 'parentId'] as const;

/**
 * Region scopes: a token scoped to a region sees and changes that region's subtree only. Where
 * something is comes from the log itself (current states through the service's cache), so a
 * record created a moment ago is placed correctly before the read models have caught up.
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
    const { state } = await this.#cogov.load('region', regionId);
    const region = state as { status: string; ancestors?: readonly string[] };
    if (region.status === 'absent') return [regionId];
    const path = [...(region.ancestors ?? []), regionId];
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
      if (!(await this.inScope(principal, region)))
        throw problem(
          403,
          'out-of-scope',
          'Outside your region',
          `This token is limited to region ${principal.scope} and what lies under it.`,
          field === undefined ? {} : { errors: [{ field, message: 'outside the token’s region' }] },
        );
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

  /** The region an aggregate belongs to, from its current state (null: absent or nowhere). */
  async regionOf(kind: AggregateName, id: string): Promise<string | null> {
    const { state } = await this.#cogov.load(kind, id);
    const s = state as Record<string, unknown> & { status: string };
    if (s.status === 'absent') return null;
    switch (kind) {
      case 'region':
        return id;
      case 'member': {
        const community = s['communityId'] as string | null;
        if (community !== null) return community;
        const unit = s['unitId'] as string | null;
        return unit === null ? null : this.regionOf('unit', unit);
      }
      case 'committee':
      case 'unit':
      case 'issue':
      case 'activity':
        return s['regionId'] as string;
      case 'grid':
      case 'project':
        return s['communityId'] as string;
    }
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
   * Every region a command touches: where its aggregate is (or, for one being created, where the
   * command puts it) and every region its fields name. A command on something that does not
   * exist and names no region is placed nowhere: only an unscoped token may send it.
   */
  async regionsOfCommand(
    kind: AggregateName,
    id: string,
    command: DomainCommand,
  ): Promise<(string | null)[]> {
    const fields = command as unknown as Record<string, unknown>;
    const named = REGION_FIELDS.map((f) => fields[f]).filter((v): v is string => typeof v === 'string');
    const existing = await this.regionOf(kind, id);
    if (existing !== null) return [existing, ...named];
    if (named.length > 0) return named;
    const committeeId = fields['committeeId'];
    if (kind !== 'committee' && typeof committeeId === 'string')
      return [await this.regionOf('committee', committeeId)];
    const unitId = fields['unitId'];
    if (kind === 'member' && typeof unitId === 'string') return [await this.regionOf('unit', unitId)];
    return [null];
  }
}
