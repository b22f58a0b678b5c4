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
const rollups = mkdtempSync(join(tmpdir(), 'cogov-rollups-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(rollups, { recursive: true, force: true });
});

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

  it('are read from the day, month and year counters of version 4 while version 5 is built (ADR 0020)', async () => {
    // Version 4's layout, written as it wrote it: a counter per day, month and year bucket, and
    // each counter's value at the end of every recording hour it changed in.
    const old = ReadModelStore.open({ path: rollups });
    const hour = (iso: string) => Math.floor(Date.parse(iso) / 3_600_000);
    const march15 = Math.round(Date.UTC(2022, 2, 15) / 86_400_000);
    const counters = old.database('statistics', 1, 'counters');
    const known = old.database('statistics', 1, 'known');
    await old.write(() => {
      old.putSlots('statistics', { active: { slot: 1, version: 4 }, building: null });
      for (const [granularity, bucket] of [
        ['d', march15],
        ['m', 2022 * 12 + 2],
        ['y', 2022],
      ] as const) {
        const key = ['meetings.held', 'r:x', '', granularity, bucket];
        counters.putSync(key, 3);
        // Two meetings recorded on 16 March, a third (backdated) on 1 November.
        known.putSync([...key, hour('2022-03-16T02:00:00Z')], 2);
        known.putSync([...key, hour('2022-11-01T02:00:00Z')], 3);
      }
      counters.putSync(['points.awarded', 'm:p', '', 'y', 2022], 5);
      known.putSync(['points.awarded', 'm:p', '', 'y', 2022, hour('2022-03-16T02:00:00Z')], 5);
    });
    await old.close();

    const readModels = openReadModels({ path: rollups, store: new InMemoryEventStore() });
    try {
      const statistics = readModels.statistics();
      const total = (from: string, to: string) =>
        statistics.total('meetings.held', { scope: 'r:x' }, from as PlainDate, to as PlainDate);
      expect(total('2022-01-01', '2022-12-31')).toBe(3);
      expect(total('2022-03-01', '2022-03-31')).toBe(3);
      expect(total('2022-03-10', '2022-03-20')).toBe(3);
      expect(total('2022-03-16', '2022-12-31')).toBe(0);
      expect(
        statistics.total(
          'points.awarded',
          { scope: 'm:p' },
          '2022-01-01' as PlainDate,
          '2022-12-31' as PlainDate,
        ),
      ).toBe(5);
      const october = statistics.asKnownAt(new Date('2022-10-01T00:00:00Z'));
      expect(
        october.total(
          'meetings.held',
          { scope: 'r:x' },
          '2022-01-01' as PlainDate,
          '2022-12-31' as PlainDate,
        ),
      ).toBe(2);
      expect(
        october.total(
          'meetings.held',
          { scope: 'r:x' },
          '2022-03-10' as PlainDate,
          '2022-03-20' as PlainDate,
        ),
      ).toBe(2);
      const february = statistics.asKnownAt(new Date('2022-02-01T00:00:00Z'));
      expect(
        february.total(
          'meetings.held',
          { scope: 'r:x' },
          '2022-01-01' as PlainDate,
          '2022-12-31' as PlainDate,
        ),
      ).toBe(0);
    } finally {
      await readModels.close();
    }
  });
});
