/**
 * @cogov/storage: what cogov's stores on disk share (the event log and the read models): the lock
 * that gives a data directory one owner, the check of an LMDB file before it is opened, and the
 * error that names a directory cogov cannot use.
 */
export { DataDirectoryError, isDataDirectoryError, type DataDirectoryProblem } from './errors.ts';
export { DirectoryLock } from './lock.ts';
export { ensureWritableDirectory } from './directory.ts';
export { commitCause } from './commitFailure.ts';
export {
  checkLmdbFile,
  checkLmdbFileAsync,
  precheckLmdbFile,
  sameStamp,
  stampOf,
  type FileStamp,
} from './fileCheck.ts';
export { InstallationKey, fingerprintOf } from './installationKey.ts';
export {
  PersonalDataVault,
  KEY_MISSING,
  SubjectErasedError,
  isSealedValue,
  type SealedValue,
} from './personalDataVault.ts';
