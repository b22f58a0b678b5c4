/** Helpers for tests and reliability checks of the stores (`@cogov/eventstore/testing`). */
export { fillFilesystem, readOnlyDirectory, smallFilesystem, tempDirectory } from './directories.ts';
export { damageLogRecord } from './damage.ts';
export { CORRUPTIONS, flipOnDisk, RawLog, type Corruption, type CorruptionKind } from './corrupt.ts';
export { copyLog } from './copyLog.ts';
