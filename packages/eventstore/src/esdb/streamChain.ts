import type { RecordedEvent } from '@cogov/domain/kernel';
import { createHash } from 'node:crypto';
import { GENESIS, hex } from '../chain.ts';
import type { ChainBreak, ChainPoint, VerifyReport } from '../lmdb/verify.ts';

/**
 * The hash chain over KurrentDB (ADR 14, "over KurrentDB"). KurrentDB fixes an event's `$all`
 * position only when it commits, and many nodes append at once, so the chain cannot run through
 * `$all` as it does through the embedded log. It runs through each stream instead: every event
 * carries, in its metadata, the hash of the event before it in its stream and its own hash, over
 * its stream, revision, id, type, data and metadata. Appends name the revision they follow, so
 * two writers cannot both extend a stream from the same event. What binds the streams together
 * is the checkpoint: the root hash of every stream's head at a `$all` position, signed.
 */
export const CHAIN_KEY = 'cogovChain';

/** What an event's metadata carries of the chain: the previous hash in its stream and its own (hex). */
export interface StreamLink {
  readonly prev: string;
  readonly hash: string;
}

/** JSON with object keys in code-point order at every depth: the same bytes for the same value. */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
};

const revisionBytes = Buffer.alloc(8);
const ZERO = Buffer.alloc(1);

/** An event's content as the chain covers it (metadata without the chain itself). */
export interface ChainedContent {
  readonly streamId: string;
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
}

/** SHA-256 over the previous hash, the revision (big-endian 64-bit), the stream id, a zero byte and the canonical JSON of id, type, data and metadata. */
export const streamChainHash = (previous: Uint8Array, event: ChainedContent): Buffer => {
  revisionBytes.writeBigUInt64BE(BigInt(event.revision), 0);
  return createHash('sha256')
    .update(previous)
    .update(revisionBytes)
    .update(event.streamId, 'utf8')
    .update(ZERO)
    .update(
      canonicalJson({ id: event.eventId, type: event.type, data: event.data, metadata: event.metadata }),
      'utf8',
    )
    .digest();
};

/** Each stream's last revision and hash: what a checkpoint over KurrentDB signs the root of. */
export type StreamHeads = Map<string, { readonly revision: number; readonly hash: string }>;

/** SHA-256 over every stream's head, in stream-id order: `stream \0 revision \0 hash \n`. */
export const headsRoot = (heads: StreamHeads): string => {
  const hash = createHash('sha256');
  for (const streamId of [...heads.keys()].sort()) {
    const head = heads.get(streamId) as { revision: number; hash: string };
    hash.update(`${streamId}\u0000${head.revision}\u0000${head.hash}\n`, 'utf8');
  }
  return hex(hash.digest());
};

/** An event as a KurrentDB read gives it: the port's event and the chain link from its metadata. */
export interface ChainedEvent {
  readonly event: RecordedEvent;
  readonly link: StreamLink | null;
}

export interface StreamVerifyOptions {
  /** The first position to verify; links into it from before are taken as given. Default: the start. */
  readonly from?: number;
  /** The last position to verify. Default: the end. */
  readonly to?: number;
  /** At most this many events. */
  readonly limit?: number;
  /** A checkpoint to prove: the root of the streams' heads at its position must equal its hash. */
  readonly against?: ChainPoint;
  readonly onProgress?: (position: number) => void;
  /**
   * The streams' heads as an earlier verification left them (it ended just before `from`):
   * continued, so that links across the two are checked too. Updated in place.
   */
  readonly heads?: StreamHeads;
  /** `heads` hold every stream from the log's start: a stream not among them must begin at revision 0. */
  readonly headsFromStart?: boolean;
}

export interface StreamVerifyReport extends VerifyReport {
  /** Events written before the chain was kept (no link in their metadata): not covered. */
  readonly unchained: number;
  readonly heads: StreamHeads;
}

/**
 * Walks `$all` and checks each event's link: its hash recomputed from its stored previous hash and
 * content; that previous hash equal to the hash of the stream's event before it; its revision
 * following on. From the start of the log, a stream's first event must be revision 0 after the
 * genesis hash. `headHash` is the root of every stream's head (what checkpoints sign).
 */
