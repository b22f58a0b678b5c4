import type { Database } from 'lmdb';
import { chainHash, GENESIS, hex } from '../chain.ts';
import { decodeRecord, type LogRecord } from './record.ts';

/** What kind of break a verification found. */
export type ChainBreakKind =
  /** A record's bytes fail their checksum or do not decode: it is not what was written. */
  | 'damaged'
  /** A position the log should hold is missing (a record deleted, or the stream index points nowhere). */
  | 'missing'
  /** An event's recomputed chain hash differs from the one stored with it (or from a checkpoint's). */
  | 'hash'
  /** A stream's revisions do not follow on, or recorded times go backwards. */
  | 'order'
  /** The stream index disagrees with the log. */
  | 'index';

/** The first place where the log is not what it claims to be. */
export interface ChainBreak {
  readonly kind: ChainBreakKind;
  /** The first position affected. */
  readonly position: number;
  /** The stream the broken record belongs to, when it can still be told. */
  readonly streamId: string | null;
  /** What differs, in words. */
  readonly detail: string;
  readonly expected?: string;
  readonly found?: string;
}

/** A trusted point of the log: the hash of the event at a position. */
export interface ChainPoint {
  readonly position: number;
  /** The event's chain hash, hex. */
  readonly hash: string;
}

export interface VerifyOptions {
  /**
   * Start after a trusted point (a checkpoint, an earlier verification) instead of at the
   * beginning: its hash is taken as given, and checked against the one stored at its position.
   */
  readonly after?: ChainPoint;
  /** The last position to verify (default: the end of the log). */
  readonly to?: number;
  /** A point to prove: the hash computed at its position must equal its hash. */
  readonly against?: ChainPoint;
  /** Called now and then with the last position verified. */
  readonly onProgress?: (position: number) => void;
  /** Look for stream index entries pointing past the log (a full scan of the index; default: when `to` is not given). */
  readonly scanIndex?: boolean;
  /** Streams' last revisions seen so far, carried from one slice of a verification to the next. */
  readonly heads?: Map<string, number>;
}

export interface VerifyReport {
  /** The first position verified. */
  readonly from: number;
  /** The last position verified (from − 1 when there was nothing to verify). */
  readonly to: number;
  readonly events: number;
  readonly records: number;
  /** The chain hash at `to` (hex), when the verification got there. */
  readonly headHash: string | null;
  /** Whether `against` was reached and matched (null: no `against` given). */
  readonly against: boolean | null;
  readonly break: ChainBreak | null;
  readonly seconds: number;
}

/** The two databases a verification reads, in one read snapshot. */
export interface LogDatabases {
  readonly records: Database<Buffer, number>;
  readonly streams: Database<[number, number], [string, number]>;
}

const PROGRESS_EVERY = 50_000;

/**
 * Walks the log and checks, record by record: its checksum; that it starts where the one before
 * ended; each event's chain hash, recomputed from the previous hash, its position, stream,
 * revision, recorded time and stored content; that the stream's revisions follow on and recorded
 * times never go back; and that the stream index points at it. A full verification also finds
 * index entries that point past the log (a deleted tail). Returns the first break, or none.
 *
 * The chain proves the log to itself: anyone who rewrites it from some point on and recomputes
 * every hash after it is caught only by a checkpoint kept from before (`against`).
 */
