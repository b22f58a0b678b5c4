import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';

/** One benchmark figure, as every benchmark prints it (one JSON object per line). */
export interface BenchResult {
  readonly id: string;
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The same measurement of the baseline (raw lmdb-js, a fastify hello-world), in the same run. */
  readonly baseline: number | null;
  readonly ratio: number | null;
  readonly goal: string;
  readonly met: boolean | null;
}

export interface BenchOptions {
  /** P8: how many events to rebuild (default ten million; the fixture's size with --quick). */
  readonly p8Events?: number;
}

export interface BenchContext {
  readonly quick: boolean;
  /** The command line that ran the benchmarks, as the report shows it. */
  readonly command: string;
  readonly options: BenchOptions;
  readonly results: BenchResult[];
  /** A fresh scratch directory, removed at the end of the run. */
  scratch(prefix: string): string;
}

export const RESULTS_FILE = '.bench/results.jsonl';

export const machine = () => ({
  cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
  memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
});

const round = (value: number) =>
  Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 1000) / 1000;

/**
 * Records and prints a figure. `goal` checks the figure (and its ratio to the baseline) and says
 * what it checks, e.g. `{ text: 'ratio ≥ 0.5', met: (v, r) => r >= 0.5 }`.
 */
export const report = (
  context: BenchContext,
  figure: {
    id: string;
    name: string;
    value: number;
    unit: string;
    baseline?: number;
  },
  goal: { readonly text: string; readonly met: (value: number, ratio: number | null) => boolean } | null,
): BenchResult => {
  const baseline = figure.baseline ?? null;
  // Always figure ÷ baseline: above 1 is faster for a rate, slower for a latency.
  const ratio = baseline === null || baseline === 0 ? null : figure.value / baseline;
  const result: BenchResult = {
    id: figure.id,
    name: figure.name,
    value: round(figure.value),
    unit: figure.unit,
    baseline: baseline === null ? null : round(baseline),
    ratio: ratio === null ? null : round(ratio),
    goal: goal?.text ?? '',
    met: goal === null ? null : goal.met(figure.value, ratio),
  };
  context.results.push(result);
  console.log(JSON.stringify(result));
  mkdirSync('.bench', { recursive: true });
  appendFileSync(
    RESULTS_FILE,
    `${JSON.stringify({ ...result, at: new Date().toISOString(), quick: context.quick, command: context.command, machine: machine() })}\n`,
  );
  return result;
};

export const createContext = (
  quick: boolean,
  options: BenchOptions = {},
  command = `pnpm bench${quick ? ' --quick' : ''}`,
): BenchContext & { dispose(): void } => {
  const root = mkdtempSync(join(tmpdir(), 'cogov-bench-'));
  let n = 0;
  return {
    quick,
    command,
    options,
    results: [],
    scratch: (prefix) => mkdtempSync(join(root, `${prefix}-${n++}-`)),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
};

export const now = () => performance.now();

/** The p-th percentile (0-100) of a list of numbers. */
export const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
};

/** Runs `worker` in `concurrency` parallel loops until `total` operations are done; returns seconds. */
export const runConcurrently = async (
  total: number,
  concurrency: number,
  worker: (i: number) => Promise<void>,
): Promise<number> => {
  let next = 0;
  const start = now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < total; i = next++) await worker(i);
    }),
  );
  return (now() - start) / 1000;
};

const makePayload = (i: number, bytes: number) => {
  const base = {
    seq: i,
    committeeId: `committee-${i % 10_000}`,
    heldOn: '2022-04-15',
    attendees: ['p1', 'p2', 'p3'],
  };
  const filler = Math.max(0, bytes - JSON.stringify(base).length - 12);
  return { ...base, minutes: `会议纪要 ${i}: `.concat('会'.repeat(Math.floor(filler / 3) - 8)) };
};
/** Built once, so that building payloads costs neither the store nor its baseline anything. */
const POOL = Array.from({ length: 4096 }, (_, i) => makePayload(i, 500));

/** A JSON event payload of about 500 bytes (one of 4 096 distinct ones). */
export const payload = (i: number) => POOL[i % POOL.length] as ReturnType<typeof makePayload>;
