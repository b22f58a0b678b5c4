import { InstallationKey } from '@cogov/storage';
import fc from 'fast-check';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCheckpoint, signCheckpoint } from './checkpoint.ts';

const dir = mkdtempSync(join(tmpdir(), 'cogov-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('signed checkpoints', () => {
  const key = InstallationKey.loadOrCreate(join(dir, 'a'));
  const other = InstallationKey.loadOrCreate(join(dir, 'b'));
  const point = { position: 3117, hash: 'ab'.repeat(32) };

  it('keeps the installation key owner-only and loads the same key again', () => {
    expect(statSync(join(dir, 'a', 'installation-ed25519.pem')).mode & 0o777).toBe(0o600);
    expect(InstallationKey.loadOrCreate(join(dir, 'a')).fingerprint).toBe(key.fingerprint);
    expect(other.fingerprint).not.toBe(key.fingerprint);
  });

  it('verifies a checkpoint as signed, with its own key and with the trusted one', () => {
    const checkpoint = signCheckpoint(key, point, new Date('2026-12-01T00:00:00Z'));
    expect(checkCheckpoint(checkpoint)).toEqual({ ok: true, checkpoint });
    expect(checkCheckpoint(JSON.parse(JSON.stringify(checkpoint)), key.publicKey)).toMatchObject({
      ok: true,
    });
  });

  it('refuses a checkpoint signed by another key than the trusted one', () => {
    const checkpoint = signCheckpoint(other, point);
    expect(checkCheckpoint(checkpoint, key.publicKey)).toMatchObject({ ok: false, problem: 'other-key' });
  });

  it('refuses any change to a signed field, whatever it is', () => {
    const checkpoint = signCheckpoint(key, point);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({ position: fc.nat().filter((n) => n !== point.position) }),
          fc.record({ hash: fc.stringMatching(/^[0-9a-f]{64}$/).filter((h) => h !== point.hash) }),
          fc.record({
            issuedAt: fc
              .date({
                noInvalidDate: true,
                min: new Date('1970-01-01T00:00:00Z'),
                max: new Date('9999-12-31T00:00:00Z'),
              })
              .map((d) => d.toISOString())
              .filter((d) => d !== checkpoint.issuedAt),
          }),
        ),
        (change) => {
          const result = checkCheckpoint({ ...checkpoint, ...change }, key.publicKey);
          expect(result).toMatchObject({ ok: false, problem: 'bad-signature' });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses a checkpoint whose key was swapped for another (the signature no longer verifies)', () => {
    const checkpoint = signCheckpoint(key, point);
    const forged = signCheckpoint(other, point);
    expect(
      checkCheckpoint({ ...checkpoint, publicKey: forged.publicKey, keyFingerprint: forged.keyFingerprint }),
    ).toMatchObject({
      ok: false,
      problem: 'bad-signature',
    });
  });

  it('names the field of a malformed checkpoint', () => {
    const checkpoint = signCheckpoint(key, point);
    const result = checkCheckpoint({ ...checkpoint, hash: 'not hex' });
    expect(result).toMatchObject({ ok: false, problem: 'malformed' });
    expect(!result.ok && result.detail).toContain('hash');
  });
});
