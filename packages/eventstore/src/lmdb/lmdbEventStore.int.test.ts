import { eventStoreConformance } from '@cogov/testkit';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbEventStore } from './lmdbEventStore.ts';

eventStoreConformance(
  'LMDB',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cogov-lmdb-'));
    const store = await LmdbEventStore.open({ path: dir });
    return {
      store,
      dispose: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  {
    densePositions: true,
    maxBuffered: 512,
    globalEventIds: false,
    acknowledgedBeforeVisible: true,
    recordedAtResolutionMs: 1,
  },
);