export const verifyStreamChains = async (
  events: AsyncIterable<ChainedEvent>,
  options: StreamVerifyOptions = {},
): Promise<StreamVerifyReport> => {
  const started = performance.now();
  const fromStart = options.from === undefined || options.from === 0 || options.headsFromStart === true;
  const heads: StreamHeads = options.heads ?? (new Map() as StreamHeads);
  let count = 0;
  let unchained = 0;
  let first: number | null = null;
  let last: number | null = null;
  let broken: ChainBreak | null = null;
  let against: boolean | null = options.against === undefined ? null : false;
  const to = options.against?.position ?? options.to ?? Number.POSITIVE_INFINITY;
  for await (const { event, link } of events) {
    if (options.from !== undefined && event.position < options.from) continue;
    if (event.position > to || count >= (options.limit ?? Number.POSITIVE_INFINITY)) break;
    first ??= event.position;
    const at = { position: event.position, streamId: event.streamId };
    const before = heads.get(event.streamId);
    const hash = link === null ? null : streamChainHash(Buffer.from(link.prev, 'hex'), chainedContent(event));
    if (before !== undefined && event.revision !== before.revision + 1) {
      broken = {
        kind: event.revision > before.revision + 1 ? 'missing' : 'order',
        ...at,
        detail: `revision ${event.revision} of ${event.streamId} follows revision ${before.revision}`,
        expected: String(before.revision + 1),
        found: String(event.revision),
      };
      break;
    }
    if (before === undefined && fromStart && event.revision !== 0) {
      broken = {
        kind: 'missing',
        ...at,
        detail: `${event.streamId} begins at revision ${event.revision}: the events before it are gone`,
        expected: '0',
        found: String(event.revision),
      };
      break;
    }
    if (link !== null && hash !== null) {
      if (hex(hash) !== link.hash) {
        broken = {
          kind: 'hash',
          ...at,
          detail: `the content of ${event.streamId}@${event.revision} is not what its hash was computed over`,
          expected: link.hash,
          found: hex(hash),
        };
        break;
      }
      // The hash before it: its stream's previous event's (an event written before the chain was
      // kept has none, '': the chain starts again after it), or genesis for a stream's first event.
      const previous = before?.hash ?? (fromStart && event.revision === 0 ? hex(GENESIS) : null);
      if (previous !== null && previous !== '' && link.prev !== previous) {
        broken = {
          kind: 'hash',
          ...at,
          detail: `${event.streamId}@${event.revision} does not follow the event before it in its stream`,
          expected: previous,
          found: link.prev,
        };
        break;
      }
    } else unchained++;
    heads.set(event.streamId, { revision: event.revision, hash: link?.hash ?? '' });
    count++;
    last = event.position;
    if (count % 50_000 === 0) options.onProgress?.(event.position);
  }
  const root = headsRoot(heads);
  if (broken === null && options.against !== undefined) {
    against = last === options.against.position && root === options.against.hash;
    if (!against)
      broken = {
        kind: 'hash',
        position: last ?? options.against.position,
        streamId: null,
        detail:
          last === options.against.position
            ? 'the streams’ heads at the checkpoint’s position are not the ones it signed'
            : `the log holds no event at the checkpoint’s position ${options.against.position}`,
        expected: options.against.hash,
        found: root,
      };
  }
  return {
    from: first ?? options.from ?? 0,
    to: last ?? (first ?? options.from ?? 0) - 1,
    events: count,
    records: count,
    headHash: last === null ? null : root,
    against,
    break: broken,
    seconds: (performance.now() - started) / 1000,
    unchained,
    heads,
  };
};

/** What the chain covers of an event: its metadata without the link itself. */
export const chainedContent = (event: RecordedEvent): ChainedContent => ({
  streamId: event.streamId,
  revision: event.revision,
  eventId: event.eventId,
  type: event.type,
  data: event.data,
  metadata: event.metadata,
});
