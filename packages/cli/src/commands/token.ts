import { sha256, type Role, type TokenConfig } from '@cogov/api/config';
import { randomBytes } from 'node:crypto';

/** A new bearer token: 24 random bytes, recognisable by its prefix. */
export const newToken = () => `cogov_${randomBytes(24).toString('base64url')}`;

/** `cogov token create`: a token, and the configuration entry that admits it (its hash only). */
export const createToken = (flags: { name: string; role: Role; scope: string }): void => {
  const value = newToken();
  const entry: TokenConfig = {
    name: flags.name,
    sha256: sha256(value),
    role: flags.role,
    scope: flags.scope,
  };
  console.log(`token (give it to ${flags.name}; it is not stored anywhere): ${value}`);
  console.log(`configuration entry (add it to "tokens" in the COGOV_CONFIG file or COGOV_TOKENS):`);
  console.log(JSON.stringify(entry));
};
