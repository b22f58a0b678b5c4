export { KurrentDbEventStore, type KurrentDbEventStoreOptions } from './kurrentDbEventStore.ts';
export {
  toStreamState,
  toEventData,
  toGlobalPosition,
  subscriptionStart,
  readStart,
  fromRecorded,
  mapClientError,
  isSystemEvent,
} from './mapping.ts';
export {
  verifyStreamChains,
  streamChainHash,
  headsRoot,
  canonicalJson,
  CHAIN_KEY,
  type StreamLink,
  type StreamHeads,
  type StreamVerifyOptions,
  type StreamVerifyReport,
  type ChainedEvent,
} from './streamChain.ts';
export { StreamIntegrityMonitor } from './streamIntegrityMonitor.ts';
