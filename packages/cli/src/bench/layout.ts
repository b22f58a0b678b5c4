import type { PlainDate, RecordedEvent } from '@cogov/domain';
import { LmdbEventStore } from '@cogov/eventstore/lmdb';
import {
  ReadModelStore,
  statisticsProjection,
  StatisticsQueries,
  type StatisticsDatabases,
} from '@cogov/projections';
import { changshaLog } from './fixtures.ts';
import { now, report, type BenchContext } from './lib.ts';

const microsPerCall = (call: () => unknown, rounds: number) => {
  for (let i = 0; i < Math.min(rounds, 50); i++) call();
  const start = now();
  for (let i = 0; i < rounds; i++) call();
  return ((now() - start) * 1000) / rounds;
};

/**
 * The statistics' storage, measured: rebuild speed of the statistics alone, and the latency of a
 * year total, a quarter total, a level on a date and a whole summary. ADR 0008 chose among three
 * layouts of day, month and year counters this way; ADR 0020 replaced them with one value per
 * series and year (`L-series-*`), and gives both layouts' figures from runs of the same day.
 */
export const benchLayout = async (context: BenchContext): Promise<void> => {
  const fixture = await changshaLog(0.1);
  const store = await LmdbEventStore.open({ path: fixture.path });
  const events: RecordedEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  await store.close();
  const rounds = context.quick ? 200 : 1_000;
  for (const layout of ['series'] as const) {
    const readModels = ReadModelStore.open({ path: context.scratch(`layout-${layout}`) });
    const projection = statisticsProjection();
    const dbs: StatisticsDatabases = readModels.slotDatabases('statistics', 1, projection.databases);
    const start = now();
    for (let i = 0; i < events.length; i += 10_000)
      await readModels.write(() => projection.apply(dbs, events.slice(i, i + 10_000)));
    const rebuild = events.length / ((now() - start) / 1000);
    const queries = new StatisticsQueries(dbs);
    const year = microsPerCall(
      () =>
        queries.total(
          'points.awarded',
          { scope: 'r:changsha' },
          '2017-01-01' as PlainDate,
          '2017-12-31' as PlainDate,
        ),
      rounds * 10,
    );
    const quarter = microsPerCall(
      () =>
        queries.total(
          'activities.held',
          { scope: 'r:cs-st1' },
          '2018-04-01' as PlainDate,
          '2018-06-30' as PlainDate,
        ),
      rounds * 10,
    );
    const level = microsPerCall(
      () => queries.levelOn('members.registered', { scope: 'r:changsha' }, '2018-09-30' as PlainDate),
      rounds,
    );
    const summary = microsPerCall(
      () => queries.summary('r:changsha', '2017-01-01' as PlainDate, '2017-12-31' as PlainDate),
      Math.max(5, rounds / 50),
    );
    await readModels.close();
    const name = 'statistics kept as one value per series and year';
    report(
      context,
      { id: `L-${layout}-rebuild`, name: `${name}: rebuild`, value: rebuild, unit: 'events/s' },
      null,
    );
    report(
      context,
      { id: `L-${layout}-year`, name: `${name}: a year's total`, value: year, unit: 'µs' },
      null,
    );
    report(
      context,
      { id: `L-${layout}-quarter`, name: `${name}: a quarter's total`, value: quarter, unit: 'µs' },
      null,
    );
    report(
      context,
      { id: `L-${layout}-level`, name: `${name}: a level on a date`, value: level, unit: 'µs' },
      null,
    );
    report(
      context,
      { id: `L-${layout}-summary`, name: `${name}: a region's yearly summary`, value: summary, unit: 'µs' },
      null,
    );
  }
};
