import { precheckLmdbFile, type FileStamp } from '@cogov/storage';
import { join, resolve } from 'node:path';

/** The script that reads the log's file in a throwaway process (see `checkLmdbFile`). */
export const LOG_PROBE = new URL('./probe.cjs', import.meta.url);

/** The log's file in a data directory. */
export const logFileOf = (path: string): string => join(resolve(path), 'log.mdb');

/**
 * Checks the log's file under `path` in a child process without blocking, so that the check runs
 * beside the read models' and beside loading the server's code. Resolves with the file's stamp if
 * it passed (`LmdbEventStore.open({ prechecked })` then skips its own check while the file is
 * unchanged), or null (open checks, and says why). A module of its own, light to load
 * (`@cogov/eventstore/precheck`): a start can run it before loading the rest.
 */
export const precheckLog = (path: string): Promise<FileStamp | null> =>
  precheckLmdbFile(resolve(path), logFileOf(path), LOG_PROBE);
