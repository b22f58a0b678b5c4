import { ADMIN_ONLY_COMMANDS, AGGREGATES } from '@cogov/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type OpenApi,
  PATH_IDS,
  QUERY_VALUES,
  SCOPES,
  TEST_WORLD,
  type TestScope,
  commandRoutes,
  exampleOf,
  tokenOf,
} from '@cogov/testkit/http';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { ROLES, type Role } from '../config.ts';
import { GRANTS, type Permission } from './auth.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 60_000);
afterAll(async () => server.close());

const PROBLEM_KEYS = new Set(['type', 'title', 'status', 'detail', 'instance', 'code', 'errors', 'details']);

/** What a route needs: by its operation and path (the guard each route module installs). */
const permissionOf = (method: string, path: string, operationId: string): Permission => {
  if (path === '/metrics' || path.startsWith('/v1/admin/')) return 'admin';
  if (path.startsWith('/v1/audit/')) return 'audit';
  // Erasure of personal data: an administrator's act, within the administrator's region.
  if (ADMIN_ONLY_COMMANDS.has(operationId)) return 'admin';
  if (method === 'post') return 'write';
  if (path.endsWith('/events') || operationId === 'getMembershipHistory') return 'audit';
  return 'read';
};

describe('every route × role × region scope', () => {
  it('refuses what a role may not do and anything outside the token’s region, writing and revealing nothing', async () => {
    const openapi = server.app.swagger() as unknown as OpenApi;
    // Records begun by a command are placed in huitong (the example fills only required fields).
    const placed: Readonly<Record<string, object>> = {
      DefineRegion: { parentId: 'lincheng' },
      RegisterMember: { communityId: 'dongmen' },
    };
    const bodies = new Map(
      commandRoutes().map((r) => [
        r.type,
        { ...(exampleOf(r.body, TEST_WORLD) as object), ...placed[r.type] },
      ]),
    );
    let checked = 0;
    let refused = 0;
    for (const [path, operations] of Object.entries(openapi.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (operation.security === undefined) continue;
        const operationId = operation.operationId ?? `${method} ${path}`;
        const permission = permissionOf(method, path, operationId);
        // A command that begins a record is sent with a fresh id: a taken one is refused the same everywhere.
        const creates = Object.values(AGGREGATES).some((a) =>
          (a.creates as readonly string[]).includes(operationId),
        );
        let fresh = 0;
        const urlOf = () =>
          path.replace(/\{(\w+)\}/g, (_m, name: string) =>
            encodeURIComponent(creates ? `access-new-${name}-${fresh++}` : (PATH_IDS[name] ?? 'x')),
          );
        const query = new URLSearchParams(
          Object.fromEntries(
            (operation.parameters ?? [])
              .filter((p) => p.in === 'query' && (p.required === true || QUERY_VALUES[p.name] !== undefined))
              .map((p) => [p.name, QUERY_VALUES[p.name] ?? '1']),
          ),
        ).toString();
        const body = method === 'post' ? bodies.get(operationId) : undefined;
        // Everything the routes are asked about lies in huitong, under lincheng.
        const adminCommand = ADMIN_ONLY_COMMANDS.has(operationId);
        // The metrics' list and the token's own description are no region's.
        const regional =
          (permission !== 'admin' || adminCommand) && path !== '/v1/statistics' && path !== '/v1/me';
        // The log as a whole (its verification, its checkpoints) is every region's.
        const wholeLog = (permission === 'admin' && !adminCommand) || path.startsWith('/v1/audit/');
        for (const role of ROLES as readonly Role[]) {
          for (const scope of SCOPES as readonly TestScope[]) {
            const url = urlOf();
            const before = await server.runtime.store.lastPosition();
            const response = await server.app.inject({
              method: method.toUpperCase() as 'GET',
              url: query === '' ? url : `${url}?${query}`,
              headers: {
                authorization: `Bearer ${tokenOf(role, scope)}`,
                ...(body === undefined ? {} : { 'content-type': 'application/json' }),
              },
              ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
            });
            const forbidden =
              !GRANTS[role].includes(permission) ||
              (wholeLog && scope !== '*') ||
              (regional && scope === 'othertown');
            const what = `${method.toUpperCase()} ${url} as ${role}@${scope} → ${response.statusCode} ${response.body.slice(0, 200)}`;
            checked++;
            if (forbidden) {
              refused++;
              expect(response.statusCode, what).toBe(403);
              expect(response.headers['content-type'], what).toContain('application/problem+json');
              // Nothing revealed: the body is the problem and nothing else, with its code.
              const problem = response.json<Record<string, unknown>>();
              for (const key of Object.keys(problem))
                expect(PROBLEM_KEYS.has(key), `${what}: ${key}`).toBe(true);
              expect(['FORBIDDEN', 'OUT_OF_SCOPE'], what).toContain(problem['code']);
              // Nothing written.
              expect(await server.runtime.store.lastPosition(), what).toBe(before);
            } else {
              expect([401, 403], what).not.toContain(response.statusCode);
              expect(response.statusCode, what).toBeLessThan(500);
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(1_000);
    expect(refused).toBeGreaterThan(400);
  }, 300_000);

  it('refuses requests without a valid token on every secured route (401)', async () => {
    const openapi = server.app.swagger() as unknown as OpenApi;
    for (const [path, operations] of Object.entries(openapi.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (operation.security === undefined) continue;
        const url = path.replace(/\{(\w+)\}/g, (_m, name: string) =>
          encodeURIComponent(PATH_IDS[name] ?? 'x'),
        );
        const response = await server.app.inject({ method: method.toUpperCase() as 'GET', url });
        expect(response.statusCode, `${method} ${url}`).toBe(401);
      }
    }
  });
});
