import type { EventMetadata } from '@cogov/domain/kernel';
import { Packr } from 'msgpackr';
import { crc32 } from 'node:zlib';

/**
 * Plain MessagePack, with no shared structures: a record's bytes mean the same thing read by any
 * MessagePack decoder, years from now (an auditor's export, `cogov verify`).
 */
const packr = new Packr({ useRecords: false, mapsAsObjects: true });

/** An event's content as the log keeps it. */
export interface EventContent {
  readonly type: string;
  readonly data: unknown;
  readonly eventId: string;
  readonly metadata: EventMetadata;
}

/**
 * One log record: one append. Its events follow each other in the stream (from `revision`) and
 * in the log (from the record's key, its first position), share the time they were recorded, and
 * each carries its content exactly as encoded when written and its chain hash.
 */
export interface LogRecord {
  readonly streamId: string;
  readonly revision: number;
  /** When the store recorded the append (ms since the epoch). */
  readonly recordedAt: number;
  readonly events: readonly { readonly content: Uint8Array; readonly hash: Uint8Array }[];
}

/** A record whose bytes are not what was written: its checksum fails, or it is not a record. */
export class RecordDamage extends Error {}

export const encodeContent = (content: EventContent): Uint8Array =>
  packr.pack([content.type, content.data, content.eventId, content.metadata]);

export const decodeContent = (bytes: Uint8Array): EventContent => {
  const decoded: unknown = packr.unpack(bytes);
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 4 ||
    typeof decoded[0] !== 'string' ||
    typeof decoded[2] !== 'string'
  )
    throw new RecordDamage('an event’s content is not [type, data, id, metadata]');
  const [type, data, eventId, metadata] = decoded as [string, unknown, string, EventMetadata];
  return { type, data, eventId, metadata };
};

const binHeaderSize = (length: number) => (length < 0x100 ? 2 : length < 0x10000 ? 3 : 5);

/** MessagePack's header of a byte string (bin 8, 16 or 32) of `length` bytes, written at `at`; returns where it ends. */
const writeBinHeader = (out: Buffer, length: number, at: number): number => {
  if (length < 0x100) {
    out[at] = 0xc4;
    out[at + 1] = length;
    return at + 2;
  }
  if (length < 0x10000) {
    out[at] = 0xc5;
    out.writeUInt16BE(length, at + 1);
    return at + 3;
  }
  out[at] = 0xc6;
  out.writeUInt32BE(length, at + 1);
  return at + 5;
};

/**
 * The record's bytes: MessagePack of [stream, revision, recorded at, [[content, hash]…]], then
 * CRC-32 (big-endian). The first three go through the MessagePack encoder; the events' framing is
 * written here around their bytes, copied once into the record (the encoder would walk and copy
 * them again: bench P1). The bytes are the encoder's own, byte for byte (record.test.ts).
 */
export const encodeRecord = (record: LogRecord): Buffer => {
  const head = packr.pack([record.streamId, record.revision, record.recordedAt]);
  const count = record.events.length;
  // fixarray(4) replaces the head's fixarray(3); then the events' array header and the events.
  let size = head.length + (count < 0x10 ? 1 : count < 0x10000 ? 3 : 5);
  for (const e of record.events)
    size +=
      1 + binHeaderSize(e.content.length) + e.content.length + binHeaderSize(e.hash.length) + e.hash.length;
  const out = Buffer.allocUnsafe(size + 4);
  out[0] = 0x94;
  head.copy(out, 1, 1);
  let at = head.length;
  if (count < 0x10) out[at++] = 0x90 | count;
  else if (count < 0x10000) {
    out[at] = 0xdc;
    out.writeUInt16BE(count, at + 1);
    at += 3;
  } else {
    out[at] = 0xdd;
    out.writeUInt32BE(count, at + 1);
    at += 5;
  }
  for (const { content, hash } of record.events) {
    out[at++] = 0x92;
    at = writeBinHeader(out, content.length, at);
    out.set(content, at);
    at += content.length;
    at = writeBinHeader(out, hash.length, at);
    out.set(hash, at);
    at += hash.length;
  }
  out.writeUInt32BE(crc32(out.subarray(0, at)), at);
  return out;
};

const isBytes = (value: unknown): value is Uint8Array => value instanceof Uint8Array;

/** Checks a record's checksum and shape, and decodes it; a RecordDamage says what is wrong. */
export const decodeRecord = (bytes: Uint8Array): LogRecord => {
  if (bytes.length < 5) throw new RecordDamage(`${bytes.length} bytes: too short to be a record`);
  const body = bytes.subarray(0, bytes.length - 4);
  const stored = Buffer.from(bytes.buffer, bytes.byteOffset + body.length, 4).readUInt32BE(0);
  const computed = crc32(body);
  if (stored !== computed)
    throw new RecordDamage(
      `checksum ${stored.toString(16).padStart(8, '0')} stored, ${computed.toString(16).padStart(8, '0')} computed`,
    );
  let decoded: unknown;
  try {
    decoded = packr.unpack(body);
  } catch (error) {
    throw new RecordDamage(`not a record (${error instanceof Error ? error.message : String(error)})`);
  }
  if (
    !Array.isArray(decoded) ||
    typeof decoded[0] !== 'string' ||
    typeof decoded[1] !== 'number' ||
    typeof decoded[2] !== 'number' ||
    !Array.isArray(decoded[3]) ||
    decoded[3].length === 0
  )
    throw new RecordDamage('not a record of [stream, revision, recorded at, events]');
  const events = (decoded[3] as unknown[]).map((entry) => {
    if (!Array.isArray(entry) || !isBytes(entry[0]) || !isBytes(entry[1]) || entry[1].length !== 32)
      throw new RecordDamage('an event is not [content, hash]');
    return { content: entry[0], hash: entry[1] };
  });
  return { streamId: decoded[0], revision: decoded[1], recordedAt: decoded[2], events };
};
