import { smallFilesystem } from '@cogov/eventstore/testing';
import { statfsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { openRuntime } from './runtime.ts';

describe('the runtime on a full disk (R7)', () => {
  it('closes the log even when the read models cannot be closed cleanly', async () => {
    const fs = smallFilesystem(24);
    let released = false;
    try {
      const runtime = await openRuntime(loadConfig({}, { dataDir: fs.path }));
      // Nothing left: the read models' flush or clean mark cannot be written.
      const { bavail, bsize } = statfsSync(fs.path);
      writeFileSync(join(dirname(fs.path), 'ballast'), Buffer.alloc(Number(bavail) * Number(bsize)));
      await runtime.close().catch(() => undefined);
      // Nothing holds the volume any more: a log left open would keep it busy (its memory map).
      expect(() => fs.release()).not.toThrow();
      released = true;
    } finally {
      if (!released) fs.release();
    }
  });
});
