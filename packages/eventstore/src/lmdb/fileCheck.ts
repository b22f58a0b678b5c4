import { checkLmdbFile, DataDirectoryError } from '@cogov/storage';
import { LOG_PROBE } from './precheck.ts';

/** The event log's own check: its meta and last record must read. */
export const checkLogFile = (directory: string, file: string): void => {
  try {
    checkLmdbFile(directory, file, LOG_PROBE);
  } catch (error) {
    if (error instanceof DataDirectoryError && error.problem === 'corrupt')
      throw new DataDirectoryError(
        directory,
        'corrupt',
        `${error.message.replace(/^data directory [^:]+: /, '')}; restore it from a backup`,
      );
    throw error;
  }
};
