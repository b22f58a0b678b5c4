import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RecordedVerdict } from '../reliability/run.ts';
import type { BenchResult } from './lib.ts';

/** One line of `.bench/results.jsonl`: a figure and the run it came from. */
export interface RecordedResult extends BenchResult {
  readonly at: string;
  readonly quick: boolean;
  readonly command?: string;
  readonly machine: { cpu: string; memory: string; node: string; platform: string };
}

const number = (value: number | null) =>
  value === null ? '—' : value.toLocaleString('en-GB', { maximumFractionDigits: 3 });

const GROUPS = ['P', 'S', 'L'];
/** The goals first (P1 < P1-p50 < P2 < … < P10), then the store's other figures, then layouts. */
const order = (a: string, b: string) => {
  const key = (id: string) => {
    const match = /^([A-Z]+)(\d+)(.*)$/.exec(id);
    return match === null ? [id, 0, ''] : [match[1] as string, Number(match[2]), match[3] as string];
  };
  const [ka, na, ra] = key(a) as [string, number, string];
  const [kb, nb, rb] = key(b) as [string, number, string];
  const group = (k: string) => (GROUPS.includes(k) ? GROUPS.indexOf(k) : GROUPS.length);
  if (ka !== kb) return group(ka) - group(kb) || ka.localeCompare(kb);
  return na !== nb ? na - nb : ra.localeCompare(rb);
};

const cell = (text: string) => text.replaceAll('|', '\\|');

/**
 * What limits a goal when it is missed, from profiles (`node --cpu-prof`) of these benchmarks, and
 * what would lift it. Prose only: the figures come from the results.
 */
