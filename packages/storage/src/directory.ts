import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataDirectoryError } from './errors.ts';

/**
 * Creates a data directory (and its parents) unless it exists, and checks that cogov may write
 * in it; refuses with a DataDirectoryError (`read-only`) that names the directory and the real
 * cause. Node's recursive mkdir reports a parent on a read-only filesystem or without write
 * permission as ENOENT ("no such file or directory"), which sends an operator looking for a
 * missing path: the cause given is then the nearest existing parent's own (EROFS, EACCES).
 */
export const ensureWritableDirectory = (path: string, options: { readonly mode?: number } = {}): void => {
  try {
    mkdirSync(path, { recursive: true, ...(options.mode === undefined ? {} : { mode: options.mode }) });
    accessSync(path, constants.W_OK);
  } catch (error) {
    const cause = realCause(path, error);
    throw new DataDirectoryError(path, 'read-only', `is not writable (${String(cause)})`, { cause });
  }
};

/** Why a directory could not be made: the nearest existing parent's refusal, checked without writing. */
const realCause = (path: string, error: unknown): unknown => {
  if ((error as NodeJS.ErrnoException | null)?.code !== 'ENOENT') return error;
  let parent = dirname(path);
  while (!existsSync(parent) && dirname(parent) !== parent) parent = dirname(parent);
  try {
    accessSync(parent, constants.W_OK);
  } catch (refusal) {
    return refusal;
  }
  return error;
};
