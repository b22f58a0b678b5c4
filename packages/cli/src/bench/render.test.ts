import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RELIABILITY_RECORD, type RecordedVerdict } from '../reliability/run.ts';
import {
  latestById,
  RELIABILITY_FILE,
  renderBenchmarks,
  writeBenchmarkReport,
  type RecordedResult,
} from './render.ts';

const machine = { cpu: '2 \u00d7 AMD EPYC', memory: '24 GiB', node: 'v20.20.2', platform: 'linux x64' };
const line = (id: string, value: number, at: string, met: boolean | null = null): RecordedResult => ({
  id,
  name: `figure ${id}`,
  value,
  unit: 'ms',
  baseline: null,
  ratio: null,
  goal: met === null ? '' : '< 1 000 ms',
  met,
  at,
  quick: false,
  command: 'pnpm bench api',
  machine,
});
const jsonl = (lines: readonly RecordedResult[]) => lines.map((l) => `${JSON.stringify(l)}\n`).join('');

describe('the benchmark report', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cogov-render-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the latest figure of every id, whatever the order of the lines', () => {
    const rows = latestById([
      line('P9', 900, '2026-12-02T10:00:00Z'),
      line('P1', 1, '2026-12-01T00:00:00Z'),
      line('P9', 800, '2026-12-02T11:00:00Z'),
      line('P9', 700, '2026-12-02T09:00:00Z'),
    ]);
    expect(rows.map((r) => [r.id, r.value])).toEqual([
      ['P1', 1],
      ['P9', 800],
    ]);
  });

  it('merges this machine’s results into the kept record, so a fresh checkout loses no figure', () => {
    const record = join(dir, 'benchmarks.jsonl');
    const results = join(dir, 'results.jsonl');
    const report = join(dir, 'benchmarks.md');
    writeFileSync(
      record,
      jsonl([line('P8', 370, '2026-12-01T00:00:00Z', true), line('P9', 1231, '2026-12-01T00:00:00Z', false)]),
    );
    // A fresh checkout has no results of its own: the report still shows every kept figure.
    expect(writeBenchmarkReport(results, report, record, join(dir, 'none.jsonl'))).toBe(2);
    expect(readFileSync(report, 'utf8')).toMatch(/\| P8 \|.*370 ms/);
    writeFileSync(results, jsonl([line('P9', 771, '2026-12-02T11:00:00Z', true)]));
    expect(writeBenchmarkReport(results, report, record, join(dir, 'none.jsonl'))).toBe(2);
    const text = readFileSync(report, 'utf8');
    expect(text).toMatch(/\| P8 \|.*370 ms/);
    expect(text).toMatch(/\| P9 \|.*771 ms/);
    expect(text).not.toContain('1,231');
    expect(text).toContain('Goals met: **2 of 2**');
    const kept = readFileSync(record, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RecordedResult);
    expect(kept.map((r) => [r.id, r.value])).toEqual([
      ['P8', 370],
      ['P9', 771],
    ]);
  });

  it('says what limits each missed goal, and marks the machine and the run', () => {
    const text = renderBenchmarks([line('P4', 5715, '2026-12-02T00:00:00Z', false)]);
    expect(text).toContain('## Goals missed: what limits them');
    expect(text).toMatch(/- \*\*P4\*\*: Version 5 of the statistics/);
    expect(text).toContain('| 2 cores, 24 GiB, Node v20.20.2 | 2026-12-02 | `pnpm bench api` |');
  });

  it('shows the reliability verdicts kept beside it, a failed one marked', () => {
    const verdict = (id: string, outcome: RecordedVerdict['outcome'], figures: string): RecordedVerdict => ({
      id,
      name: `check ${id}`,
      outcome,
      figures,
      seconds: 60,
      at: '2026-12-03T01:00:00.000Z',
      command: 'pnpm test:reliability --minutes 60 --only R6',
      machine: '2 × AMD EPYC, 24 GiB, Node v20.20.2',
    });
    const reliability = join(dir, 'reliability.jsonl');
    writeFileSync(
      reliability,
      [verdict('R6', 'passed', 'slope 0.36 MiB/min'), verdict('R8', 'failed', '3 | 4 missed')]
        .map((v) => `${JSON.stringify(v)}\n`)
        .join(''),
    );
    const report = join(dir, 'benchmarks.md');
    writeFileSync(join(dir, 'results.jsonl'), jsonl([line('P9', 771, '2026-12-02T11:00:00Z', true)]));
    writeBenchmarkReport(join(dir, 'results.jsonl'), report, join(dir, 'record.jsonl'), reliability);
    const text = readFileSync(report, 'utf8');
    expect(text).toContain('## Reliability: the R figures');
    expect(text).toContain('**1 of 2** checks passed.');
    expect(text).toContain(
      '| R6 | check R6 | passed | slope 0.36 MiB/min | 2026-12-03 | `pnpm test:reliability --minutes 60 --only R6` |',
    );
    expect(text).toContain('| R8 | check R8 | **failed** | 3 \\| 4 missed |');
    // Where `pnpm test:reliability` keeps them.
    expect(RELIABILITY_FILE).toBe(RELIABILITY_RECORD);
  });
});
