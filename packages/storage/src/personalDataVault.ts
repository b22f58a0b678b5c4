import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { ERASED, type PersonalDataCipher } from '@cogov/domain/kernel';
import { ensureWritableDirectory } from './directory.ts';
import { DataDirectoryError } from './errors.ts';

/** A personal value as the log stores it: AES-256-GCM under its subject's own key. */
export interface SealedValue {
  /** The cipher, and the mark that tells a sealed value from a plain one. */
  readonly sealed: 'aes-256-gcm';
  /** Whose data it is (`member:<id>`): a pseudonymous id, not personal data itself. */
  readonly subject: string;
  /** base64 of the 12-byte IV, the ciphertext and the 16-byte tag. */
  readonly data: string;
}

export const isSealedValue = (value: unknown): value is SealedValue =>
  typeof value === 'object' &&
  value !== null &&
  (value as { sealed?: unknown }).sealed === 'aes-256-gcm' &&
  typeof (value as { subject?: unknown }).subject === 'string' &&
  typeof (value as { data?: unknown }).data === 'string';

/** What a read shows for a sealed value whose key this installation does not hold (not erased: lost). */
export const KEY_MISSING = '〔密钥缺失 key missing〕';

/** A personal value was to be sealed for a subject whose data has been erased. */
export class SubjectErasedError extends Error {
  readonly _tag = 'SubjectErasedError';
  constructor(readonly subject: string) {
    super(`the personal data of ${subject} has been erased: nothing new is recorded under it`);
  }
}

/**
 * The data keys of personal data (PIPL): one AES-256 key per person, each in a file of its own
 * under `keys/personal/` beside the log, never in it. Erasing a person overwrites their key file
 * with zeros, syncs it and unlinks it, and leaves a tombstone (`<id>.erased`, empty) so that no new
 * key is made for them; from then on their sealed values cannot be opened by anyone, while the
 * log, its hash chain and every statistic stay as they were (ADR 16).
 *
 * File names are SHA-256 of the subject, so the directory lists no ids.
 */
export class PersonalDataVault {
  readonly directory: string;
  readonly #keys = new Map<string, Buffer | null>();

  private constructor(directory: string) {
    this.directory = directory;
  }

  /** The vault in `directory` (made, readable by its owner only, if missing). */
  static open(directory: string): PersonalDataVault {
    ensureWritableDirectory(directory, { mode: 0o700 });
    return new PersonalDataVault(directory);
  }

  #file(subject: string, suffix: 'key' | 'erased'): string {
    return join(this.directory, `${createHash('sha256').update(subject).digest('hex')}.${suffix}`);
  }

  /** The subject's key; null once erased; undefined when none was ever made. */
  #key(subject: string): Buffer | null | undefined {
    const known = this.#keys.get(subject);
    if (known !== undefined) return known;
    if (existsSync(this.#file(subject, 'erased'))) {
      this.#keys.set(subject, null);
      return null;
    }
    const file = this.#file(subject, 'key');
    if (!existsSync(file)) return undefined;
    const key = readFileSync(file);
    if (key.length !== 32)
      throw new DataDirectoryError(this.directory, 'corrupt', `the key file ${file} is not a 32-byte key`);
    this.#keys.set(subject, key);
    return key;
  }

  /** Whether the subject's personal data has been erased. */
  isErased(subject: string): boolean {
    return this.#key(subject) === null;
  }

  /** Seals a value under the subject's key, making the key (durably) on first use. */
  seal(subject: string, plaintext: string): SealedValue {
    let key = this.#key(subject);
    if (key === null) throw new SubjectErasedError(subject);
    if (key === undefined) key = this.#create(subject);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    // The subject is authenticated with the value: a sealed value moved to another subject fails.
    cipher.setAAD(Buffer.from(subject, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      sealed: 'aes-256-gcm',
      subject,
      data: Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64'),
    };
  }

  /**
   * The plaintext of a sealed value; null when its subject's data has been erased; `KEY_MISSING`
   * when this vault never held the subject's key (a log moved without its keys, a lost backup).
   */
  open(value: SealedValue): string | null {
    const key = this.#key(value.subject);
    if (key === null) return null;
    if (key === undefined) return KEY_MISSING;
    const bytes = Buffer.from(value.data, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(value.subject, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString(
      'utf8',
    );
  }

  /**
   * Destroys the subject's key: the tombstone first (so a crash half-way still reads as erased),
   * then the key file overwritten with zeros, synced and unlinked. Idempotent.
   */
  erase(subject: string): void {
    const tombstone = this.#file(subject, 'erased');
    if (!existsSync(tombstone)) {
      writeFileSync(tombstone, '', { mode: 0o600 });
      syncFile(tombstone);
    }
    this.#keys.set(subject, null);
    const file = this.#file(subject, 'key');
    if (existsSync(file)) {
      const fd = openSync(file, 'r+');
      try {
        writeSync(fd, Buffer.alloc(32));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      unlinkSync(file);
    }
    syncFile(this.directory);
  }

  /** The vault as the personal-data store uses it (`withDomainPersonalData`). */
  asCipher(): PersonalDataCipher {
    return {
      seal: (subject, plaintext) => this.seal(subject, plaintext),
      open: (value) => (isSealedValue(value) ? this.open(value) : undefined),
      erase: (subject) => this.erase(subject),
    };
  }

  /** A value as read models hold it (plain, or sealed) as people may read it: its plaintext, or ERASED. */
  reveal(value: unknown): string {
    if (typeof value === 'string') return value;
    if (isSealedValue(value)) return this.open(value) ?? ERASED;
    return String(value);
  }

  /** Writes a new key atomically (a temporary file linked into place: never half a key). */
  #create(subject: string): Buffer {
    const key = randomBytes(32);
    const file = this.#file(subject, 'key');
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temporary, key, { mode: 0o600 });
    syncFile(temporary);
    try {
      linkSync(temporary, file);
    } catch (error) {
      // Another writer made it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(temporary);
    }
    syncFile(this.directory);
    this.#keys.delete(subject);
    return this.#key(subject) as Buffer;
  }
}

const syncFile = (path: string) => {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};
