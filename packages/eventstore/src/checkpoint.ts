import { fingerprintOf, type InstallationKey } from '@cogov/storage';
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';

/**
 * A signed checkpoint: the log's chain hash at a position, signed with the installation's
 * Ed25519 key. An auditor who keeps one can later prove that the log up to its position is
 * unchanged (`cogov verify --against`), as a certificate-transparency log's signed tree head.
 */
export interface Checkpoint {
  readonly type: 'cogov-checkpoint';
  readonly version: 1;
  /** The last position the checkpoint covers. */
  readonly position: number;
  /** The chain hash of the event at `position`, hex. */
  readonly hash: string;
  /** When it was signed (ISO 8601). */
  readonly issuedAt: string;
  /** The signing key: SubjectPublicKeyInfo (DER), base64. */
  readonly publicKey: string;
  /** SHA-256 of the signing key's DER, hex. */
  readonly keyFingerprint: string;
  /** Ed25519 over `signedText(...)`, base64. */
  readonly signature: string;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** A checkpoint as read from a file or a request: its shape checked before its signature. */
export const checkpointSchema = z
  .object({
    type: z.literal('cogov-checkpoint'),
    version: z.literal(1),
    position: z.number().int().nonnegative(),
    hash: z.string().regex(HEX64, 'a SHA-256 hash in lower-case hex'),
    issuedAt: z.iso.datetime({ offset: true }),
    publicKey: z.base64(),
    keyFingerprint: z.string().regex(HEX64, 'a SHA-256 fingerprint in lower-case hex'),
    signature: z.base64(),
  })
  .strict();

/** The exact text a checkpoint's signature covers. */
export const signedText = (checkpoint: Pick<Checkpoint, 'position' | 'hash' | 'issuedAt'>): Buffer =>
  Buffer.from(
    `cogov-checkpoint/1\nposition ${checkpoint.position}\nhash ${checkpoint.hash}\nissued-at ${checkpoint.issuedAt}\n`,
    'utf8',
  );

/** Signs the chain hash at a position with the installation's key. */
export const signCheckpoint = (
  key: InstallationKey,
  point: { readonly position: number; readonly hash: string },
  issuedAt: Date = new Date(),
): Checkpoint => {
  const body = { position: point.position, hash: point.hash, issuedAt: issuedAt.toISOString() };
  return {
    type: 'cogov-checkpoint',
    version: 1,
    ...body,
    publicKey: key.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    keyFingerprint: key.fingerprint,
    signature: sign(null, signedText(body), key.privateKey).toString('base64'),
  };
};

/** Why a checkpoint cannot be trusted. */
export type CheckpointProblem =
  | { readonly problem: 'malformed'; readonly detail: string }
  | { readonly problem: 'bad-signature'; readonly detail: string }
  | { readonly problem: 'other-key'; readonly detail: string };

/**
 * Checks a checkpoint: its shape, that its signature verifies with the key it names, and (given
 * `trusted`, the key an auditor holds or this installation's) that it is that key. Returns the
 * checkpoint, or what is wrong with it.
 */
export const checkCheckpoint = (
  input: unknown,
  trusted?: KeyObject,
): { readonly ok: true; readonly checkpoint: Checkpoint } | ({ readonly ok: false } & CheckpointProblem) => {
  const parsed = checkpointSchema.safeParse(input);
  if (!parsed.success)
    return {
      ok: false,
      problem: 'malformed',
      detail: parsed.error.issues
        .map((i) => `${i.path.join('.') || '(checkpoint)'}: ${i.message}`)
        .join('; '),
    };
  const checkpoint = parsed.data as Checkpoint;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(checkpoint.publicKey, 'base64'), format: 'der', type: 'spki' });
  } catch (error) {
    return { ok: false, problem: 'malformed', detail: `publicKey: not a public key (${String(error)})` };
  }
  if (key.asymmetricKeyType !== 'ed25519')
    return {
      ok: false,
      problem: 'malformed',
      detail: `publicKey: an ${key.asymmetricKeyType} key, not Ed25519`,
    };
  if (fingerprintOf(key) !== checkpoint.keyFingerprint)
    return {
      ok: false,
      problem: 'bad-signature',
      detail: 'keyFingerprint: it is not the fingerprint of publicKey',
    };
  if (!verify(null, signedText(checkpoint), key, Buffer.from(checkpoint.signature, 'base64')))
    return {
      ok: false,
      problem: 'bad-signature',
      detail: 'the signature does not verify: the position, hash or time is not what was signed',
    };
  if (trusted !== undefined && fingerprintOf(trusted) !== checkpoint.keyFingerprint)
    return {
      ok: false,
      problem: 'other-key',
      detail: `signed by key ${checkpoint.keyFingerprint.slice(0, 16)}…, not by the trusted key ${fingerprintOf(trusted).slice(0, 16)}…`,
    };
  return { ok: true, checkpoint };
};
