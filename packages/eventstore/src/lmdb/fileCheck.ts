import { checkLmdbFile, DataDirectoryError } from '@cogov/storage';

/** The event log's own check: its meta and last record must read. */
export const checkLogFile = (directory: string, file: string): void => {
  try {
    checkLmdbFile(directory, file, new URL('./probe.cjs', import.meta.url));
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
