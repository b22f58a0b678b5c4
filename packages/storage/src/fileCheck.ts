import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DataDirectoryError } from './errors.ts';

const LMDB_MAGIC = 0xbeefc0de;
const MAGIC_OFFSET = 24;

/**
 * Checks an existing LMDB file before lmdb-js opens it: both meta pages must carry LMDB's magic,
 * and `probe` (a script run in a throwaway Node process with the file's path) must read it
 * without failing. lmdb-js crashes the process (SIGSEGV) on some damaged files: the probe takes
 * that crash instead of the server. Throws DataDirectoryError('corrupt') with the probe's own
 * error otherwise.
 */
export const checkLmdbFile = (directory: string, file: string, probe: string | URL): void => {
  const size = statSync(file).size;
  const header = Buffer.alloc(4096 + MAGIC_OFFSET + 4);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  const pageSize = header.readUInt32LE(0x30);
  const valid =
    size >= 2 * 4096 &&
    header.readUInt32LE(MAGIC_OFFSET) === LMDB_MAGIC &&
    (pageSize !== 4096 || header.readUInt32LE(4096 + MAGIC_OFFSET) === LMDB_MAGIC);
  if (!valid)
    throw new DataDirectoryError(directory, 'corrupt', `${file} is not an LMDB file (bad or missing header)`);
  const script = probe instanceof URL ? fileURLToPath(probe) : probe;
  // A missing probe is a broken installation, not a damaged file: say which.
  if (!existsSync(script))
    throw new DataDirectoryError(
      directory,
      'unusable',
      `${file} cannot be checked: this installation lacks ${script}`,
    );
  const run = spawnSync(process.execPath, [script, file], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (run.error !== undefined)
    throw new DataDirectoryError(
      directory,
      'unusable',
      `${file} could not be checked: ${run.error.message}`,
      {
        cause: run.error,
      },
    );
  if (run.status !== 0 && /Cannot find (module|package)/.test(run.stderr))
    throw new DataDirectoryError(
      directory,
      'unusable',
      `${file} cannot be checked, the check cannot start: ${firstError(run.stderr)}`,
    );
  if (run.status !== 0) {
    const how =
      run.signal === null
        ? `the check failed with exit ${String(run.status)}: ${firstError(run.stderr)}`
        : `reading it crashed the check with ${run.signal}`;
    throw new DataDirectoryError(directory, 'corrupt', `${file} cannot be read (${how})`);
  }
};

/** The line of a child's stderr that says what went wrong (not the stack, not Node's version banner). */
const firstError = (stderr: string): string => {
  const lines = stderr.split('\n').map((l) => l.trim());
  return (
    lines.find((l) => /^[A-Za-z]*Error\b|^error:/i.test(l)) ?? lines.find((l) => l !== '') ?? '(nothing said)'
  );
};
