import { createHash } from 'node:crypto';

/** The hash before the first event of a log: 32 zero bytes. */
export const GENESIS = Buffer.alloc(32);

/** Where an event sits, as the chain binds it. */
export interface ChainEnvelope {
  readonly position: number;
  readonly streamId: string;
  readonly revision: number;
  /** When the store recorded it (ms since the epoch). */
  readonly recordedAt: number;
}

const numbers = Buffer.alloc(24);

/**
 * The chain hash of one event: SHA-256 over the previous event's hash, the event's position,
 * revision and recorded time (big-endian 64-bit integers), its stream id (UTF-8, then a zero byte)
 * and its content exactly as stored (type, data, id and metadata, MessagePack-encoded; the
 * content carries the event's business dates). Changing, removing, inserting or reordering any
 * event changes every hash from there on.
 *
 * @example
 * const h1 = chainHash(GENESIS, { position: 0, streamId: 'region-ht', revision: 0, recordedAt: 1_600_000_000_000 }, bytes);
 */
export const chainHash = (previous: Uint8Array, envelope: ChainEnvelope, content: Uint8Array): Buffer => {
  numbers.writeBigUInt64BE(BigInt(envelope.position), 0);
  numbers.writeBigUInt64BE(BigInt(envelope.revision), 8);
  numbers.writeBigUInt64BE(BigInt(envelope.recordedAt), 16);
  return createHash('sha256')
    .update(previous)
    .update(numbers)
    .update(envelope.streamId, 'utf8')
    .update(ZERO)
    .update(content)
    .digest();
};

const ZERO = Buffer.alloc(1);

/** A hash as the reports and checkpoints show it. */
export const hex = (hash: Uint8Array) => Buffer.from(hash).toString('hex');
