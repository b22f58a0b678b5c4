import { InMemoryEventStore, type PlainDate } from '@cogov/domain';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openReadModels } from '../readModels.ts';
import { ReadModelStore } from '../runtime/readModelStore.ts';
import { statisticsProjection } from './projection.ts';
import { KnownAtUnavailableError } from './queries.ts';

const dir = mkdtempSync(join(tmpdir(), 'cogov-known-version-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('statistics as known at an instant across an upgrade', () => {
  it('are refused while version 1 serves (it kept no recording hours), then answered once the current version is in', async () => {
    // Read models left by a version that kept no changes by recording hour.
    const old = ReadModelStore.open({ path: dir });
    await old.write(() => old.putSlots('statistics', { active: { slot: 1, version: 1 }, building: null }));
    await old.close();

    const readModels = openReadModels({ path: dir, store: new InMemoryEventStore() });
    try {
      const knownAt = new Date('2022-10-01T00:00:00Z');
      expect(() => readModels.statistics().asKnownAt(knownAt)).toThrow(KnownAtUnavailableError);
      // Now-figures are still served by the old version meanwhile.
      expect(
        readModels
          .statistics()
          .total('meetings.held', { scope: 'r:x' }, '2022-01-01' as PlainDate, '2022-12-31' as PlainDate),
      ).toBe(0);
      await readModels.start();
      const deadline = Date.now() + 10_000;
      const current = statisticsProjection().version;
      while (readModels.projector.activeVersion('statistics') < current && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(readModels.projector.activeVersion('statistics')).toBe(current);
      expect(readModels.statistics().asKnownAt(knownAt).knownAt?.toISOString()).toBe(
        '2022-09-30T23:59:59.999Z',
      );
    } finally {
      await readModels.close();
    }
  });
});