export const verifyLog = (dbs: LogDatabases, options: VerifyOptions = {}): VerifyReport => {
  const started = performance.now();
  const from = options.after === undefined ? 0 : options.after.position + 1;
  const to = options.to ?? Number.MAX_SAFE_INTEGER;
  let previous: Uint8Array = options.after === undefined ? GENESIS : Buffer.from(options.after.hash, 'hex');
  let expected = from;
  let events = 0;
  let records = 0;
  let lastRecordedAt = 0;
  let againstMatched: boolean | null = options.against === undefined ? null : false;
  const heads = options.heads ?? new Map<string, number>();
  const done = (found: ChainBreak | null): VerifyReport => ({
    from,
    to: expected - 1,
    events,
    records,
    headHash: expected > from || options.after !== undefined ? hex(previous) : null,
    against: againstMatched,
    break: found,
    seconds: (performance.now() - started) / 1000,
  });

  // A trusted start must be where the log says it is.
  if (options.after !== undefined) {
    const anchor = storedHashAt(dbs, options.after.position);
    if (anchor === null)
      return done({
        kind: 'missing',
        position: options.after.position,
        streamId: null,
        detail: `the log holds no event at the trusted point's position ${options.after.position}`,
      });
    if ('damage' in anchor)
      return done({ kind: 'damaged', position: anchor.key, streamId: null, detail: anchor.damage });
    if (anchor.hash !== options.after.hash)
      return done({
        kind: 'hash',
        position: options.after.position,
        streamId: anchor.streamId,
        detail: 'the hash stored at the trusted point differs from the point’s',
        expected: options.after.hash,
        found: anchor.hash,
      });
    lastRecordedAt = anchor.lastRecordedAt;
  }

  // The record holding `from` may start before it (resuming inside a record).
  let start = from;
  for (const key of dbs.records.getKeys({ start: from, reverse: true, limit: 1 })) start = key;
  for (const { key, value } of dbs.records.getRange({ start, end: to + 1 })) {
    let record: LogRecord;
    try {
      record = decodeRecord(value);
    } catch (error) {
      return done({
        kind: 'damaged',
        position: key,
        streamId: streamOfRecordAt(dbs, key),
        detail: `the record at ${key} is not what was written: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    const { streamId, revision, recordedAt } = record;
    if (key + record.events.length <= from) continue;
    if (key >= from && key > expected)
      return done({
        kind: 'missing',
        position: expected,
        streamId: streamOfRecordAt(dbs, expected),
        detail: `positions ${expected}–${key - 1} are missing: the record after them starts at ${key}`,
        expected: String(expected),
        found: String(key),
      });
    if (key >= from && key < expected)
      return done({
        kind: 'order',
        position: key,
        streamId,
        detail: `the record at ${key} overlaps the one before it, which ends at ${expected - 1}`,
      });
    if (recordedAt < lastRecordedAt)
      return done({
        kind: 'order',
        position: key,
        streamId,
        detail: `recorded at ${new Date(recordedAt).toISOString()}, before the event preceding it (${new Date(lastRecordedAt).toISOString()})`,
      });
    const seen = heads.get(streamId);
    if (
      key >= from &&
      ((seen !== undefined && revision !== seen + 1) || (seen === undefined && from === 0 && revision !== 0))
    )
      return done({
        kind: 'order',
        position: key,
        streamId,
        detail: `${streamId} continues at revision ${revision}, after ${seen ?? 'nothing'}`,
        expected: String((seen ?? -1) + 1),
        found: String(revision),
      });
    if (key >= from) {
      const entry = dbs.streams.get([streamId, revision]);
      if (entry === undefined || entry[0] !== key || entry[1] !== record.events.length)
        return done({
          kind: 'index',
          position: key,
          streamId,
          detail: `the stream index entry for ${streamId}@${revision} is ${entry === undefined ? 'missing' : `[${entry.join(', ')}]`}, the log holds ${record.events.length} event(s) at ${key}`,
        });
    }
    for (let k = 0; k < record.events.length; k++) {
      const position = key + k;
      if (position < from) continue;
      if (position > to) break;
      const event = record.events[k] as LogRecord['events'][number];
      const computed = chainHash(
        previous,
        { position, streamId, revision: revision + k, recordedAt },
        event.content,
      );
      if (!computed.equals(event.hash))
        return done({
          kind: 'hash',
          position,
          streamId,
          detail: `the chain hash of ${streamId}@${revision + k} does not match its content and place in the log`,
          expected: hex(computed),
          found: hex(event.hash),
        });
      previous = computed;
      expected = position + 1;
      events++;
      if (options.against !== undefined && position === options.against.position) {
        if (hex(computed) !== options.against.hash)
          return done({
            kind: 'hash',
            position,
            streamId,
            detail: 'the log up to the checkpoint is not the log the checkpoint was made of',
            expected: options.against.hash,
            found: hex(computed),
          });
        againstMatched = true;
      }
      if (events % PROGRESS_EVERY === 0) options.onProgress?.(position);
    }
    heads.set(streamId, revision + record.events.length - 1);
    lastRecordedAt = recordedAt;
    if (key >= from) records++;
  }
  if (options.against !== undefined && againstMatched !== true)
    return done({
      kind: 'missing',
      position: expected,
      streamId: null,
      detail: `the log ends at ${expected - 1}, before the checkpoint’s position ${options.against.position}`,
      expected: String(options.against.position),
      found: String(expected - 1),
    });
  // A range that stops short of `to` while the log goes on has lost what lies between.
  if (options.to !== undefined && expected <= options.to)
    for (const key of dbs.records.getKeys({ start: expected, limit: 1 }))
      return done({
        kind: 'missing',
        position: expected,
        streamId: streamOfRecordAt(dbs, expected),
        detail: `positions ${expected}–${key - 1} are missing: the record after them starts at ${key}`,
        expected: String(expected),
        found: String(key),
      });
  // A deleted tail leaves index entries pointing past the end of the log: the first of them breaks.
  if (options.scanIndex ?? options.to === undefined) {
    let dangling: { streamId: string; revision: number; position: number } | null = null;
    for (const { key, value } of dbs.streams.getRange({}))
      if (
        value[0] >= expected &&
        (dangling === null || value[0] < dangling.position) &&
        !dbs.records.doesExist(value[0])
      )
        dangling = { streamId: key[0], revision: key[1], position: value[0] };
    if (dangling !== null)
      return done({
        kind: 'missing',
        position: dangling.position,
        streamId: dangling.streamId,
        detail: `the stream index has ${dangling.streamId}@${dangling.revision} at ${dangling.position}, but the log ends at ${expected - 1}`,
      });
  }
  options.onProgress?.(expected - 1);
  return done(null);
};

/** The stored hash (and stream) of the event at a position, or why it cannot be read. */
const storedHashAt = (
  dbs: LogDatabases,
  position: number,
): { hash: string; streamId: string; lastRecordedAt: number } | { key: number; damage: string } | null => {
  for (const { key, value } of dbs.records.getRange({ start: position, reverse: true, limit: 1 })) {
    try {
      const record = decodeRecord(value);
      const event = record.events[position - key];
      if (event === undefined) return null;
      return { hash: hex(event.hash), streamId: record.streamId, lastRecordedAt: record.recordedAt };
    } catch (error) {
      return { key, damage: error instanceof Error ? error.message : String(error) };
    }
  }
  return null;
};

/** The stream whose index entry points at a position (a damaged record cannot say so itself). */
const streamOfRecordAt = (dbs: LogDatabases, position: number): string | null => {
  for (const { key, value } of dbs.streams.getRange({})) if (value[0] === position) return key[0];
  return null;
};

/**
 * The same verification in slices of `slice` events, giving the event loop back between them, so
 * that a server verifies its log without stalling its requests.
 */
export const verifyLogInSlices = async (
  dbs: LogDatabases,
  options: VerifyOptions & { readonly to: number },
  slice = 20_000,
): Promise<VerifyReport> => {
  const started = performance.now();
  const heads = options.heads ?? new Map<string, number>();
  let after = options.after;
  let events = 0;
  let records = 0;
  let against: boolean | null = options.against === undefined ? null : false;
  const from = after === undefined ? 0 : after.position + 1;
  for (;;) {
    const start = after === undefined ? 0 : after.position + 1;
    const to = Math.min(options.to, start + slice - 1);
    const last = to >= options.to;
    const report = verifyLog(dbs, {
      ...(after === undefined ? {} : { after }),
      to,
      heads,
      scanIndex: last && (options.scanIndex ?? false),
      ...(options.against !== undefined && options.against.position >= start && options.against.position <= to
        ? { against: options.against }
        : {}),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    });
    events += report.events;
    records += report.records;
    if (report.against === true) against = true;
    const done = (found: VerifyReport['break']): VerifyReport => ({
      from,
      to: report.to,
      events,
      records,
      headHash: report.headHash,
      against,
      break: found,
      seconds: (performance.now() - started) / 1000,
    });
    if (report.break !== null) return done(report.break);
    if (last || report.headHash === null || report.to < to) {
      if (options.against !== undefined && against !== true)
        return done({
          kind: 'missing',
          position: report.to + 1,
          streamId: null,
          detail: `the log ends at ${report.to}, before the checkpoint’s position ${options.against.position}`,
        });
      return done(null);
    }
    after = { position: report.to, hash: report.headHash };
    await new Promise((resolve) => setImmediate(resolve));
  }
};
