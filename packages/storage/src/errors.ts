import { CogovError } from '@cogov/domain/kernel';

export type DataDirectoryProblem = 'locked' | 'read-only' | 'corrupt' | 'newer-format' | 'unusable';

/**
 * The data directory cannot be used: locked by another process, read-only, corrupt or written by
 * a newer version. Nothing was written; the message names the path and what to do.
 */
export class DataDirectoryError extends CogovError {
  readonly _tag = 'DataDirectory';
  constructor(
    readonly path: string,
    readonly problem: DataDirectoryProblem,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`data directory ${path}: ${detail}`, options);
  }
}

export const isDataDirectoryError = (error: unknown): error is DataDirectoryError =>
  typeof error === 'object' && error !== null && (error as { _tag?: unknown })._tag === 'DataDirectory';