const LIMITS: Readonly<Record<string, string>> = {
  P1: 'The benchmark runs in lock step: its 256 clients each wait for their acknowledgement, so every group commit holds all 256 appends, and the main thread waits while lmdb-js commits and flushes (about a quarter of a cycle). A profile of the store’s rounds (node --cpu-prof, 120 000 appends, 2026-12-03) puts the rest on main-thread work per append, in shares of it: the MessagePack encoding of the content 22 % (the payload’s Chinese text through msgpackr’s UTF-8 encoder), lmdb-js writes of the two keys 17 %, the SHA-256 chain hash 13 % (the digest itself three quarters of that), the record’s framing and CRC 10 %, minting the event id 6 %, the stream’s head and the log’s end 8 %, and the rest settling the appends, the transaction’s own bookkeeping and garbage collection. This round computed the hash in one crypto.hash call over a reused buffer and framed the record around its events’ bytes instead of packing them again (ADR 14: the ratio’s median went from 0.355 to 0.408 in alternated runs). Planning the next group outside the write transaction gave nothing (measured 2026-12-02): in lock step there is no next group to overlap. Making one by capping a group at 64 or 128 appends, prepared while the group before commits, measured worse in a model of the append path (raw lmdb-js with 8 µs of work an append, 2026-12-03: ratio 0.14–0.19 against 0.20–0.24 for one group), since a transaction’s callback then waits for the main thread to finish preparing the next group. What is left is work the log’s format requires of every append (its content’s encoding, its hash, its record, its two keys); 0.6 needs part of it off the main thread (a worker that encodes and hashes, though handing it an event’s data costs about what encoding it does), which is not done.',
  P2: 'The ratio is met (0.68 in the full run of 2026-12-03); the absolute figure is not: 181 940 events/s against 266 840 for raw lmdb-js 100-put transactions in the same run (earlier runs measured the baseline itself below 250 000). At 250 000 events/s the whole budget is 4 µs an event; a profile of the P2 rounds (node --cpu-prof, 800 000 events) spends 1.8 µs of it on the MessagePack encoding of the content (which the baseline pays too) and 1.2 µs on the SHA-256 chain hash, then the event’s id, the record’s framing and CRC and the lmdb-js write. The absolute goal needs a ratio of 0.94 on this machine: the log’s hash alone takes more than that leaves.',
  P3: 'Each command loads its aggregate, loads the facts its rules read (the committee, the region and the regions above it), decides, validates the events with zod and appends with a group commit; the baseline is one raw durable put at the same concurrency, which measured 64 000–73 000 puts/s in the runs of 2026-12-03 against 11 300–12 100 commands/s (ratio 0.167–0.175; 28 000–71 000 puts/s on other days: this machine’s speed swings about twofold). A load whose folded state is cached reads nothing (heads from the store’s appends and reads, states in an O(1) LRU). A profile of a quick run (node --cpu-prof, 16 000 commands, 2026-12-03): the main thread waits on the group commit and its fsync about 28 % of the time (64 clients in lock step, each group’s appends touching as many stream-index pages), and spends the rest on the first load of each stream the run touches (a fresh process reads every committee, member, region and issue once: about 60 % of the command path), the MessagePack encoding, chain hash and records of the appends, zod validation of each emitted event (about 5 µs a command) and garbage collection. A member’s fold got cheaper this round (points balances as a Map: P3-fold), but cold loads of 50 000 streams stay the floor; a 0.3 ratio needs the decoding of a stream’s records and the encoding and hashing of appends off the main thread.',
  P4: 'Version 5 of the statistics (ADR 20) keeps one value per series and year and its history in blocks of 128 recording hours, written once per series-year and block per batch, where version 4 wrote a counter per day, month and year and a value per counter and recording hour (14.5 entries an event). At changsha 0.1 the statistics hold 412 000 entries instead of 1 340 000, the read-models file is 175 MB instead of 332 MB, and a rebuild of all three read models runs at 13 400–13 900 events/s against 8 000–9 400 (alternating runs of both versions); at changsha scale 1 P4 went from 5 541 to 8 400–9 900 events/s (three runs), and measured 12 541 events/s in the full run of 2026-12-03 (the raw scan 295 055). What limits it now (node --cpu-prof over the changsha 0.1 rebuild, 6.7 s): the statistics 3.2 s, of which lmdb-js puts 1.7 s (members’ series are 87 000 of the 128 000 series-years, with a handful of events each, and a new series-year is two entries), the lookups 1.9 s (a member’s points and its leaderboard place in each region above it: 0.76 s; summing a member’s points per batch was measured and did not help), reading the log 0.55 s, garbage collection 0.65 s. 100 000 events/s leaves 10 µs an event for everything, and reading the log through the subscription alone takes 6 µs. The goal needs the read models applied on more than one thread (statistics on one, lookups and rosters on another: about 1.6 × on two cores) and a member’s figures kept as one value per member and year for all metrics; both change the exactly-once design (one transaction per batch for all read models, ADR 9) and are not done.',
  P5: 'The read models are no longer fsynced at every batch (ADR 9: guarded by the boot id), and once every slot is live a batch commits on the main thread (ADR 19 round), which took the p99 to 6.1 ms in the previous round. Two runs today measured 9.1 and 10.0 ms (p50 3.5–3.7 ms), with the statistics of version 5 (ADR 20). Alternating runs of the same script (10 s at 5 000 appends/s) on versions 4 and 5 of the statistics gave p99 3.8–13.8 ms and 4.8–11.7 ms, and CPU profiles of the two show the same cost of the statistics in live batches (1.9 s of the run each); the lookups (a member’s points and leaderboard places, 0.8–1.0 s) cost as much. This machine’s speed swung about twofold today (the fastify hello-world measured 10 000–50 000 requests/s): the figure sits on the goal within that noise, and its tail is the two cores shared by the appending load, its fsyncs and the apply of each live batch.',
  P6: 'Measured since 2026-12-02 on a running server (after the whole log’s verification, which had shared the two cores with the first seconds of the load) in five slices alternating with the hello-world baseline, since the baseline alone moves between 17 000 and 34 000 requests/s minutes apart; before that, one 15-second run each gave ratios from 0.23 to 0.48. Every request is answered from the answer cache, so what is left is fastify’s pipeline around it: the onRequest guards (the token’s SHA-256 and a constant-time comparison with every configured token), the answer cache’s hook, the onResponse metrics histogram, and the socket write (writev, one per response).',
  P8: 'A write transaction holds every page it dirties in memory until its commit, so the peak follows the batch size (2 500 events by default; 10 000 peaked at 643 MiB at changsha scale), not the length of the log: on the changsha log the anonymous memory climbs to its peak in the first city and stays there, which is what the slope over one city measures. The ten-million-event run (ten cities, `pnpm bench projections`) is the figure to read; bounding a batch by the pages it dirties rather than by its events would lower the peak further.',
  P9: 'The data files’ checks run in child processes while the code loads, the command line is one CommonJS bundle run from the V8 code cache its first start keeps (no parsing or compiling on later starts), and the log’s whole verification starts once the server listens (ADR 18): 1 532 ms became 1 231 ms, then 750–830 ms. A profile of what is left (node --cpu-prof, changsha scale 1): loading lmdb-js through Node’s own loader (about 100 ms, outside the bundle because it is a native addon; bundling its JavaScript measured no difference), evaluating the server’s modules (about 200 ms: fastify, zod schemas, the policy presets), registering fastify’s routes (about 150 ms), reading and deserialising the bundle and its cache (about 100 ms) and garbage collection. On a machine this noisy a run can still go over; a V8 startup snapshot is what would remove most of the rest.',
};

/**
 * Renders the benchmark report from the recorded results: the latest figure of every id, with the
 * run that measured it. Nothing in it is typed by hand.
 */
