import { eventStoreConformance } from '@cogov/testkit';
import { afterAll, beforeAll } from 'vitest';
import { KurrentDbEventStore } from './kurrentDbEventStore.ts';
import { startKurrentStandIn, type KurrentStandIn } from './testing/standIn.ts';

const capabilities = {
  densePositions: false,
  maxBuffered: 1024,
  globalEventIds: false,
  acknowledgedBeforeVisible: false,
  // The client's native reader keeps whole seconds of an event's creation time (see ADR 0006).
  recordedAtResolutionMs: 1_000,
  // Every call crosses gRPC (and the client's native reader): about 2 s a run of the model test.
  modelRuns: Number(process.env['STORE_MODEL_RUNS'] ?? 25),
} as const;

/**
 * The conformance suite against the KurrentDB stand-in (the client's own protocol, served in
 * process), always; and against a real KurrentDB whenever one is given:
 *   EVENTSTORE_CONNECTION_STRING='kurrentdb://localhost:2113?tls=false' npx -y pnpm@10 test
 * (the README shows how to start a single node).
 */
let standIn: KurrentStandIn;
beforeAll(async () => {
  standIn = await startKurrentStandIn();
});
afterAll(async () => standIn.close());

eventStoreConformance(
  'KurrentDB (the protocol stand-in)',
  () => {
    const store = KurrentDbEventStore.connect({
      connectionString: standIn.connectionString,
      log: () => undefined,
    });
    return Promise.resolve({ store, dispose: () => store.close() });
  },
  capabilities,
);

const connectionString = process.env['EVENTSTORE_CONNECTION_STRING'];
if (connectionString !== undefined)
  eventStoreConformance(
    'KurrentDB (a real server)',
    () => {
      const store = KurrentDbEventStore.connect({ connectionString, log: () => undefined });
      return Promise.resolve({ store, dispose: () => store.close() });
    },
    capabilities,
  );
