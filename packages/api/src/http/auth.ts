import { createHash, timingSafeEqual } from 'node:crypto';
import type { Role, TokenConfig } from '../config.ts';
import { problem } from '../problems/registry.ts';

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

const BEARER = 'Bearer realm="cogov"';

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
        'unauthorized',
        header === undefined
          ? 'Send Authorization: Bearer <token>.'
          : 'The Authorization header is not "Bearer <token>".',
        {
          errors: [
            { field: 'header.authorization', message: header === undefined ? 'missing' : 'malformed' },
          ],
          headers: { 'www-authenticate': BEARER },
        },
      );
    const hash = createHash('sha256')
      .update(match[1] as string)
      .digest();
    let found: Principal | undefined;
    // Every configured hash is compared, so the time taken says nothing about which one matched.
    for (const token of this.#tokens) if (timingSafeEqual(token.hash, hash)) found ??= token.principal;
    if (found === undefined)
      throw problem('unauthorized', 'The bearer token is not one this server knows.', {
        errors: [{ field: 'header.authorization', message: 'unknown token' }],
        headers: { 'www-authenticate': `${BEARER}, error="invalid_token"` },
      });
    return found;
  }
}

const VERBS: Readonly<Record<Permission, string>> = {
  read: 'read',
  write: 'record facts (commands)',
  audit: 'read the records as they stood in the past, or their history',
  admin: 'operate the server',
};

/** Refuses (403) unless the principal's role grants the permission. */
export const authorize = (principal: Principal, permission: Permission): void => {
  if (!GRANTS[principal.role].includes(permission))
    throw problem('forbidden', `A ${principal.role} token may not ${VERBS[permission]}.`);
};
