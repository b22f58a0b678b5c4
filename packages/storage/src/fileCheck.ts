import { spawn, spawnSync } from 'node:child_process';
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
  const script = checkHeader(directory, file, probe);
  const run = spawnSync(process.execPath, [script, file], {
    encoding: 'utf8',
    timeout: PROBE_TIMEOUT_MS,
  });
  judge(directory, file, { error: run.error, status: run.status, signal: run.signal, stderr: run.stderr });
};

/**
 * `checkLmdbFile` without blocking: the probe runs while the caller goes on (the log's own check,
 * loading code). The probe process is started before this returns.
 */
export const checkLmdbFileAsync = (directory: string, file: string, probe: string | URL): Promise<void> => {
  let script: string;
  try {
    script = checkHeader(directory, file, probe);
  } catch (error) {
    return Promise.reject(asError(error));
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, file], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: PROBE_TIMEOUT_MS,
    });
    let stderr = '';
    let failed: Error | undefined;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (error) => (failed = error));
    child.once('close', (status, signal) => {
      try {
        judge(directory, file, { error: failed, status, signal, stderr });
        resolve();
      } catch (error) {
        reject(asError(error));
      }
    });
  });
};

/** What identifies a file's contents cheaply: changed by any write. */
export interface FileStamp {
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
}

export const stampOf = (file: string): FileStamp => {
  const { ino, size, mtimeMs } = statSync(file);
  return { ino, size, mtimeMs };
};

/** Whether a stamp from a check still describes the file: its inode, size and modification time. */
export const sameStamp = (a: FileStamp | null | undefined, b: FileStamp): boolean =>
  a !== null && a !== undefined && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;

/**
 * `checkLmdbFileAsync` ahead of opening, so that the checks of several files, and loading code,
 * run at once: resolves with the file's stamp as it was checked if it passed, or null if it is
 * missing or failed (the opener then checks it itself, and says why). Never rejects. The opener
 * trusts the stamp only while `sameStamp` holds for the file.
 */
export const precheckLmdbFile = (
  directory: string,
  file: string,
  probe: string | URL,
): Promise<FileStamp | null> => {
  if (!existsSync(file)) return Promise.resolve(null);
  let before: FileStamp;
  try {
    before = stampOf(file);
  } catch {
    return Promise.resolve(null);
  }
  return checkLmdbFileAsync(directory, file, probe).then(
    () => before,
    () => null,
  );
};

const PROBE_TIMEOUT_MS = 30_000;

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** The header check; returns the probe script's path. */
const checkHeader = (directory: string, file: string, probe: string | URL): string => {
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
  return script;
};

/** What the probe's exit says about the file. */
const judge = (
  directory: string,
  file: string,
  run: {
    readonly error: Error | undefined;
    readonly status: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly stderr: string;
  },
): void => {
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
