import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { afterAll, describe, expect, it } from 'vitest';
import { isDataDirectoryError } from './errors.ts';
import { checkLmdbFile } from './fileCheck.ts';

const dir = mkdtempSync(join(tmpdir(), 'cogov-filecheck-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'data.mdb');
const root = open({ path: file });
root.putSync('k', 1);
await root.close();

const failure = (probe: string): unknown => {
  try {
    checkLmdbFile(dir, file, probe);
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('checkLmdbFile', () => {
  it('passes a healthy file its probe can read', () => {
    const probe = join(dir, 'ok.cjs');
    writeFileSync(probe, 'process.exit(0);');
    expect(failure(probe)).toBeUndefined();
  });

  it('reports the probe’s own error, not the last line of its stack', () => {
    const probe = join(dir, 'fails.cjs');
    writeFileSync(probe, "throw new RangeError('page 7 points past the end of the file');");
    const error = failure(probe);
    expect(isDataDirectoryError(error) && error.problem).toBe('corrupt');
    expect(String(error)).toContain('RangeError: page 7 points past the end of the file');
    expect(String(error)).not.toContain('Node.js v');
  });

  it('calls a missing probe a broken installation, not a damaged file', () => {
    const error = failure(join(dir, 'absent.cjs'));
    expect(isDataDirectoryError(error) && error.problem).toBe('unusable');
    expect(String(error)).toContain('this installation lacks');
  });

  it('calls a probe that cannot load its modules a broken installation, not a damaged file', () => {
    const probe = join(dir, 'broken.cjs');
    writeFileSync(probe, "require('a-module-that-is-not-installed');");
    const error = failure(probe);
    expect(isDataDirectoryError(error) && error.problem).toBe('unusable');
  });
});
