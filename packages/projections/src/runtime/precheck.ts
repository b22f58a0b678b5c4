import { precheckLmdbFile, type FileStamp } from '@cogov/storage';
import { join, resolve } from 'node:path';

/** The script that reads the read models' file in a throwaway process (see `checkLmdbFile`). */
export const READ_MODELS_PROBE = new URL('./readModelsProbe.cjs', import.meta.url);

/**
 * Checks the read models' file under `path` in a child process without blocking, so that the
 * check runs beside others (the log's) and beside loading the server's code. Resolves with the
 * file's stamp if it passed (`ReadModelStore.open({ prechecked })` then skips its own check while
 * the file is unchanged), or null (open checks, and says why). A module of its own, light to
 * load (`@cogov/projections/precheck`): a start can run it before loading the rest.
 */
export const precheckReadModels = (path: string): Promise<FileStamp | null> =>
  precheckLmdbFile(resolve(path), join(resolve(path), 'read-models.mdb'), READ_MODELS_PROBE);
