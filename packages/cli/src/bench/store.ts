import type { EventToAppend, StreamId } from '@cogov/domain';
import { LmdbEventStore } from '@cogov/eventstore/lmdb';
import { open } from 'lmdb';
import { join } from 'node:path';
import { now, payload, percentile, report, runConcurrently, type BenchContext } from './lib.ts';

const STREAMS = 10_000;
const stream = (i: number) => `bench-${i % STREAMS}` as StreamId;
const event = (i: number): EventToAppend => ({ type: 'JointMeetingHeld', data: payload(i) });

/** Raw lmdb-js, durable: the same bytes as values, acknowledged after the flush. */
const rawStore = (dir: string) => {
  const root = open({ path: join(dir, 'raw.mdb') });
  const db = root.openDB<unknown, number>({ name: 'raw' });
  return { root, db };
};

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/**
 * P1 and P2: append throughput against raw lmdb-js puts of the same bytes with the same
 * concurrency, both acknowledged after the disk flush; also append latency and read rates.
 * Baseline and store are measured alternately, round after round, and compared by their medians,
 * so that drift on a shared machine hits both alike.
 */
export const benchStore = async (context: BenchContext): Promise<void> => {
  const rounds = context.quick ? 3 : 5;
  const singles = context.quick ? 8_000 : 30_000;
  const batches = context.quick ? 600 : 2_000;
  const inFlight = 256;
  const batchInFlight = 16;

  const raw = rawStore(context.scratch('raw'));
  const store = await LmdbEventStore.open({ path: context.scratch('store') });
  let rawKey = 0;
  let seq = 0;
  const rawSingle = () =>
    runConcurrently(singles, inFlight, async () => {
      const i = rawKey++;
      await raw.db.put(i, payload(i));
      await raw.root.flushed;
    });
  const rawBatch = () =>
    runConcurrently(batches, batchInFlight, async () => {
      const first = rawKey;
      rawKey += 100;
      await raw.db.transaction(() => {
        for (let k = 0; k < 100; k++) raw.db.putSync(first + k, payload(first + k));
      });
      await raw.root.flushed;
    });
  const latencies: number[] = [];
  const storeSingle = (record: boolean) =>
    runConcurrently(singles, inFlight, async () => {
      const i = seq++;
      const t = now();
      await store.appendToStream(stream(i), [event(i)], { expectedRevision: 'any' });
      if (record) latencies.push(now() - t);
    });
  const storeBatch = () =>
    runConcurrently(batches, batchInFlight, async () => {
      const first = seq;
      seq += 100;
      await store.appendToStream(
        stream(first / 100),
        Array.from({ length: 100 }, (_, k) => event(first + k)),
        { expectedRevision: 'any' },
      );
    });

  // Warm both up (JIT, page cache), then alternate.
  await rawSingle();
  await storeSingle(false);
  const p1 = { raw: [] as number[], store: [] as number[] };
  const p2 = { raw: [] as number[], store: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    p1.raw.push(singles / (await rawSingle()));
    p1.store.push(singles / (await storeSingle(true)));
    p2.raw.push((batches * 100) / (await rawBatch()));
    p2.store.push((batches * 100) / (await storeBatch()));
  }

  const rawReadStart = now();
  let rawRead = 0;
  for (const { value } of raw.db.getRange({})) if (value !== undefined) rawRead++;
  const rawReadSeconds = (now() - rawReadStart) / 1000;
  await raw.root.close();

  const readStart = now();
  let read = 0;
  for await (const e of store.readAll()) if (e.position >= 0) read++;
  const readAllSeconds = (now() - readStart) / 1000;
  const streamsToRead = context.quick ? 1_000 : STREAMS;
  const streamStart = now();
  let streamEvents = 0;
  for (let i = 0; i < streamsToRead; i++) streamEvents += (await store.readStream(stream(i))).length;
  const readStreamSeconds = (now() - streamStart) / 1000;
  await store.close();

  report(
    context,
    {
      id: 'P1',
      name: 'append, 1 event per append, 256 in flight, durable',
      value: median(p1.store),
      unit: 'events/s',
      baseline: median(p1.raw),
    },
    {
      text: 'ratio ≥ 0.6 (baseline: raw lmdb-js durable puts of the same bytes, same concurrency)',
      met: (_v, r) => (r ?? 0) >= 0.6,
    },
  );
  report(
    context,
    { id: 'P1-p50', name: 'append latency p50 under P1 load', value: percentile(latencies, 50), unit: 'ms' },
    null,
  );
  report(
    context,
    { id: 'P1-p99', name: 'append latency p99 under P1 load', value: percentile(latencies, 99), unit: 'ms' },
    null,
  );
  report(
    context,
    {
      id: 'P2',
      name: 'append, 100 events per append, 16 in flight, durable',
      value: median(p2.store),
      unit: 'events/s',
      baseline: median(p2.raw),
    },
    {
      text: 'ratio ≥ 0.6 and ≥ 250 000 events/s (baseline: raw lmdb-js 100-put transactions)',
      met: (v, r) => (r ?? 0) >= 0.6 && v >= 250_000,
    },
  );
  report(
    context,
    {
      id: 'S-readAll',
      name: 'readAll: global log scan, decoded',
      value: read / readAllSeconds,
      unit: 'events/s',
      baseline: rawRead / rawReadSeconds,
    },
    null,
  );
  report(
    context,
    {
      id: 'S-readStream',
      name: `readStream: ${streamsToRead} streams of ~${Math.round(streamEvents / streamsToRead)} events`,
      value: streamEvents / readStreamSeconds,
      unit: 'events/s',
    },
    null,
  );
};
