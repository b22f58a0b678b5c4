export { LmdbEventStore, LMDB_FORMAT_VERSION, type LmdbEventStoreOptions } from './lmdbEventStore.ts';
export { DataDirectoryError, isDataDirectoryError } from '@cogov/storage';
