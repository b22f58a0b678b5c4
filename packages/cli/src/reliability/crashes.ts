import { join } from 'node:path';
import { count, runTestFile, type Verdict } from './lib.ts';

/**
 * R1 and R2: the suite's SIGKILL tests, run with a hundred kills each (CI makes twenty). The tests
 * check every run and record their figures for this report.
 */
export const crashChecks = async (scratch: string, kills: number): Promise<Verdict[]> => {
  const verdicts: Verdict[] = [];
  {
    const started = performance.now();
    const r = await runTestFile(
      'packages/eventstore/src/lmdb/crash.int.test.ts',
      { CRASH_RUNS: String(kills) },
      join(scratch, 'r1.json'),
    );
    const f = r.figures as {
      kills: number;
      acknowledgedAppends: number;
      acknowledgedEvents: number;
    } | null;
    verdicts.push({
      id: 'R1',
      name: 'SIGKILL a writer mid-append',
      outcome: r.passed ? 'passed' : 'failed',
      figures:
        f === null
          ? 'no figures (the test failed before the end)'
          : `${count(f.kills)} kills, ${count(f.acknowledgedEvents)} acknowledged events in ${count(f.acknowledgedAppends)} appends, 0 lost, positions gap-free, 0 partial batches`,
      ...(r.failure.length === 0 ? {} : { details: r.failure }),
      seconds: (performance.now() - started) / 1000,
    });
  }
  {
    const started = performance.now();
    const r = await runTestFile(
      'packages/projections/src/runtime/crash.int.test.ts',
      { CRASH_RUNS: String(kills) },
      join(scratch, 'r2.json'),
    );
    const f = r.figures as { kills: number; killedMidway: number; events: number } | null;
    verdicts.push({
      id: 'R2',
      name: 'SIGKILL the projector mid-batch',
      outcome: r.passed ? 'passed' : 'failed',
      figures:
        f === null
          ? 'no figures (the test failed before the end)'
          : `${count(f.kills)} kills (${count(f.killedMidway)} while the projection was behind the log) over a log of ${count(f.events)} events, read models equal a fresh rebuild every time, 0 counted twice`,
      ...(r.failure.length === 0 ? {} : { details: r.failure }),
      seconds: (performance.now() - started) / 1000,
    });
  }
  return verdicts;
};
