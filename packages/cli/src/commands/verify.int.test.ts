import { RawLog } from '@cogov/eventstore/testing';
import { InstallationKey } from '@cogov/storage';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERIFY_EXIT } from './verify.ts';

const MAIN = join(import.meta.dirname, '..', 'main.ts');
const dir = mkdtempSync(join(tmpdir(), 'cogov-verify-'));
const data = join(dir, 'data');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cogov = (args: readonly string[]) =>
  spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, COGOV_DATA_DIR: data },
    timeout: 120_000,
  });

beforeAll(() => {
  const seeded = cogov(['seed', '--scenario', 'huitong']);
  expect(seeded.status, seeded.stderr).toBe(0);
}, 180_000);

describe('cogov verify and cogov checkpoint', () => {
  const kept = join(dir, 'checkpoint.json');

  it('signs a checkpoint of the head and verifies the log against it (exit 0)', () => {
    const signed = cogov(['checkpoint', '--out', kept]);
    expect(signed.status, signed.stderr).toBe(0);
    const checkpoint = JSON.parse(readFileSync(kept, 'utf8')) as { position: number; keyFingerprint: string };
    expect(checkpoint.keyFingerprint).toBe(InstallationKey.load(join(data, 'keys'))?.fingerprint);
    const whole = cogov(['verify']);
    expect(whole.status, whole.stderr).toBe(VERIFY_EXIT.intact);
    expect(whole.stdout).toContain(`intact: positions 0–${checkpoint.position}`);
    const against = cogov(['verify', '--against', kept]);
    expect(against.status, against.stderr).toBe(VERIFY_EXIT.intact);
    expect(against.stdout).toContain('the checkpoint matches');
    const json = cogov(['verify', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ from: 0, to: checkpoint.position, break: null });
  }, 60_000);

  it('resumes after a trusted checkpoint', () => {
    const checkpoint = JSON.parse(readFileSync(kept, 'utf8')) as { position: number };
    const resumed = cogov(['verify', '--after', kept, '--json']);
    expect(resumed.status, resumed.stderr).toBe(VERIFY_EXIT.intact);
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      from: checkpoint.position + 1,
      events: 0,
      break: null,
    });
  }, 60_000);

  it('refuses a checkpoint whose fields were changed (exit 5), signed by another key (exit 5), or malformed (exit 2)', () => {
    const checkpoint = JSON.parse(readFileSync(kept, 'utf8')) as Record<string, unknown>;
    const forged = join(dir, 'forged.json');
    writeFileSync(
      forged,
      JSON.stringify({ ...checkpoint, position: (checkpoint['position'] as number) - 1 }),
    );
    const refused = cogov(['verify', '--against', forged]);
    expect(refused.status).toBe(VERIFY_EXIT.untrusted);
    expect(refused.stderr).toContain('signature does not verify');

    const otherKey = InstallationKey.loadOrCreate(join(dir, 'other-keys'));
    const other = cogov([
      'verify',
      '--against',
      kept,
      '--key',
      join(dir, 'other-keys', 'installation-ed25519.pub.pem'),
    ]);
    expect(other.status).toBe(VERIFY_EXIT.untrusted);
    expect(other.stderr).toContain(otherKey.fingerprint.slice(0, 16));

    const malformed = join(dir, 'malformed.json');
    writeFileSync(malformed, JSON.stringify({ ...checkpoint, hash: 'beef' }));
    const bad = cogov(['verify', '--against', malformed]);
    expect(bad.status).toBe(VERIFY_EXIT.usage);
    expect(bad.stderr).toContain('hash');
  }, 60_000);

  it('finds an event rewritten on disk: exit 1, naming its position and stream, and the kept checkpoint no longer matches', async () => {
    const log = new RawLog(join(data, 'events'));
    const corruption = log.corrupt('rewrite', () => 0.42);
    const broken = cogov(['verify']);
    expect(broken.status).toBe(VERIFY_EXIT.broken);
    expect(broken.stdout).toContain(
      `BROKEN at position ${corruption.position} (stream ${corruption.streamId}): hash`,
    );
    expect(broken.stdout).toMatch(/expected: [0-9a-f]{64}/);
    const against = cogov(['verify', '--against', kept]);
    expect(against.status).toBe(VERIFY_EXIT.broken);
    expect(against.stdout).toContain(`BROKEN at position ${corruption.position}`);
    corruption.undo();
    await log.close();
    expect(cogov(['verify', '--against', kept]).status).toBe(VERIFY_EXIT.intact);
  }, 60_000);

  it('says which data directory it cannot read (exit 3)', () => {
    const missing = spawnSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', MAIN, 'verify', '--data-dir', join(dir, 'nowhere')],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(missing.status).toBe(VERIFY_EXIT.directory);
    expect(missing.stderr).toContain('nowhere');
  }, 60_000);
});
