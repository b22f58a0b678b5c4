import type { StreamId } from '@cogov/domain/kernel';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { RawLog } from '../testing/corrupt.ts';
import { tempDirectory } from '../testing/directories.ts';
import type * as LmdbModule from './index.ts';
import { IntegrityMonitor } from './integrityMonitor.ts';
import { LmdbEventStore } from './lmdbEventStore.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

const append = (store: LmdbEventStore, n: number) =>
  Promise.all(
    Array.from({ length: n }, (_, i) =>
      store.appendToStream(`s-${i % 4}` as StreamId, [{ type: 'T', data: { i } }], {
        expectedRevision: 'any',
      }),
    ),
  );

describe('IntegrityMonitor', () => {
  it('verifies the log, then what is appended', async () => {
    const dir = tempDirectory();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const store = await LmdbEventStore.open({ path: dir });
    cleanups.push(() => store.close());
    await append(store, 40);
    const monitor = new IntegrityMonitor(store);
    cleanups.push(() => monitor.stop());
    expect(await monitor.check()).toMatchObject({ state: 'verified', verifiedTo: 39, break: null });
    await append(store, 10);
    expect(await monitor.check()).toMatchObject({ state: 'verified', verifiedTo: 49 });
  });

  it('reports a damaged record found after a restart, at its position', async () => {
    const dir = tempDirectory();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const first = await LmdbEventStore.open({ path: dir });
    await append(first, 30);
    await new IntegrityMonitor(first).check();
    await append(first, 30);
    await first.close();
    // The first record, verified before the restart: the whole log is verified at start.
    const raw = new RawLog(dir);
    const corruption = raw.corrupt('flip', () => 0);
    await raw.close();
    const store = await LmdbEventStore.open({ path: dir });
    cleanups.push(() => store.close());
    const monitor = new IntegrityMonitor(store);
    cleanups.push(() => monitor.stop());
    const status = await monitor.check();
    expect(status.state).toBe('broken');
    expect(status.break).toMatchObject({
      kind: 'damaged',
      position: corruption.position,
      streamId: corruption.streamId,
    });
  });

  it('verifies the whole log in a worker thread when compiled, and finds the same break', async () => {
    const root = join(import.meta.dirname, '../../../..');
    execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--quiet'], { cwd: root });
    const compiled = (await import(
      pathToFileURL(join(root, 'packages/eventstore/dist/lmdb/index.js')).href
    )) as typeof LmdbModule;
    const dir = tempDirectory();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const first = await compiled.LmdbEventStore.open({ path: dir });
    await append(first, 50);
    const clean = new compiled.IntegrityMonitor(first);
    expect(clean.usesWorker).toBe(true);
    expect(await clean.check()).toMatchObject({ state: 'verified', verifiedTo: 49, break: null });
    await first.close();
    const raw = new RawLog(dir);
    const corruption = raw.corrupt('flip', () => 0.5);
    await raw.close();
    const store = await compiled.LmdbEventStore.open({ path: dir });
    cleanups.push(() => store.close());
    const monitor = new compiled.IntegrityMonitor(store);
    cleanups.push(() => monitor.stop());
    expect(monitor.usesWorker).toBe(true);
    expect((await monitor.check()).break).toMatchObject({ kind: 'damaged', position: corruption.position });
  }, 120_000);
});
