export { DataDirectoryError, isDataDirectoryError, type DataDirectoryProblem } from '@cogov/storage';
export { chainHash, GENESIS, hex, type ChainEnvelope } from './chain.ts';
export {
  checkCheckpoint,
  checkpointSchema,
  signCheckpoint,
  signedText,
  type Checkpoint,
  type CheckpointProblem,
} from './checkpoint.ts';
export type { ChainBreak, ChainBreakKind, ChainPoint, VerifyOptions, VerifyReport } from './lmdb/verify.ts';
