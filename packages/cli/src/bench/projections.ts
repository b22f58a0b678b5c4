import {
  unsafe,
  domainSchemaVersion,
  addDays,
  type CommitteeEvent,
  type EventToAppend,
  type PlainDate,
  type RecordedEvent,
  type StreamId,
} from '@cogov/domain';
import { LmdbEventStore, LmdbLogReader } from '@cogov/eventstore/lmdb';
import {
  MembershipQueries,
  membershipProjection,
  openReadModels,
  ReadModelStore,
  type MembershipDatabases,
} from '@cogov/projections';
import { huitong, ScenarioClock } from '@cogov/testkit/scenarios';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { open } from 'lmdb';
import { unpack } from 'msgpackr';
import { scriptOf } from '../scripts.ts';
import { changshaLog, type Fixture } from './fixtures.ts';
import { now, percentile, report, type BenchContext } from './lib.ts';

const run = promisify(execFile);

interface RebuildFigures {
  readonly events: number;
  readonly caughtUp: boolean;
  readonly seconds: number;
  readonly peakRss: number;
  readonly peakAnon: number;
  readonly samples: readonly {
    readonly at: number;
    readonly rss: number;
    readonly anon: number;
    readonly position: number;
  }[];
}

const rebuildChild = scriptOf(import.meta.url, './rebuildChild');

/** Rebuilds every read model from a log in a child process (its memory measured alone). */
const rebuildInChild = async (storePath: string, readModelsPath: string): Promise<RebuildFigures> => {
  const { stdout } = await run(
    process.execPath,
    [...rebuildChild.execArgv, rebuildChild.path, storePath, readModelsPath],
    { maxBuffer: 256 * 2 ** 20 },
  );
  return JSON.parse(stdout.trim().split('\n').pop() as string) as RebuildFigures;
};

/**
 * The baseline of P4: lmdb-js reading the same log file raw, each record and each event's content
 * MessagePack-decoded, nothing checked and nothing else done.
 */
const rawScan = (storePath: string): { events: number; seconds: number } => {
  const root = open({ path: join(storePath, 'log.mdb'), readOnly: true, maxDbs: 8 });
  const log = root.openDB<Buffer, number>({ name: 'records', encoding: 'binary' });
  const start = now();
  let events = 0;
  for (const { value } of log.getRange({})) {
    const record = unpack(value.subarray(0, value.length - 4)) as [
      string,
      number,
      number,
      [Uint8Array, Uint8Array][],
    ];
    for (const [content] of record[3]) if (unpack(content) !== undefined) events++;
  }
  const seconds = (now() - start) / 1000;
  // A read-only baseline: nothing to lose if its close fails.
  root.close().catch(() => undefined);
  return { events, seconds };
};

/** Least-squares slope of anonymous RSS against events applied, in bytes per million events. */
const rssSlope = (samples: RebuildFigures['samples']): number => {
  const points = samples.filter((s) => s.position > 0);
  if (points.length < 3) return 0;
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.position, 0) / n;
  const my = points.reduce((a, p) => a + p.anon, 0) / n;
  const sxy = points.reduce((a, p) => a + (p.position - mx) * (p.anon - my), 0);
  const sxx = points.reduce((a, p) => a + (p.position - mx) ** 2, 0);
  return sxx === 0 ? 0 : (sxy / sxx) * 1e6;
};

/**
 * A log of `times` copies of a fixture as `times` cities (ids renamed per copy), for P8's ten
 * million events. Written once under `.bench/fixtures/`.
 */
