import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { decodeContent, decodeRecord, encodeContent, encodeRecord } from '../lmdb/record.ts';
import { verifyLog, type VerifyReport } from '../lmdb/verify.ts';

/** The ways a log is damaged or tampered with in the corruption tests (R8). */
export const CORRUPTIONS = [
  'flip',
  'truncate',
  'swap',
  'delete',
  'delete-tail',
  'rewrite',
  'reorder',
] as const;
export type CorruptionKind = (typeof CORRUPTIONS)[number];

/** A corruption applied to a log, where a verification must find it, and how to take it back. */
export interface Corruption {
  readonly kind: CorruptionKind;
  /** The position the first break must be reported at. */
  readonly position: number;
  /** The stream the break must name (null: not checked, e.g. a swap mixes two). */
  readonly streamId: string | null;
  readonly description: string;
  /** Restores the log as it was. */
  undo(): void;
}

/** A closed LMDB log opened raw, to damage on purpose and to verify. */
export class RawLog {
  readonly #root: RootDatabase;
  readonly records: Database<Buffer, number>;
  readonly streams: Database<[number, number], [string, number]>;

  constructor(directory: string) {
    this.#root = open({ path: join(directory, 'log.mdb'), maxDbs: 8 });
    this.records = this.#root.openDB<Buffer, number>({ name: 'records', encoding: 'binary' });
    this.streams = this.#root.openDB<[number, number], [string, number]>({ name: 'streams' });
  }

  keys(): number[] {
    return [...this.records.getKeys({})];
  }

  verify(): VerifyReport {
    return verifyLog({ records: this.records, streams: this.streams });
  }

  close(): Promise<void> {
    return this.#root.close();
  }

  /**
   * Applies one corruption of `kind` at a record chosen with `random` (in [0, 1)). Every kind
   * changes what the log holds: bytes flipped or cut, records swapped, deleted or moved, or an
   * event's content rewritten with a valid checksum (a tamperer who knows the format).
   */
  corrupt(kind: CorruptionKind, random: () => number): Corruption {
    const keys = this.keys();
    if (keys.length < 3) throw new Error('a log of at least three records is needed');
    const pick = (from = 0, to = keys.length) => keys[from + Math.floor(random() * (to - from))] as number;
    const put = (key: number, value: Buffer | undefined) => {
      if (value === undefined) this.records.removeSync(key);
      else this.records.putSync(key, value);
    };
    const original = (key: number) => Buffer.from(this.records.getBinary(key) as Buffer);
    const streamOf = (key: number) => decodeRecord(original(key)).streamId;
    const restore = (saved: readonly [number, Buffer | undefined][]) => () => {
      this.#root.transactionSync(() => {
        for (const [key, value] of saved) put(key, value);
      });
    };
    switch (kind) {
      case 'flip': {
        const key = pick();
        const bytes = original(key);
        const streamId = streamOf(key);
        const at = Math.floor(random() * bytes.length);
        const flipped = Buffer.from(bytes);
        flipped[at] = (flipped[at] as number) ^ (1 + Math.floor(random() * 255));
        put(key, flipped);
        return {
          kind,
          position: key,
          streamId,
          description: `byte ${at} of the record at ${key} flipped`,
          undo: restore([[key, bytes]]),
        };
      }
      case 'truncate': {
        const key = pick();
        const bytes = original(key);
        const streamId = streamOf(key);
        const length = Math.floor(random() * bytes.length);
        put(key, bytes.subarray(0, length));
        return {
          kind,
          position: key,
          streamId,
          description: `the record at ${key} cut to ${length} of ${bytes.length} bytes`,
          undo: restore([[key, bytes]]),
        };
      }
      case 'swap': {
        let a = pick();
        let b = pick();
        while (b === a || original(a).equals(original(b))) b = pick();
        if (b < a) [a, b] = [b, a];
        const va = original(a);
        const vb = original(b);
        put(a, vb);
        put(b, va);
        return {
          kind,
          position: a,
          streamId: null,
          description: `the records at ${a} and ${b} swapped`,
          undo: restore([
            [a, va],
            [b, vb],
          ]),
        };
      }
      case 'delete': {
        const key = pick(0, keys.length - 1);
        const bytes = original(key);
        const streamId = streamOf(key);
        put(key, undefined);
        return {
          kind,
          position: key,
          streamId,
          description: `the record at ${key} deleted`,
          undo: restore([[key, bytes]]),
        };
      }
      case 'delete-tail': {
        const from = Math.max(1, keys.length - 1 - Math.floor(random() * 5));
        const saved = keys.slice(from).map((key) => [key, original(key)] as [number, Buffer]);
        const position = keys[from] as number;
        const streamId = streamOf(position);
        this.#root.transactionSync(() => {
          for (const [key] of saved) put(key, undefined);
        });
        return {
          kind,
          position,
          streamId,
          description: `the last ${saved.length} record(s), from ${position}, deleted`,
          undo: restore(saved),
        };
      }
      case 'rewrite': {
        const key = pick();
        const bytes = original(key);
        const record = decodeRecord(bytes);
        const k = Math.floor(random() * record.events.length);
        const events = record.events.map((event, j) => {
          if (j !== k) return event;
          const content = decodeContent(event.content);
          const data = { ...(content.data as object), tampered: true };
          return { content: encodeContent({ ...content, data }), hash: event.hash };
        });
        put(key, encodeRecord({ ...record, events }));
        return {
          kind,
          position: key + k,
          streamId: record.streamId,
          description: `event ${k} of the record at ${key} rewritten, its checksum made valid`,
          undo: restore([[key, bytes]]),
        };
      }
      case 'reorder': {
        // A record moved to the end of the log, as if it had been appended last.
        const index = Math.floor(random() * (keys.length - 1));
        const key = keys[index] as number;
        const last = keys[keys.length - 1] as number;
        const bytes = original(key);
        const end = last + decodeRecord(original(last)).events.length;
        this.#root.transactionSync(() => {
          put(key, undefined);
          put(end, bytes);
        });
        return {
          kind,
          position: key,
          streamId: streamOf(end),
          description: `the record at ${key} moved to the end (${end})`,
          undo: restore([
            [key, bytes],
            [end, undefined],
          ]),
        };
      }
    }
  }
}

/**
 * Flips one byte of a record where it lies in the closed log's file, as a bad disk sector would:
 * the record's bytes are found in the file and one of them is changed. Returns the byte's offset
 * and an undo, or null when the record's bytes are not stored contiguously in the file.
 */
export const flipOnDisk = (
  directory: string,
  record: Buffer,
  random: () => number,
): { readonly offset: number; undo(): void } | null => {
  const file = join(directory, 'log.mdb');
  const content = readFileSync(file);
  const at = content.indexOf(record);
  if (at < 0 || content.indexOf(record, at + 1) >= 0) return null;
  const offset = at + Math.floor(random() * record.length);
  const before = content[offset] as number;
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.from([before ^ (1 + Math.floor(random() * 255))]), 0, 1, offset);
  } finally {
    closeSync(fd);
  }
  return {
    offset,
    undo: () => {
      const restoreFd = openSync(file, 'r+');
      try {
        writeSync(restoreFd, Buffer.from([before]), 0, 1, offset);
      } finally {
        closeSync(restoreFd);
      }
    },
  };
};
