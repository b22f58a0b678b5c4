import { dateInZone } from '@cogov/domain';
import { withServerAllocator } from '../allocator.ts';
import { fork, type ChildProcess } from 'node:child_process';
import { tokenOf } from '@cogov/testkit/http';
import { scriptOf } from '../scripts.ts';
import { count, percentile, slope, type Verdict } from './lib.ts';

/** The server of a check, in a child process (its memory apart from the load's). */
export const startServerProcess = async (): Promise<{
  url: string;
  pid: number;
  child: ChildProcess;
  /** The server's memory after a full garbage collection. */
  memory(): Promise<{ heapMiB: number; externalMiB: number; anonymousMiB: number }>;
  close(): Promise<void>;
}> => {
  const server = scriptOf(import.meta.url, './soakServer');
  const child = fork(server.path, [], {
    execArgv: [
      ...server.execArgv,
      '--expose-gc',
      // COGOV_PROFILE=<dir> profiles the server (node --cpu-prof) to find what limits it.
      ...(process.env['COGOV_PROFILE'] === undefined
        ? []
        : ['--cpu-prof', `--cpu-prof-dir=${process.env['COGOV_PROFILE']}`]),
    ],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    // The server as it is run (`pnpm start`, README): glibc's malloc set to give freed memory back.
    env: withServerAllocator(),
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const { url, pid } = await new Promise<{ url: string; pid: number }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { url: string; pid: number }));
    child.once('exit', (code) => reject(new Error(`the server exited early (${String(code)})`)));
  });
  return {
    url,
    pid,
    child,
    memory: () =>
      new Promise<{ heapMiB: number; externalMiB: number; anonymousMiB: number }>((resolve) => {
        const listener = (m: unknown) => {
          const memory = (m as { memory?: { heapMiB: number; externalMiB: number; anonymousMiB: number } })
            .memory;
          if (memory === undefined) return;
          child.off('message', listener);
          resolve(memory);
        };
        child.on('message', listener);
        child.send('memory');
      }),
    close: async () => {
      if (child.exitCode === null) child.send('close');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
};

interface Call {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly token: string;
  readonly body?: unknown;
  readonly expect: readonly number[];
}

/** One write in six registers a new issue (a new record); the others award points. */
const registersIssue = (n: number) => Math.floor(n / 10) % 6 === 0;

/** The huitong world's three communities (each with sixty members and a party committee). */
const COMMUNITIES = ['dongmen', 'gaihe', 'jianshe'] as const;
const community = (n: number) => COMMUNITIES[Math.floor(n / 10) % COMMUNITIES.length] as string;

/**
 * The fixed mix of the soak: seven reads in ten (statistics, series, a summary, a roster as of a
 * date, a person's history) and three writes (points awarded, and one write in six an issue
 * registered), so that the read models move all the time. Writes spread over the 180 members and
 * three committees of the test world, as a county's clerks would spread them.
 */
const mix = (n: number, today: string): Call => {
  const reader = tokenOf('reader', '*');
  const clerk = tokenOf('clerk', '*');
  const year = today.slice(0, 4);
  switch (n % 10) {
    case 0:
    case 1:
      return {
        method: 'GET',
        path: '/v1/statistics/issues.resolved?scope=r:huitong&from=2022-01-01&to=2022-12-31',
        token: reader,
        expect: [200],
      };
    case 2:
      return {
        method: 'GET',
        path: `/v1/statistics/issues.registered/series?scope=r:huitong&from=${year}-01-01&to=${today}&granularity=month`,
        token: reader,
        expect: [200],
      };
    case 3:
      return {
        method: 'GET',
        path: `/v1/regions/huitong/summary?from=${year}-01-01&to=${today}`,
        token: reader,
        expect: [200],
      };
    case 4:
      return {
        method: 'GET',
        path: `/v1/committees/dongmen-ppc/roster?asOf=2022-0${1 + (n % 9)}-15`,
        token: reader,
        expect: [200],
      };
    case 5:
      return {
        method: 'GET',
        path: '/v1/members/dongmen-m-1/history',
        token: tokenOf('auditor', '*'),
        expect: [200],
      };
    case 6:
      return {
        method: 'GET',
        path: `/v1/statistics/points.awarded?scope=m:dongmen-m-1&from=${year}-01-01&to=${year}-12-31`,
        token: reader,
        expect: [200],
      };
    case 7:
    case 8:
    case 9:
      if (registersIssue(n))
        return {
          method: 'POST',
          path: `/v1/issues/soak-${n}/register-issue`,
          token: clerk,
          body: {
            committeeId: `${COMMUNITIES[Math.floor(n / 60) % COMMUNITIES.length] as string}-ppc`,
            title: '楼道堆物',
            trade: 'property',
            source: 'resident',
            registeredOn: today,
          },
          expect: [201],
        };
      return {
        method: 'POST',
        path: `/v1/members/${community(n)}-m-${1 + (Math.floor(n / 30) % 60)}/award-points`,
        token: clerk,
        body: { points: 1, cause: { kind: 'volunteering', sourceId: `soak-${n}` }, awardedOn: today },
        expect: [200, 201],
      };
    default:
      throw new Error('unreachable');
  }
};

/**
 * R6: a fixed mixed load at a fixed rate on loopback for a bounded time and request count. Passes
 * with no error, a p99 that does not drift (the last window's within 1.5 times the first's) and
 * resident memory that does not grow (the slope of the server's anonymous RSS after a full
 * garbage collection, over the second half, under 0.5 MiB a minute).
 */
export const soakCheck = async (minutes: number, rate: number): Promise<Verdict> => {
  const started = performance.now();
  const server = await startServerProcess();
  const total = Math.round(minutes * 60 * rate);
  const windows = Math.max(4, Math.min(20, Math.round(minutes * 2)));
  const windowMs = (minutes * 60_000) / windows;
  const latencies: number[][] = Array.from({ length: windows }, () => []);
  const memory: [number, number][] = [];
  const heap: [number, number][] = [];
  const external: [number, number][] = [];
  const errors: string[] = [];
  let errorCount = 0;
  let inFlight = 0;
  let peakInFlight = 0;
  const today = dateInZone(new Date(), 'Asia/Shanghai');
  try {
    const t0 = performance.now();
    // Twenty times a run (at most every 30 s, so that the collections barely touch the p99), the
    // server's memory after a full collection: a leak shows as a slope, the sawtooth does not.
    // A sample the server could not answer is a gap in the series: the run's checks say so.
    let missedSamples = 0;
    const failedSample = () => {
      missedSamples++;
    };
    const sampler = setInterval(
      () => {
        server.memory().then((m) => {
          memory.push([(performance.now() - t0) / 60_000, m.anonymousMiB]);
          heap.push([(performance.now() - t0) / 60_000, m.heapMiB]);
          external.push([(performance.now() - t0) / 60_000, m.externalMiB]);
        }, failedSample);
      },
      Math.min(30_000, (minutes * 60_000) / 20),
    );
    const pending = new Set<Promise<void>>();
    for (let n = 0; n < total; n++) {
      const due = t0 + (n * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const call = mix(n, today);
      const sent = performance.now();
      inFlight++;
      peakInFlight = Math.max(peakInFlight, inFlight);
      const p = (async () => {
        try {
          const response = await fetch(`${server.url}${call.path}`, {
            method: call.method,
            headers: {
              authorization: `Bearer ${call.token}`,
              ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
          });
          const text = await response.text();
          if (!call.expect.includes(response.status)) {
            errorCount++;
            if (errors.length < 10)
              errors.push(`${call.method} ${call.path} → ${response.status} ${text.slice(0, 200)}`);
          }
        } catch (error) {
          errorCount++;
          if (errors.length < 10) errors.push(`${call.method} ${call.path} → ${String(error)}`);
        } finally {
          inFlight--;
          const w = Math.min(windows - 1, Math.floor((sent - t0) / windowMs));
          latencies[w]!.push(performance.now() - sent);
        }
      })();
      pending.add(p);
      p.then(
        () => pending.delete(p),
        () => pending.delete(p),
      );
    }
    await Promise.all(pending);
    clearInterval(sampler);
    const seconds = (performance.now() - t0) / 1000;
    const p99s = latencies.map((l) => percentile(l, 99));
    const first = p99s[0]!;
    const last = p99s.at(-1)!;
    const rssSlope = slope(memory.filter(([m]) => m >= minutes / 2));
    const heapSlope = slope(heap.filter(([m]) => m >= minutes / 2));
    const externalSlope = slope(external.filter(([m]) => m >= minutes / 2));
    const rss = memory.map(([, r]) => r);
    // Issue 13's goal for R6: the last window's p99 within 1.5 times the first's, and resident
    // memory growing less than 0.5 MiB a minute (until 2026-12-02 the check allowed twice the
    // first plus 5 ms and 2 MiB a minute, and so said passed where the goal was missed).
    const stable = last <= 1.5 * first;
    const flat = rssSlope < 0.5;
    const problems = [
      ...(errorCount === 0 ? [] : [`${errorCount} errors`, ...errors]),
      ...(stable ? [] : [`p99 drifted from ${first.toFixed(1)} ms to ${last.toFixed(1)} ms`]),
      ...(flat ? [] : [`resident memory grows ${rssSlope.toFixed(2)} MiB a minute`]),
      ...(missedSamples === 0 ? [] : [`${missedSamples} memory samples the server did not answer`]),
    ];
    return {
      id: 'R6',
      name: `soak: ${minutes} min of mixed reads and writes at ${rate} requests/s`,
      outcome: problems.length === 0 ? 'passed' : 'failed',
      figures: `${count(total)} requests in ${Math.round(seconds)} s (${Math.round(total / seconds)}/s, 30 % writes), ${errorCount} errors; p99 by window ${p99s.map((p) => p.toFixed(1)).join(' ')} ms (first ${first.toFixed(1)}, last ${last.toFixed(1)}); server after a full GC: anonymous RSS ${Math.round(Math.min(...rss))}–${Math.round(Math.max(...rss))} MiB, slope over the second half ${rssSlope.toFixed(2)} MiB/min (of which the JS heap ${heapSlope.toFixed(2)}, buffers ${externalSlope.toFixed(2)}); JS heap ${Math.round(Math.min(...heap.map(([, h]) => h)))}–${Math.round(Math.max(...heap.map(([, h]) => h)))} MiB; at most ${peakInFlight} in flight`,
      ...(problems.length === 0 ? {} : { details: problems }),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await server.close();
  }
};
