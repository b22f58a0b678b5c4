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
