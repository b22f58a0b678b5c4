import { eventStoreConformance } from '@cogov/testkit';
import { describe, it } from 'vitest';
import { KurrentDbEventStore } from './kurrentDbEventStore.ts';

/**
 * The conformance suite against a real KurrentDB server, whenever one is given:
 *   EVENTSTORE_CONNECTION_STRING='kurrentdb://localhost:2113?tls=false' npx -y pnpm@10 test
 * (the README shows how to start a single node). No server runs on the CI machines.
 */
const connectionString = process.env['EVENTSTORE_CONNECTION_STRING'];

if (connectionString === undefined) {
  console.warn(
    'KurrentDB conformance suite NOT RUN: set EVENTSTORE_CONNECTION_STRING to run it against a server (see README).',
  );
  describe('EventStore conformance: KurrentDB', () => {
    it.skip('NOT RUN: no KurrentDB server (set EVENTSTORE_CONNECTION_STRING to run the suite against one)', () =>
      undefined);
  });
} else {
  eventStoreConformance(
    'KurrentDB',
    () => {
      const store = KurrentDbEventStore.connect({ connectionString, log: () => undefined });
      return Promise.resolve({ store, dispose: () => store.close() });
    },
    { densePositions: false, maxBuffered: 1024, globalEventIds: false, acknowledgedBeforeVisible: false },
  );
}