export const renderBenchmarks = (
  lines: readonly RecordedResult[],
  reliability: readonly RecordedVerdict[] = [],
): string => {
  const rows = latestById(lines);
  const machines = [
    ...new Set(rows.map((r) => `${r.machine.cpu}, ${r.machine.memory}, Node ${r.machine.node}`)),
  ];
  const goals = rows.filter((r) => r.met !== null);
  const out = [
    '# Benchmarks',
    '',
    "<!-- Generated by `pnpm bench` from docs/benchmarks.jsonl (the latest figure of every id, with this machine's .bench/results.jsonl merged in); do not edit by hand. -->",
    '',
    'Every figure is the latest one measured for its id. The ratio is figure ÷ baseline, the',
    'baseline measured in the same run on the same machine (raw lmdb-js durable puts or scans, a',
    'fastify hello-world, the same query on a smaller log), so that a noisy machine moves both: for',
    'a rate above 1 is faster than the baseline, for a latency below 1 is. `quick` marks a figure',
    'from `pnpm bench --quick` (smaller data sets); `full` one from `pnpm bench`.',
    '',
    `Goals met: **${goals.filter((r) => r.met === true).length} of ${goals.length}** figures that carry a goal.`,
    '',
    `Machine${machines.length > 1 ? 's' : ''}: ${machines.join('; ')}.`,
    '',
    '| id | what | figure | baseline | ratio | goal | met | run | machine | date | command |',
    '|---|---|---:|---:|---:|---|---|---|---|---|---|',
    ...rows.map((r) =>
      [
        '',
        r.id,
        cell(r.name),
        `${number(r.value)} ${cell(r.unit)}`,
        number(r.baseline),
        number(r.ratio),
        cell(r.goal === '' ? '—' : r.goal),
        r.met === null ? '—' : r.met ? 'met' : '**missed**',
        r.quick ? 'quick' : 'full',
        `${r.machine.cpu.replace(/ \u00d7.*/, '')} cores, ${r.machine.memory}, Node ${r.machine.node}`,
        r.at.slice(0, 10),
        `\`${r.command ?? (r.quick ? 'pnpm bench --quick' : 'pnpm bench')}\``,
        '',
      ]
        .join(' | ')
        .trim(),
    ),
    '',
  ];
  const missed = rows.filter((r) => r.met === false);
  if (missed.length > 0) {
    out.push('## Goals missed: what limits them', '');
    for (const r of missed) out.push(`- **${r.id}**: ${LIMITS[r.id] ?? 'not analysed yet.'}`);
    out.push('');
  }
  if (reliability.length > 0) {
    const passed = reliability.filter((v) => v.outcome === 'passed').length;
    out.push(
      '## Reliability: the R figures',
      '',
      'Measured by `pnpm test:reliability`, not by `pnpm bench` (they take an hour, not minutes); the',
      'latest verdict of every check, as `docs/reliability.md` reports them with what each check does.',
      '',
      `**${passed} of ${reliability.length}** checks passed.`,
      '',
      '| id | check | verdict | figures | date | command |',
      '|---|---|---|---|---|---|',
      ...reliability.map((v) =>
        [
          '',
          v.id,
          cell(v.name),
          v.outcome === 'passed' ? 'passed' : `**${v.outcome}**`,
          cell(v.figures),
          v.at.slice(0, 10),
          `\`${v.command}\``,
          '',
        ]
          .join(' | ')
          .trim(),
      ),
      '',
    );
  }
  return out.join('\n');
};

/**
 * The record the report is rendered from, kept in the repository: the latest figure of every id,
 * one JSON line each. `.bench/results.jsonl` holds one machine's runs and is not committed, so a
 * report rendered from it alone would lose every figure this checkout did not measure itself.
 */
export const RECORD_FILE = 'docs/benchmarks.jsonl';
/** The reliability verdicts `pnpm test:reliability` keeps (its RELIABILITY_RECORD). */
export const RELIABILITY_FILE = 'docs/reliability.jsonl';

const readLines = <T = RecordedResult>(file: string): T[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as T)
    : [];

/** The latest line of every id (a later `at` wins; on a tie, the later line). */
export const latestById = (lines: readonly RecordedResult[]): RecordedResult[] => {
  const latest = new Map<string, RecordedResult>();
  for (const line of lines) {
    const seen = latest.get(line.id);
    if (seen === undefined || seen.at <= line.at) latest.set(line.id, line);
  }
  return [...latest.values()].sort((a, b) => order(a.id, b.id));
};

/**
 * Merges this machine's results into the kept record (the latest figure of every id wins), writes
 * the record back and renders the report from it, with the reliability verdicts kept beside it. Returns the number of figures in the report.
 */
export const writeBenchmarkReport = (
  resultsFile: string,
  reportFile: string,
  recordFile: string = RECORD_FILE,
  reliabilityFile: string = RELIABILITY_FILE,
): number => {
  const rows = latestById([...readLines(recordFile), ...readLines(resultsFile)]);
  if (rows.length === 0) return 0;
  mkdirSync(dirname(reportFile), { recursive: true });
  mkdirSync(dirname(recordFile), { recursive: true });
  writeFileSync(recordFile, rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  writeFileSync(reportFile, renderBenchmarks(rows, readLines<RecordedVerdict>(reliabilityFile)));
  return rows.length;
};