const replicatedLog = async (base: Fixture, times: number): Promise<Fixture> => {
  const path = `${base.path}-x${times}`;
  const marker = join(path, 'complete.json');
  if (existsSync(marker))
    return { path, ...(JSON.parse(readFileSync(marker, 'utf8')) as Omit<Fixture, 'path'>) };
  rmSync(path, { recursive: true, force: true });
  const source = await LmdbEventStore.open({ path: base.path });
  const target = await LmdbEventStore.open({ path, durability: 'commit' });
  try {
    for (let k = 0; k < times; k++) {
      const rename = (text: string) =>
        text.replaceAll('cs-', `cs${k}-`).replaceAll('changsha', `changsha${k}`);
      const inFlight = new Set<Promise<unknown>>();
      let chunk: RecordedEvent[] = [];
      const flush = async () => {
        if (chunk.length === 0) return;
        const events: EventToAppend[] = chunk.map((e) => ({
          type: e.type,
          data: JSON.parse(rename(JSON.stringify(e.data))) as unknown,
          metadata: e.metadata,
        }));
        const stream = rename(chunk[0]!.streamId) as StreamId;
        chunk = [];
        const append = target.appendToStream(stream, events, { expectedRevision: 'any' });
        inFlight.add(append);
        // Its failure is the race's (below); this only forgets it, whatever the outcome.
        append.then(
          () => inFlight.delete(append),
          () => inFlight.delete(append),
        );
        if (inFlight.size >= 256) await Promise.race(inFlight);
      };
      for await (const event of source.readAll()) {
        if (chunk.length > 0 && (chunk[0]!.streamId !== event.streamId || chunk.length >= 100)) await flush();
        chunk.push(event);
      }
      await flush();
      await Promise.all(inFlight);
      console.error(`#   replicated city ${k + 1} of ${times}`);
    }
    const events = ((await target.lastPosition()) ?? -1) + 1;
    writeFileSync(marker, JSON.stringify({ events, scale: base.scale * times }));
    return { path, events, scale: base.scale * times };
  } finally {
    await source.close();
    await target.close();
  }
};

/** P7's long history: one committee's part-time seats turning over for `years` years, 12 at a time. */
const churn = (years: number): RecordedEvent[] => {
  const events: RecordedEvent[] = [];
  let position = 0;
  const push = (type: CommitteeEvent['type'], data: Record<string, unknown>, at: PlainDate) =>
    events.push({
      type,
      data: { committeeId: 'long-ppc', ...data },
      streamId: 'committee-long-ppc' as StreamId,
      revision: unsafe.revision(position),
      position: unsafe.position(position++),
      eventId: unsafe.eventId(`e${position}`),
      recordedAt: new Date(`${at}T02:00:00Z`),
      metadata: { schemaVersion: domainSchemaVersion(type) ?? 1, actor: 'bench' },
    });
  let seat = 0;
  for (let day = 0; day < years * 365; day += 30) {
    // Every month one of the twelve leaves and another is appointed: 24 events a year.
    const on = addDays('1990-01-01' as PlainDate, day);
    const candidateId = `s${seat}`;
    push(
      'MemberAppointed',
      {
        candidateId,
        personId: `p${seat}`,
        level: 'community',
        category: 'exemplary-resident',
        unitId: null,
        appointedOn: on,
        termEndsOn: addDays(on, 3 * 365),
        termNumber: 1,
        certificateNo: `c${seat}`,
        approval: { ref: `a${seat}`, authority: 'subdistrict-committee', level: 'subdistrict' },
        aboveGuideline: false,
      },
      on,
    );
    if (seat >= 12) {
      const leaving = seat - 12;
      push(
        'MemberWithdrew',
        {
          candidateId: `s${leaving}`,
          personId: `p${leaving}`,
          effectiveOn: on,
          reason: 'moved',
          notice: { issuedBy: 'unit', unitId: null, notifiedOn: on, documentRef: 'n' },
        },
        on,
      );
    }
    seat++;
  }
  return events;
};

const rosterLatency = (queries: MembershipQueries, committeeId: string, asOf: PlainDate, rounds: number) => {
  const knownAt = new Date(`${addDays(asOf, 30)}T00:00:00Z`);
  let members = 0;
  for (let i = 0; i < Math.min(200, rounds); i++)
    members = queries.roster(committeeId, { asOf, knownAt }).members.length;
  const start = now();
  for (let i = 0; i < rounds; i++) queries.roster(committeeId, { asOf, knownAt });
  return { micros: ((now() - start) * 1000) / rounds, members };
};

