import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenApi, badRequests, tokenOf } from '@cogov/testkit/http';
import { startTestServer, type TestServer } from '../testing/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 60_000);
afterAll(async () => server.close());

/** CI sends 1 200; `pnpm test:reliability` sends 10 000 over a socket (R4). */
const RUNS = Number(process.env['BAD_REQUESTS'] ?? 1_200);

describe('bad input (generated from the schemas)', () => {
  it(`answers ${RUNS} bad requests with a 4xx problem+json, never a 5xx, and stores nothing`, async () => {
    const openapi = server.app.swagger() as unknown as OpenApi;
    const before = await server.runtime.store.lastPosition();
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        badRequests(openapi, tokenOf('admin', '*'), server.runtime.config.bodyLimit),
        async (request) => {
          const response = await server.app.inject({
            method: request.method as 'GET',
            url: request.url,
            headers: request.headers,
            ...(request.payload === undefined ? {} : { payload: request.payload }),
          });
          statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
          const why = `${request.method} ${request.url} (${request.why}) → ${response.statusCode} ${response.body.slice(0, 300)}`;
          expect(response.statusCode, why).toBeGreaterThanOrEqual(400);
          expect(response.statusCode, why).toBeLessThan(500);
          expect(response.headers['content-type'], why).toContain('application/problem+json');
          const problem = response.json<{ type: string; title: string; status: number; detail: string }>();
          expect(problem.status, why).toBe(response.statusCode);
          expect(problem.type, why).toMatch(/^urn:cogov:problem:/);
          expect(problem.detail.length, why).toBeGreaterThan(0);
        },
      ),
      { numRuns: RUNS },
    );
    expect(await server.runtime.store.lastPosition()).toBe(before);
    // The generator reaches the main kinds of refusal.
    for (const status of [400, 401, 404, 413, 415])
      expect(statuses.get(status) ?? 0, `status ${status}`).toBeGreaterThan(0);
  }, 300_000);
});
