import { precheckLog } from '@cogov/eventstore/precheck';
import { precheckReadModels } from '@cogov/projections/precheck';
import type { FileStamp } from '@cogov/storage';
import { dataPaths, type Config } from './config.ts';

/** The crash-isolated checks of a data directory's two LMDB files, running (see `startPrechecks`). */
export interface Prechecks {
  readonly log: Promise<FileStamp | null>;
  readonly readModels: Promise<FileStamp | null>;
}

/**
 * Starts the checks of the log's file (embedded store only) and the read models' file, each in a
 * child process, and returns at once. A light module (`@cogov/api/prechecks`): `cogov serve` starts
 * them before loading the server's code, so that the two run while it loads; `openRuntime` takes
 * them as `prechecks`, and each store skips its own check while its file is unchanged since.
 */
export const startPrechecks = (config: Config): Prechecks => {
  const paths = dataPaths(config);
  return {
    log: config.kurrentdbConnectionString === undefined ? precheckLog(paths.events) : Promise.resolve(null),
    readModels: precheckReadModels(paths.readModels),
  };
};
