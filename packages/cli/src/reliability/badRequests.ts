import fc from 'fast-check';
import { badRequests, tokenOf, type OpenApi } from '@cogov/testkit/http';
import { startWorldServer } from '../world.ts';
import { count, type Verdict } from './lib.ts';

/**
 * R4: bad requests generated from the OpenAPI document (bodies, parameters, headers), sent over a
 * loopback socket: no answer of 500 or more, every answer a problem+json, and the log's last
 * position the same before and after.
 */
export const badRequestCheck = async (total: number, seed: number): Promise<Verdict> => {
  const started = performance.now();
  const server = await startWorldServer({ listen: true });
  const problems: string[] = [];
  const statuses = new Map<number, number>();
  let notSent = 0;
  try {
    // The document as any client reads it.
    const openapi = (await (await fetch(`${server.url ?? ''}/openapi.json`)).json()) as OpenApi;
    const before = await server.runtime.store.lastPosition();
    const requests = fc.sample(badRequests(openapi, tokenOf('admin', '*'), server.runtime.config.bodyLimit), {
      numRuns: total,
      seed,
    });
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let i = next++; i < requests.length; i = next++) {
          const request = requests[i]!;
          let response: Response;
          try {
            response = await fetch(`${server.url}${request.url}`, {
              method: request.method,
              headers: request.headers,
              ...(request.payload === undefined ? {} : { body: request.payload }),
            });
          } catch {
            // A request the HTTP client itself refuses to send (e.g. a header it will not write).
            notSent++;
            continue;
          }
          const body = await response.text();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          const why = `${request.method} ${request.url} (${request.why}) → ${response.status}`;
          if (response.status >= 500) problems.push(`${why}: ${body.slice(0, 200)}`);
          else if (response.status < 400) problems.push(`${why}: accepted`);
          else if (!(response.headers.get('content-type') ?? '').includes('application/problem+json'))
            problems.push(`${why}: not problem+json`);
          else {
            const problem = JSON.parse(body) as { type?: string; status?: number };
            if (problem.status !== response.status || !String(problem.type).startsWith('urn:cogov:problem:'))
              problems.push(`${why}: problem body ${body.slice(0, 200)}`);
          }
        }
      }),
    );
    const after = await server.runtime.store.lastPosition();
    if (after !== before) problems.push(`the log moved from ${String(before)} to ${String(after)}`);
    const sent = total - notSent;
    const fives = [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
    const mix = [...statuses]
      .sort(([a], [b]) => a - b)
      .map(([s, c]) => `${s}×${count(c)}`)
      .join(' ');
    return {
      id: 'R4',
      name: `${count(total)} generated bad HTTP requests`,
      outcome: problems.length === 0 && sent > total * 0.95 ? 'passed' : 'failed',
      figures: `${count(sent)} sent (seed ${seed}), ${fives} answers ≥ 500, ${problems.length} problems, log position ${String(before)} before and ${String(after)} after; statuses ${mix}`,
      ...(problems.length === 0 ? {} : { details: problems.slice(0, 10) }),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await server.close();
  }
};
