export { LmdbEventStore, LMDB_FORMAT_VERSION, type LmdbEventStoreOptions } from './lmdbEventStore.ts';
export { precheckLog } from './precheck.ts';
export { DataDirectoryError, isDataDirectoryError } from '@cogov/storage';
export { LmdbLogReader } from './logReader.ts';
export type { ChainBreak, ChainBreakKind, ChainPoint, VerifyOptions, VerifyReport } from './verify.ts';
export { IntegrityMonitor, type IntegrityStatus } from './integrityMonitor.ts';
