import { InMemoryEventStore } from '@cogov/domain';
import { eventStoreConformance } from './eventStoreConformance.ts';

eventStoreConformance(
  'in-memory',
  () => {
    const store = new InMemoryEventStore();
    return Promise.resolve({ store, dispose: () => store.close() });
  },
  {
    densePositions: true,
    maxBuffered: 512,
    globalEventIds: true,
    acknowledgedBeforeVisible: true,
    recordedAtResolutionMs: 1,
  },
);