/**
 * P4 (rebuild), P5 (live lag), P7 (as-of roster cost against history) and P8 (memory of a large
 * rebuild), on the changsha scenario's log.
 */
export const benchProjections = async (context: BenchContext): Promise<void> => {
  const scale = context.quick ? 0.1 : 1;
  const big = await changshaLog(scale);
  const small = await changshaLog(0.01);

  // P4: every read model rebuilt from the log, against lmdb-js scanning the same file.
  const baselines = [rawScan(big.path), rawScan(big.path)];
  const rawRate = Math.max(...baselines.map((b) => b.events / b.seconds));

  // The log's own verification (cogov verify): checksums, SHA-256 chain, order and index.
  const reader = LmdbLogReader.open(big.path);
  const verified = reader.verify();
  await reader.close();
  if (verified.break !== null)
    throw new Error(`the changsha fixture does not verify: ${JSON.stringify(verified.break)}`);
  report(
    context,
    {
      id: 'V1',
      name: `cogov verify of the changsha log (${verified.events} events: checksums, chain hashes, order, stream index)`,
      value: verified.events / verified.seconds,
      unit: 'events/s',
      baseline: rawRate,
    },
    null,
  );

  const bigReadModels = context.scratch('p4');
  const rebuild = await rebuildInChild(big.path, bigReadModels);
  report(
    context,
    {
      id: 'P4',
      name: `rebuild statistics, rosters and lookups from the changsha log (${big.events} events)`,
      value: rebuild.events / rebuild.seconds,
      unit: 'events/s',
      baseline: rawRate,
    },
    {
      text: 'ratio ≥ 0.25 and ≥ 100 000 events/s (baseline: raw lmdb-js scan of the same log)',
      met: (v, r) => (r ?? 0) >= 0.25 && v >= 100_000,
    },
  );

  // P7: the same roster query with a small and a large log, then with a short and a long history.
  const smallReadModels = context.scratch('p7');
  await rebuildInChild(small.path, smallReadModels);
  const rosterOf = (path: string) => {
    const store = ReadModelStore.open({ path });
    const slot = store.slots('membership').active?.slot ?? 1;
    const dbs: MembershipDatabases = store.slotDatabases(
      'membership',
      slot,
      membershipProjection().databases,
    );
    return { store, queries: new MembershipQueries(dbs) };
  };
  const rounds = context.quick ? 2_000 : 10_000;
  const asOf = '2017-06-30' as PlainDate;
  const a = rosterOf(smallReadModels);
  const b = rosterOf(bigReadModels);
  const smallLatency = rosterLatency(a.queries, 'cs-c1-ppc', asOf, rounds);
  const bigLatency = rosterLatency(b.queries, 'cs-c1-ppc', asOf, rounds);
  await a.store.close();
  await b.store.close();
  report(
    context,
    {
      id: 'P7',
      name: `as-of roster (${bigLatency.members} members): ${big.events} vs ${small.events} events of log`,
      value: bigLatency.micros,
      unit: 'µs',
      baseline: smallLatency.micros,
    },
    {
      text: `latency ratio < 2 (baseline: the same query on a log of ${small.events} events)`,
      met: (_v, r) => (r ?? Number.POSITIVE_INFINITY) < 2,
    },
  );
  const history = async (years: number) => {
    const store = ReadModelStore.open({ path: context.scratch(`p7-${years}`) });
    const dbs: MembershipDatabases = store.slotDatabases('membership', 1, membershipProjection().databases);
    const events = churn(years);
    for (let i = 0; i < events.length; i += 5_000)
      await store.write(() => membershipProjection().apply(dbs, events.slice(i, i + 5_000)));
    const latency = rosterLatency(new MembershipQueries(dbs), 'long-ppc', '1990-06-30' as PlainDate, rounds);
    await store.close();
    return { ...latency, events: events.length };
  };
  const shortHistory = await history(1);
  const longHistory = await history(context.quick ? 40 : 200);
  report(
    context,
    {
      id: 'P7-history',
      name: `as-of roster in a committee's first year: ${longHistory.events} vs ${shortHistory.events} events of its own history`,
      value: longHistory.micros,
      unit: 'µs',
      baseline: shortHistory.micros,
    },
    {
      text: 'latency ratio < 2 (baseline: the same query with one year of history)',
      met: (_v, r) => (r ?? Number.POSITIVE_INFINITY) < 2,
    },
  );

  // P5: live lag at 5 000 appends/s, from acknowledgement to visible in every read model.
  await liveLag(context);

  // P8: memory while rebuilding a large log (ten cities' worth outside --quick).
  const p8Events = context.options.p8Events ?? (context.quick ? big.events : 10_000_000);
  const times = Math.max(1, Math.round(p8Events / big.events));
  const large = times === 1 ? big : await replicatedLog(big, times);
  const heavy = times === 1 ? rebuild : await rebuildInChild(large.path, context.scratch('p8'));
  const slope = rssSlope(heavy.samples);
  report(
    context,
    {
      id: 'P8',
      name: `peak resident memory (heap and native, without mapped database pages) rebuilding ${heavy.events} events; slope ${Math.round(slope / 2 ** 20)} MiB per million events`,
      value: heavy.peakAnon / 2 ** 20,
      unit: 'MiB',
    },
    {
      text: '< 512 MiB and flat (slope < 16 MiB per million events)',
      met: (v) => v < 512 && slope < 16 * 2 ** 20,
    },
  );
  report(
    context,
    {
      id: 'P8-total',
      name: 'peak RSS of the same rebuild, mapped database pages included (the kernel may drop them)',
      value: heavy.peakRss / 2 ** 20,
      unit: 'MiB',
    },
    null,
  );
};

