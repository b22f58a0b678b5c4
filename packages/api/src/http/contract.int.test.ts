import { dateInZone } from '@cogov/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller } from '../testing/http.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

let server: TestServer;
const today = dateInZone(new Date(), 'Asia/Shanghai');
beforeAll(async () => {
  server = await startTestServer({ listen: true });
}, 60_000);
afterAll(async () => server.close());

const call = caller(() => server);
const last = async () => (await server.runtime.store.lastPosition()) ?? -1;

describe('bad input', () => {
  it('names the unknown field, the bad date and the missing one', async () => {
    const before = await last();
    const r = await call('POST', '/v1/regions/bad-1/define-region', {
      body: { name: 'x', level: 'community', parentId: 'lincheng', definedOn: '2022-02-30', colour: 'red' },
    });
    expect(r.status).toBe(400);
    const fields = (r.json['errors'] as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toContain('body.colour');
    const missing = await call('POST', '/v1/regions/bad-1/define-region', {
      body: { name: 'x', level: 'community' },
    });
    expect((missing.json['errors'] as { field: string }[]).map((e) => e.field)).toContain('body.definedOn');
    const date = await call('POST', '/v1/regions/bad-1/define-region', {
      body: { name: 'x', level: 'community', parentId: 'lincheng', definedOn: '2022-02-30' },
    });
    expect(date.json['errors']).toEqual([{ field: 'body.definedOn', message: 'a real calendar date' }]);
    expect(await last()).toBe(before);
  });

  it('answers malformed JSON, another media type and a body too large with problems, never a 5xx', async () => {
    const malformed = await call('POST', '/v1/regions/bad-2/define-region', { raw: '{"name": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.json['type']).toBe('urn:cogov:problem:malformed-json');
    const media = await call('POST', '/v1/regions/bad-2/define-region', {
      raw: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(media.status).toBe(415);
    const large = await call('POST', '/v1/regions/bad-2/define-region', {
      raw: JSON.stringify({ name: 'x'.repeat(200_000) }),
    });
    expect(large.status).toBe(413);
    for (const r of [malformed, media, large])
      expect(r.headers.get('content-type')).toContain('application/problem+json');
  });

  it('refuses requests without a token (401, WWW-Authenticate) and unknown routes (404)', async () => {
    const none = await call('GET', '/v1/statistics', { token: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    const unknown = await call('GET', '/v1/statistics', { token: 'not-a-token' });
    expect(unknown.status).toBe(401);
    const route = await call('GET', '/v1/nothing-here');
    expect(route.status).toBe(404);
    expect(route.json['type']).toBe('urn:cogov:problem:not-found');
  });
});

describe('one contract, the same everywhere', () => {
  const documented = (path: string, method: string) => {
    const doc = server.app.swagger() as unknown as {
      paths: Record<string, Record<string, { responses: Record<string, { description?: string }> }>>;
    };
    return doc.paths[path]?.[method]?.responses ?? {};
  };

  for (const [where, method, route, path, options] of [
    ['path', 'get', '/v1/committees/{committeeId}', '/v1/committees/-bad', {}],
    ['query', 'get', '/v1/statistics/{metric}', '/v1/statistics/meetings.held?scope=nonsense', {}],
    [
      'header',
      'post',
      '/v1/issues/{issueId}/resolve-issue',
      '/v1/issues/ht-issue-1/resolve-issue',
      { headers: { 'if-match': 'yesterday' }, body: { resolvedOn: '2022-06-01', resolution: 'x' } },
    ],
    [
      'body',
      'post',
      '/v1/issues/{issueId}/resolve-issue',
      '/v1/issues/ht-issue-1/resolve-issue',
      { body: { resolvedOn: '2022-02-30', resolution: 'x' } },
    ],
  ] as const) {
    it(`names a bad ${where} parameter ${where}.<name>, with a status the OpenAPI document lists`, async () => {
      const response = await call(method.toUpperCase(), path, options);
      expect(Object.keys(documented(route, method))).toContain(String(response.status));
      expect(response.status).toBe(400);
      const errors = response.json['errors'] as { field: string }[];
      expect(errors.length).toBeGreaterThan(0);
      for (const error of errors) expect(error.field.startsWith(`${where}.`), error.field).toBe(true);
      expect(response.json['code']).toBe('INVALID_REQUEST');
    });
  }

  it('documents idempotency-key-reused on every command, with a code like every other problem', async () => {
    const doc = server.app.swagger() as unknown as {
      paths: Record<
        string,
        Record<string, { operationId?: string; responses: Record<string, { description?: string }> }>
      >;
    };
    const commands = Object.values(doc.paths).flatMap((p) =>
      Object.values(p).filter((o) => o.responses['201'] !== undefined),
    );
    expect(commands.length).toBeGreaterThan(60);
    for (const command of commands)
      expect(command.responses['422']?.description, command.operationId).toContain('idempotency-key-reused');
    const reused = await call('POST', '/v1/regions/contract-1/define-region', {
      body: { name: '甲', level: 'community', parentId: 'lincheng', definedOn: today },
      headers: { 'idempotency-key': 'contract-key' },
    });
    expect(reused.status).toBe(201);
    const again = await call('POST', '/v1/regions/contract-2/define-region', {
      body: { name: '乙', level: 'community', parentId: 'lincheng', definedOn: today },
      headers: { 'idempotency-key': 'contract-key' },
    });
    expect([again.status, again.json['code']]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
  });

  it('accepts If-Match: * as "the record exists", and names If-None-Match when it refuses it', async () => {
    const body = { name: '改河社区（更名）', renamedOn: today };
    const exists = await call('POST', '/v1/regions/gaihe/rename-region', {
      body,
      headers: { 'if-match': '*' },
    });
    expect(exists.status).toBe(200);
    const missing = await call('POST', '/v1/regions/no-such-region/rename-region', {
      body,
      headers: { 'if-match': '*' },
    });
    expect([missing.status, (missing.json['errors'] as { field: string }[])[0]?.field]).toEqual([
      412,
      'header.if-match',
    ]);
    const before = await last();
    const taken = await call('POST', '/v1/regions/dongmen/define-region', {
      body: { name: '东门', level: 'community', parentId: 'lincheng', definedOn: today },
      headers: { 'if-none-match': '*' },
    });
    expect([taken.status, (taken.json['errors'] as { field: string }[])[0]?.field]).toEqual([
      412,
      'header.if-none-match',
    ]);
    expect(await last()).toBe(before);
  });

  it('gives times as ISO 8601 instants, histories included', async () => {
    const history = await call('GET', '/v1/members/ht-tp-1/history');
    const entries = history.json['entries'] as { recordedAt: unknown }[];
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries)
      expect(entry.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
  });
});
