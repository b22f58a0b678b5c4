import { join } from 'node:path';
import { open } from 'lmdb';

/**
 * Overwrites the log record at `position` of a closed LMDB store with bytes that do not decode
 * (0xc1 is never used by msgpack), as a flipped byte or a torn page would leave it.
 */
export const damageLogRecord = async (directory: string, position: number, bytes = Buffer.from([0xc1])) => {
  const root = open({ path: join(directory, 'log.mdb'), maxDbs: 8 });
  try {
    const log = root.openDB<Buffer, number>({ name: 'records', encoding: 'binary' });
    if (log.get(position) === undefined) throw new Error(`no log record starts at position ${position}`);
    await log.put(position, bytes);
  } finally {
    await root.close();
  }
};
