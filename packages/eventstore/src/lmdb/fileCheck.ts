import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DataDirectoryError } from '../errors.ts';

const LMDB_MAGIC = 0xbeefc0de;
const MAGIC_OFFSET = 24;

/**
 * Checks an existing LMDB file before lmdb-js opens it: both meta pages must carry LMDB's magic,
 * and a probe process must be able to read it. Throws DataDirectoryError('corrupt') otherwise.
 */
export const checkLogFile = (directory: string, file: string): void => {
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
  const probe = spawnSync(process.execPath, [fileURLToPath(new URL('./probe.cjs', import.meta.url)), file], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (probe.status !== 0) {
    const how =
      probe.signal === null
        ? `exit ${String(probe.status)}: ${probe.stderr.trim().split('\n').at(-1) ?? ''}`
        : `crashed with ${probe.signal}`;
    throw new DataDirectoryError(
      directory,
      'corrupt',
      `${file} cannot be read (${how}); restore it from a backup`,
    );
  }
};
