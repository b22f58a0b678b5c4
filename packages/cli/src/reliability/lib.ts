import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** The repository's root (where `pnpm test:reliability` runs). */
export const ROOT = join(import.meta.dirname, '../../../..');

/** What one reliability check found: its verdict, its figures in a line, and the detail. */
export interface Verdict {
  readonly id: string;
  readonly name: string;
  /** `skipped` when what it needs is not here (a KurrentDB server); counted neither way. */
  readonly outcome: 'passed' | 'failed' | 'skipped';
  /** The figures, in one line: `100 kills, 41 233 acknowledged events, 0 lost`. */
  readonly figures: string;
  readonly details?: readonly string[];
  readonly seconds: number;
}

export const count = (n: number) => n.toLocaleString('en-GB');

/** Runs a command, collecting its output; resolves with its exit code. */
export const run = (
  command: string,
  args: readonly string[],
  options: { env?: Record<string, string>; timeoutMs?: number; echo?: boolean } = {},
): Promise<{ code: number | null; signal: string | null; output: string }> =>
  new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (options.echo === true) process.stderr.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            output += `\n(killed after ${options.timeoutMs} ms)`;
            if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
          }, options.timeoutMs);
    child.once('exit', (code, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });

/**
 * Runs one test file of the suite with vitest in a child process, the way CI does, with `env`
 * (e.g. more kills than CI makes), and returns the figures the test recorded.
 */
export const runTestFile = async (
  file: string,
  env: Record<string, string>,
  figuresFile: string,
): Promise<{ passed: boolean; figures: Record<string, unknown> | null; failure: string[] }> => {
  rmSync(figuresFile, { force: true });
  const result = await run(join(ROOT, 'node_modules/.bin/vitest'), ['run', file], {
    env: { ...env, COGOV_FIGURES: figuresFile },
  });
  const figures = existsSync(figuresFile)
    ? (JSON.parse(readFileSync(figuresFile, 'utf8').trim().split('\n').at(-1) ?? 'null') as Record<
        string,
        unknown
      >)
    : null;
  const failure = result.code === 0 ? [] : failureLines(result.output);
  return { passed: result.code === 0 && figures !== null, figures, failure };
};

/** The lines of a vitest run that say what failed (without colours). */
const failureLines = (output: string): string[] =>
  output
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .filter((l) => /FAIL|AssertionError|Error:|expected|\u2717|\u00d7/.test(l))
    .map((l) => l.trim())
    .slice(0, 12);

/** Least-squares slope of y over x. */
export const slope = (points: readonly (readonly [number, number])[]): number => {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
};

export const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
};
