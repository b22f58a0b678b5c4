import { DataDirectoryError } from '@cogov/storage';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { decodeRecord } from './record.ts';
import { verifyLog, verifyLogInSlices, type VerifyOptions, type VerifyReport } from './verify.ts';

/**
 * The log of a data directory opened read-only, beside the server that may be writing it (LMDB
 * lets readers of other processes in; the directory lock is for writers): what `cogov verify`
 * and `cogov checkpoint` read.
 */
export class LmdbLogReader {
  readonly path: string;
  readonly #root: RootDatabase;
  readonly #records: Database<Buffer, number>;
  readonly #streams: Database<[number, number], [string, number]>;

  private constructor(path: string, root: RootDatabase) {
    this.path = path;
    this.#root = root;
    this.#records = root.openDB<Buffer, number>({ name: 'records', encoding: 'binary' });
    this.#streams = root.openDB<[number, number], [string, number]>({ name: 'streams' });
  }

  static open(directory: string): LmdbLogReader {
    const path = resolve(directory);
    const file = join(path, 'log.mdb');
    if (!existsSync(file)) throw new DataDirectoryError(path, 'corrupt', 'holds no event log (log.mdb)');
    const root = open({ path: file, readOnly: true, maxDbs: 8 });
    const format = root.openDB<number, string>({ name: 'meta' }).get('format');
    if (format !== 2) {
      root.close().catch(() => undefined);
      throw new DataDirectoryError(
        path,
        format !== undefined && format > 2 ? 'newer-format' : 'unusable',
        `holds a log of format ${String(format)}; open it with \`cogov serve\` once to bring it to format 2`,
      );
    }
    return new LmdbLogReader(path, root);
  }

  /** The last position of the log and its stored chain hash (hex), or null for an empty log. */
  head(): { readonly position: number; readonly hash: string } | null {
    for (const { key, value } of this.#records.getRange({ reverse: true, limit: 1 })) {
      const record = decodeRecord(value);
      const last = record.events.length - 1;
      return { position: key + last, hash: Buffer.from(record.events[last]!.hash).toString('hex') };
    }
    return null;
  }

  verify(options: VerifyOptions = {}): VerifyReport {
    return verifyLog({ records: this.#records, streams: this.#streams }, options);
  }

  verifyInSlices(options: VerifyOptions & { readonly to: number }): Promise<VerifyReport> {
    return verifyLogInSlices({ records: this.#records, streams: this.#streams }, options);
  }

  close(): Promise<void> {
    return this.#root.close();
  }
}
