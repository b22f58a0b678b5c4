import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { chmodSync, existsSync, linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { ensureWritableDirectory } from './directory.ts';
import { join } from 'node:path';
import { DataDirectoryError } from './errors.ts';

const PRIVATE = 'installation-ed25519.pem';
const PUBLIC = 'installation-ed25519.pub.pem';

/** A public key's fingerprint: SHA-256 of its SubjectPublicKeyInfo (DER), hex, as auditors quote it. */
export const fingerprintOf = (publicKey: KeyObject): string =>
  createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');

/**
 * The installation's Ed25519 signing key, kept in `keys/` beside the log (never in it), with
 * which cogov signs checkpoints of its log. The private key file is readable by its owner only;
 * the public key is also written out, to hand to auditors. Back both up with the data directory:
 * checkpoints signed with a lost key can still be verified with the public key, but new ones
 * will carry a new key.
 */
export class InstallationKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly fingerprint: string;

  private constructor(privateKey: KeyObject) {
    this.privateKey = privateKey;
    this.publicKey = createPublicKey(privateKey);
    this.fingerprint = fingerprintOf(this.publicKey);
  }

  /** The key in `directory`, or null when there is none yet. */
  static load(directory: string): InstallationKey | null {
    const file = join(directory, PRIVATE);
    if (!existsSync(file)) return null;
    try {
      const key = createPrivateKey(readFileSync(file));
      if (key.asymmetricKeyType !== 'ed25519')
        throw new Error(`an ${key.asymmetricKeyType} key, not Ed25519`);
      return new InstallationKey(key);
    } catch (error) {
      throw new DataDirectoryError(
        directory,
        'corrupt',
        `holds an unreadable installation key ${file} (${String(error)})`,
        {
          cause: error,
        },
      );
    }
  }

  /** The key in `directory`, made (and written, owner-only) when there is none. */
  static loadOrCreate(directory: string): InstallationKey {
    const existing = InstallationKey.load(directory);
    if (existing !== null) return existing;
    ensureWritableDirectory(directory, { mode: 0o700 });
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const file = join(directory, PRIVATE);
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    chmodSync(temporary, 0o600);
    try {
      // A link appears whole or not at all, and never replaces a key another process made first.
      linkSync(temporary, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return InstallationKey.load(directory) as InstallationKey;
    } finally {
      unlinkSync(temporary);
    }
    writeFileSync(join(directory, PUBLIC), publicKey.export({ type: 'spki', format: 'pem' }));
    return new InstallationKey(privateKey);
  }
}