/** P5: appends of one event at 5 000/s from many clients; lag from each acknowledgement to visible. */
const liveLag = async (context: BenchContext) => {
  const path = context.scratch('p5');
  const clock = new ScenarioClock();
  const store = await LmdbEventStore.open({ path: join(path, 'events'), clock: clock.now });
  await huitong.run({ store, clock });
  clock.useSystemTime();
  const readModels = openReadModels({ path: join(path, 'read-models'), store });
  await readModels.start();
  await readModels.waitFor((await store.lastPosition()) ?? -1, 60_000);

  const rate = 5_000;
  const seconds = context.quick ? 5 : 20;
  const total = rate * seconds;
  const lags: number[] = [];
  const inFlight = new Set<Promise<void>>();
  const start = now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const memberId = `dongmen-m-${1 + (i % 60)}`;
    const one = (async () => {
      const result = await store.appendToStream(
        `member-${memberId}` as StreamId,
        [
          {
            type: 'PointsAwarded',
            data: {
              memberId,
              year: 2022,
              points: 1,
              cause: { kind: 'activity', sourceId: `bench-${i}` },
              awardedOn: '2022-12-01',
              balanceAfter: 1,
            },
          },
        ],
        { expectedRevision: 'any' },
      );
      const acknowledged = now();
      await readModels.waitFor(result.position, 10_000);
      lags.push(now() - acknowledged);
    })();
    inFlight.add(one);
    one.then(
      () => inFlight.delete(one),
      () => inFlight.delete(one),
    );
  }
  await Promise.all(inFlight);
  const achieved = total / ((now() - start) / 1000);
  await readModels.close();
  await store.close();
  report(
    context,
    {
      id: 'P5',
      name: `live lag p99, append acknowledged → visible in every read model, at ${Math.round(achieved)} appends/s`,
      value: percentile(lags, 99),
      unit: 'ms',
    },
    { text: 'p99 < 10 ms at 5 000 events/s', met: (v) => v < 10 && achieved >= rate * 0.95 },
  );
  report(context, { id: 'P5-p50', name: 'live lag p50', value: percentile(lags, 50), unit: 'ms' }, null);
};
