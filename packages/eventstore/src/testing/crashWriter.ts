// The child of the crash test: appends continuously (single events and batches of ten, 32 in
// flight) and reports each acknowledged append to its parent, until it is killed.
import type { EventId, StreamId } from '@cogov/domain/kernel';
import { LmdbEventStore } from '../lmdb/lmdbEventStore.ts';

export interface Ack {
  readonly ids: readonly string[];
  readonly stream: string;
  readonly revision: number;
  readonly position: number;
}

/** A payload the parent can verify byte for byte after the crash. */
export const payloadOf = (run: number, k: number, j: number) => ({
  run,
  k,
  j,
  text: `事件 ${k}/${j} `.repeat(12),
  sum: (run * 7 + k * 31 + j * 17) % 9973,
});

const path = process.argv[2];
const run = Number(process.argv[3] ?? 0);
if (path === undefined) throw new Error('usage: crashWriter.ts PATH RUN');
const store = await LmdbEventStore.open({ path });
process.send?.('ready');
let next = 0;
const appendOne = async (): Promise<void> => {
  const k = next++;
  const size = k % 5 === 0 ? 10 : 1;
  const stream = `crash-${k % 50}` as StreamId;
  const events = Array.from({ length: size }, (_, j) => ({
    type: 'Crashed',
    eventId: globalThis.crypto.randomUUID() as EventId,
    data: payloadOf(run, k, j),
  }));
  const result = await store.appendToStream(stream, events, { expectedRevision: 'any' });
  const ack: Ack = {
    ids: events.map((e) => e.eventId),
    stream,
    revision: result.nextExpectedRevision,
    position: result.position,
  };
  process.send?.(ack);
};
const worker = async (): Promise<never> => {
  for (;;) await appendOne();
};
await Promise.all(Array.from({ length: 32 }, worker));
