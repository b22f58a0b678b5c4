import type { EventMetadata } from '@cogov/domain/kernel';
import type { RootDatabase } from 'lmdb';
import { chainHash, GENESIS } from '../chain.ts';
import { encodeContent, encodeRecord } from './record.ts';

/** A record of format 1: one append, stored by lmdb-js's own encoding, with no chain. */
interface Format1Record {
  readonly s: string;
  readonly r: number;
  readonly a: number;
  readonly e: readonly {
    readonly t: string;
    readonly d: unknown;
    readonly i: string;
    readonly m: EventMetadata;
  }[];
}

const BATCH = 5_000;

/**
 * Rewrites a log of format 1 in format 2: every record re-encoded with its checksum, every event's
 * chain hash computed in log order. Positions, revisions and recorded times are kept, so the
 * stream index stands as it is; the event-id index and stream heads of format 1 are dropped. A
 * migration cut short leaves format 1 in place and starts again from scratch next time.
 */
export const migrateFromFormat1 = (root: RootDatabase): void => {
  const old = root.openDB<Format1Record, number>({ name: 'log' });
  const records = root.openDB<Buffer, number>({ name: 'records', encoding: 'binary' });
  root.transactionSync(() => records.clearSync());
  let hash: Uint8Array = GENESIS;
  let batch: [number, Buffer][] = [];
  const flush = () => {
    const writing = batch;
    batch = [];
    root.transactionSync(() => {
      for (const [key, value] of writing) records.putSync(key, value);
    });
  };
  for (const { key, value } of old.getRange({})) {
    const events = value.e.map((event, k) => {
      const content = encodeContent({ type: event.t, data: event.d, eventId: event.i, metadata: event.m });
      hash = chainHash(
        hash,
        { position: key + k, streamId: value.s, revision: value.r + k, recordedAt: value.a },
        content,
      );
      return { content, hash };
    });
    batch.push([key, encodeRecord({ streamId: value.s, revision: value.r, recordedAt: value.a, events })]);
    if (batch.length >= BATCH) flush();
  }
  flush();
  root.transactionSync(() => {
    old.clearSync();
    root.openDB({ name: 'heads' }).clearSync();
    root.openDB({ name: 'event-ids' }).clearSync();
  });
};
