import { hash } from 'node:crypto';

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

/** Previous hash, three 64-bit integers, then the stream id's bytes, a zero byte and the content. */
const FIXED = 32 + 24;
/** The bytes one event's hash is computed over, laid out in one buffer (grown as contents need). */
let scratch = Buffer.allocUnsafe(16 * 1024);
const SCRATCH_MAX = 1024 * 1024;

/** A non-negative safe integer as a big-endian unsigned 64-bit integer (its top 11 bits zero). */
const writeUint64 = (target: Buffer, name: string, value: number, at: number) => {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} ${value} is not a non-negative safe integer`);
  const high = Math.floor(value / 2 ** 32);
  target.writeUInt32BE(high, at);
  target.writeUInt32BE(value - high * 2 ** 32, at + 4);
};

/**
 * The chain hash of one event: SHA-256 over the previous event's hash, the event's position,
 * revision and recorded time (big-endian 64-bit integers), its stream id (UTF-8, then a zero byte)
 * and its content exactly as stored (type, data, id and metadata, MessagePack-encoded; the
 * content carries the event's business dates). Changing, removing, inserting or reordering any
 * event changes every hash from there on.
 *
 * The bytes are laid out in one reused buffer and hashed in one call: a Hash object per event and
 * an update per part cost more than the hashing itself (bench P1).
 *
 * @example
 * const h1 = chainHash(GENESIS, { position: 0, streamId: 'region-ht', revision: 0, recordedAt: 1_600_000_000_000 }, bytes);
 */
export const chainHash = (previous: Uint8Array, envelope: ChainEnvelope, content: Uint8Array): Buffer => {
  if (previous.length !== 32) throw new RangeError(`a previous hash of ${previous.length} bytes, not 32`);
  const needed = FIXED + Buffer.byteLength(envelope.streamId, 'utf8') + 1 + content.length;
  if (needed > scratch.length && needed <= SCRATCH_MAX)
    scratch = Buffer.allocUnsafe(Math.min(SCRATCH_MAX, Math.max(needed, scratch.length * 2)));
  // A content larger than the scratch may grow to gets a buffer of its own, dropped after.
  const bytes = needed <= scratch.length ? scratch : Buffer.allocUnsafe(needed);
  bytes.set(previous, 0);
  writeUint64(bytes, 'position', envelope.position, 32);
  writeUint64(bytes, 'revision', envelope.revision, 40);
  writeUint64(bytes, 'recordedAt', envelope.recordedAt, 48);
  let at = FIXED + bytes.write(envelope.streamId, FIXED, 'utf8');
  bytes[at++] = 0;
  bytes.set(content, at);
  return hash('sha256', bytes.subarray(0, at + content.length), 'buffer');
};

/** A hash as the reports and checkpoints show it. */
export const hex = (hash: Uint8Array) => Buffer.from(hash).toString('hex');
