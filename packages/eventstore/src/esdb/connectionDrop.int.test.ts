import { isStoreUnavailable, type EventId, type RecordedEvent, type StreamId } from '@cogov/domain/kernel';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KurrentDbEventStore } from './kurrentDbEventStore.ts';
import { startKurrentStandIn, type KurrentStandIn } from './testing/standIn.ts';

let standIn: KurrentStandIn;
let store: KurrentDbEventStore;
const logged: string[] = [];
beforeAll(async () => {
  standIn = await startKurrentStandIn();
  store = KurrentDbEventStore.connect({
    connectionString: standIn.connectionString,
    log: (m) => logged.push(m),
  });
});
afterAll(async () => {
  await store.close();
  await standIn.close();
});

const stream = 'drop-1' as StreamId;
const ids = Array.from({ length: 150 }, () => randomUUID() as EventId);
let retries = 0; // appends the writer had to retry (a client sees 503 and retries)
/** Appends as a client of the API would: an unavailable store is retried, with the same event id. */
const append = async (from: number, to: number) => {
  for (let n = from; n < to; n++)
    for (;;) {
      try {
        await store.appendToStream(stream, [{ type: 'Ticked', eventId: ids[n] as EventId, data: { n } }], {
          expectedRevision: 'any',
        });
        break;
      } catch (error) {
        if (!isStoreUnavailable(error)) throw error;
        retries++;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
};

describe('KurrentDbEventStore when the server drops its calls', () => {
  it('resumes a $all subscription after the last event it delivered: every event once, in order', async () => {
    await append(0, 50);
    const seen: number[] = [];
    const subscription = store.subscribeAll({});
    const reading = (async () => {
      for await (const message of subscription) {
        if (message.kind !== 'event') continue;
        seen.push((message.event as RecordedEvent & { data: { n: number } }).data.n);
        // Drop the server's calls while the subscriber is catching up, and while it is live.
        if (seen.length === 20 || seen.length === 75) standIn.dropCalls();
        if (seen.length === 150) break;
      }
    })();
    await append(50, 100);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await append(100, 150);
    await reading;
    await subscription.close();
    expect(seen).toEqual([...Array(150).keys()]);
    expect(logged.filter((m) => m.includes('subscription dropped')).length).toBeGreaterThanOrEqual(2);
    // Every event once in the log too: the writer's retries after the drops wrote nothing twice.
    const written = (await store.readStream(stream)).map((e) => (e.data as { n: number }).n);
    expect(written, `the writer retried ${retries} appends`).toEqual([...Array(150).keys()]);
  }, 60_000);
});
