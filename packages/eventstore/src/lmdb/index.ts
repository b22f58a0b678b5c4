export { LmdbEventStore, LMDB_FORMAT_VERSION, type LmdbEventStoreOptions } from './lmdbEventStore.ts';
export { DataDirectoryError, isDataDirectoryError } from '../errors.ts';
export { DirectoryLock } from './lock.ts';
export { checkLmdbFile } from './fileCheck.ts';
