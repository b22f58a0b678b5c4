import { dateInZone } from '@cogov/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenOf } from '@cogov/testkit/http';
import { startTestServer, type TestServer } from '../testing/server.ts';

let server: TestServer;
const today = dateInZone(new Date(), 'Asia/Shanghai');

beforeAll(async () => {
  server = await startTestServer({ listen: true });
}, 60_000);
afterAll(async () => server.close());

/** A real request over the loopback socket. */
const call = async (
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
) => {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? tokenOf('admin', '*') : options.token;
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  if (options.body !== undefined || options.raw !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    ...(options.raw !== undefined
      ? { body: options.raw }
      : options.body === undefined
        ? {}
        : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON (metrics, docs)
  }
  return { status: response.status, headers: response.headers, json, text };
};
const last = async () => (await server.runtime.store.lastPosition()) ?? -1;

describe('statistics over HTTP', () => {
  it('reads a huitong figure, with the position it reflects', async () => {
    const r = await call(
      'GET',
      '/v1/statistics/issues.resolved?scope=r:huitong&from=2022-01-01&to=2022-12-31',
      {
        token: tokenOf('reader', '*'),
      },
    );
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ metric: 'issues.resolved', kind: 'flow', value: 67, unit: 'issues' });
    expect(r.json['position']).toBeGreaterThan(3_000);
    expect(r.headers.get('x-cogov-position')).toBe(String(r.json['position']));
  });

  it('reads levels on a date, series and a region’s summary', async () => {
    const level = await call(
      'GET',
      '/v1/statistics/partTime.sitting?scope=r:huitong&facet=level%3Dcommunity&asOf=2022-12-31',
    );
    expect(level.json).toMatchObject({ kind: 'level', value: 21 });
    const series = await call(
      'GET',
      '/v1/statistics/meetings.held/series?scope=r:huitong&from=2022-01-01&to=2022-12-31&granularity=quarter',
    );
    // Community meetings monthly from April (three communities), the town's in April, July, October and December.
    expect((series.json['points'] as { value: number }[]).map((p) => p.value)).toEqual([
      0,
      3 * 3 + 1,
      3 * 3 + 1,
      3 * 3 + 2,
    ]);
    const summary = await call('GET', '/v1/regions/huitong/summary?from=2022-01-01&to=2022-12-31');
    expect(summary.json['summary']).toMatchObject({ issues: { resolved: 67 }, partTime: { appointed: 38 } });
  });

  it('answers a level asked over a period, or an empty period, with a 400 naming the field', async () => {
    const wrong = await call(
      'GET',
      '/v1/statistics/partTime.sitting?scope=r:huitong&from=2022-01-01&to=2022-12-31',
    );
    expect(wrong.status).toBe(400);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
    expect(wrong.json['errors']).toEqual([{ field: 'query.from', message: 'not for a level; use asOf' }]);
    const empty = await call(
      'GET',
      '/v1/statistics/meetings.held?scope=r:huitong&from=2022-05-01&to=2022-01-01',
    );
    expect(empty.status).toBe(400);
  });

  it('keeps member figures by year, and says so when asked for a month', async () => {
    const year = await call(
      'GET',
      '/v1/statistics/points.awarded?scope=m:dongmen-m-1&from=2022-01-01&to=2022-12-31',
    );
    expect(year.status).toBe(200);
    const month = await call(
      'GET',
      '/v1/statistics/points.awarded?scope=m:dongmen-m-1&from=2022-03-01&to=2022-03-31',
    );
    expect(month.status).toBe(400);
    expect(month.json['detail']).toMatch(/by year/);
  });
});

describe('commands over HTTP', () => {
  it('creates a record (201, Location, ETag), then refuses a stale If-Match with 412 and writes nothing', async () => {
    const created = await call('POST', '/v1/regions/testville/define-region', {
      body: { name: '测试社区', level: 'community', parentId: 'lincheng', definedOn: today },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/v1/regions/testville');
    expect(created.headers.get('etag')).toBe('"0"');
    expect(created.json).toMatchObject({ streamId: 'region-testville', revision: 0, replayed: false });
    const before = await last();
    const stale = await call('POST', '/v1/regions/testville/rename-region', {
      body: { name: '新名字', renamedOn: today },
      headers: { 'if-match': '"7"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.json).toMatchObject({
      type: 'urn:cogov:problem:precondition-failed',
      details: { currentRevision: 0 },
    });
    expect(stale.headers.get('etag')).toBe('"0"');
    expect(await last()).toBe(before);
    const fresh = await call('POST', '/v1/regions/testville/rename-region', {
      body: { name: '新名字', renamedOn: today },
      headers: { 'if-match': created.headers.get('etag') as string },
    });
    expect(fresh.status).toBe(200);
    expect(fresh.json['revision']).toBe(1);
  });

  it('answers a refusal by the rules with 422, its code and the field, and writes nothing', async () => {
    const before = await last();
    const refused = await call('POST', '/v1/committees/dongmen-ppc/hold-joint-meeting', {
      body: {
        meetingId: 'm-refused',
        heldOn: today,
        attendees: ['nobody-sits-here'],
        agendaItemIds: [],
        minutesRef: '纪要',
        resolutions: [],
        followUps: [],
      },
    });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.json['code']).toMatch(/^[A-Z_]+$/);
    expect(refused.json['type']).toBe(`urn:cogov:problem:rejected:${String(refused.json['code'])}`);
    expect(await last()).toBe(before);
  });

  it('returns the first response to a retry with the same Idempotency-Key, and writes once', async () => {
    const body = { name: '幂等社区', level: 'community', parentId: 'lincheng', definedOn: today };
    const first = await call('POST', '/v1/regions/idem-1/define-region', {
      body,
      headers: { 'idempotency-key': 'k-1' },
    });
    const afterFirst = await last();
    const again = await call('POST', '/v1/regions/idem-1/define-region', {
      body,
      headers: { 'idempotency-key': 'k-1' },
    });
    expect(again.status).toBe(first.status);
    expect(again.json).toEqual(first.json);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await last()).toBe(afterFirst);
    const reused = await call('POST', '/v1/regions/idem-2/define-region', {
      body,
      headers: { 'idempotency-key': 'k-1' },
    });
    expect(reused.status).toBe(422);
    expect(reused.json['errors']).toEqual([
      { field: 'header.idempotency-key', message: 'used for another request' },
    ]);
    expect(await last()).toBe(afterFirst);
  });

  it('keeps an Idempotency-Key’s promise from the log once its stored answer is gone', async () => {
    const body = { name: '幂等社区三', level: 'community', parentId: 'lincheng', definedOn: today };
    const first = await call('POST', '/v1/regions/idem-3/define-region', {
      body,
      headers: { 'idempotency-key': 'k-3' },
    });
    expect(first.status).toBe(201);
    const afterFirst = await last();
    // The stored answers expire (or the read models are deleted and rebuilt).
    expect(await server.runtime.idempotency.sweep(Date.now() + 400 * 24 * 3_600_000)).toBeGreaterThan(0);
    const otherBody = await call('POST', '/v1/regions/idem-3/define-region', {
      body: { ...body, name: '另一个名字' },
      headers: { 'idempotency-key': 'k-3' },
    });
    expect([otherBody.status, otherBody.json['type']]).toEqual([
      422,
      'urn:cogov:problem:idempotency-key-reused',
    ]);
    const otherRecord = await call('POST', '/v1/regions/idem-4/define-region', {
      body,
      headers: { 'idempotency-key': 'k-3' },
    });
    expect([otherRecord.status, otherRecord.json['type']]).toEqual([
      422,
      'urn:cogov:problem:idempotency-key-reused',
    ]);
    const retry = await call('POST', '/v1/regions/idem-3/define-region', {
      body,
      headers: { 'idempotency-key': 'k-3' },
    });
    expect([retry.status, retry.json['replayed'], retry.json['position']]).toEqual([
      201,
      true,
      first.json['position'],
    ]);
    expect(await last()).toBe(afterFirst);
  });

  it('reads its own writes with minPosition, and says clearly when the read models are behind', async () => {
    const nominated = await call('POST', '/v1/committees/gaihe-ppc/nominate-candidate', {
      body: {
        candidateId: 'rw-1',
        personId: 'gaihe-m-3',
        category: 'exemplary-resident',
        nominatedBy: '居民推荐',
        nominatedOn: today,
      },
    });
    expect(nominated.status).toBe(200);
    const position = nominated.json['position'] as number;
    const read = await call(
      'GET',
      `/v1/statistics/candidates.nominated?scope=c:gaihe-ppc&from=${today}&to=${today}&minPosition=${position}`,
    );
    expect(read.status).toBe(200);
    expect(read.json['value']).toBe(1);
    expect(read.json['position']).toBeGreaterThanOrEqual(position);
    const ahead = await call(
      'GET',
      `/v1/statistics/candidates.nominated?scope=r:huitong&minPosition=${position + 1_000_000}`,
    );
    expect(ahead.status).toBe(503);
    expect(ahead.headers.get('retry-after')).toBe('1');
    expect(ahead.json).toMatchObject({
      type: 'urn:cogov:problem:read-model-behind',
      errors: [{ field: 'query.minPosition', message: 'not reached yet' }],
    });
  });
});

describe('answers kept between events', () => {
  it('serves a repeated question from memory, and never an answer older than the read models', async () => {
    const path = `/v1/statistics/candidates.nominated?scope=c:gaihe-ppc&from=${today}&to=${today}`;
    const first = await call('GET', path);
    const again = await call('GET', path);
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    const before = first.json['value'] as number;
    const nominated = await call('POST', '/v1/committees/gaihe-ppc/nominate-candidate', {
      body: {
        candidateId: 'cache-1',
        personId: 'gaihe-m-4',
        category: 'exemplary-resident',
        nominatedBy: '居民推荐',
        nominatedOn: today,
      },
    });
    expect(nominated.status).toBe(200);
    const position = nominated.json['position'] as number;
    await call('GET', `/v1/statistics/candidates.nominated?scope=r:huitong&minPosition=${position}`);
    // The same question without minPosition: the read models have moved, so the kept answer is gone.
    const after = await call('GET', path);
    expect(after.json['position']).toBeGreaterThanOrEqual(position);
    expect(after.json['value']).toBe(before + 1);
  });
});

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

describe('audits', () => {
  it('reads a roster as of a date as known at a time (auditors only), and a person’s history', async () => {
    const known = await call(
      'GET',
      '/v1/committees/lincheng-dgw/roster?asOf=2022-09-15&knownAt=2022-10-01T00:00:00Z',
      {
        token: tokenOf('auditor', '*'),
      },
    );
    const now = await call('GET', '/v1/committees/lincheng-dgw/roster?asOf=2022-09-15', {
      token: tokenOf('reader', '*'),
    });
    const partTime = (r: typeof known) =>
      (r.json['members'] as { kind: string }[]).filter((m) => m.kind === 'part-time').length;
    expect(partTime(known)).toBe(17);
    expect(partTime(now)).toBe(16);
    const readerAsksThePast = await call(
      'GET',
      '/v1/committees/lincheng-dgw/roster?knownAt=2022-10-01T00:00:00Z',
      {
        token: tokenOf('reader', '*'),
      },
    );
    expect(readerAsksThePast.status).toBe(403);
    const history = await call('GET', '/v1/members/ht-tp-17/history', { token: tokenOf('auditor', '*') });
    expect((history.json['entries'] as { kind: string }[]).map((e) => e.kind)).toEqual([
      'appointed',
      'withdrew',
    ]);
  });

  it('reads a record’s state at a revision and its events with who recorded them', async () => {
    const state = await call('GET', '/v1/committees/lincheng-dgw?atRevision=1', {
      token: tokenOf('auditor', '*'),
    });
    expect(state.status).toBe(200);
    expect(state.json['revision']).toBe(1);
    expect(state.headers.get('etag')).toBe('"1"');
    const events = await call('GET', '/v1/committees/lincheng-dgw/events?limit=3', {
      token: tokenOf('auditor', '*'),
    });
    const list = events.json['events'] as { type: string; actor: string; recordedAt: string }[];
    expect(list.map((e) => e.type)).toEqual(['CommitteeEstablished', 'TermStarted', 'OfficerAssigned']);
    expect(list[0]).toMatchObject({
      actor: 'clerk',
      recordedAt: expect.stringMatching(/^2021-06-01/) as unknown,
    });
    expect(events.json['nextRevision']).toBe(3);
    const missing = await call('GET', '/v1/committees/no-such-committee', { token: tokenOf('auditor', '*') });
    expect(missing.status).toBe(404);
  });
});

describe('lists', () => {
  it('pages through a region’s members with a cursor, without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await call(
        'GET',
        `/v1/members?region=dongmen&limit=25${cursor === null ? '' : `&cursor=${cursor}`}`,
      );
      expect(r.status).toBe(200);
      seen.push(...(r.json['items'] as { id: string }[]).map((m) => m.id));
      cursor = r.json['nextCursor'] as string | null;
    } while (cursor !== null);
    expect(seen.length).toBeGreaterThan(60);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('lists open and overdue issues, unclaimed needs, children and a leaderboard', async () => {
    expect((await call('GET', '/v1/issues?region=huitong')).json['items']).toHaveLength(6);
    expect(
      (
        (await call('GET', '/v1/issues?region=huitong&status=overdue&on=2023-06-01')).json[
          'items'
        ] as unknown[]
      ).length,
    ).toBeGreaterThan(0);
    expect((await call('GET', '/v1/needs/unclaimed?region=huitong')).json['items']).toHaveLength(4);
    const children = (await call('GET', '/v1/regions?parent=lincheng')).json['items'] as { id: string }[];
    expect(children.map((c) => c.id)).toEqual(expect.arrayContaining(['dongmen', 'gaihe', 'jianshe']));
    const board = await call('GET', '/v1/leaderboard?region=huitong&year=2022&limit=3');
    expect(board.json['items']).toHaveLength(3);
  });
});

describe('operations', () => {
  it('serves health, readiness, Prometheus metrics (admin), OpenAPI 3.1 and the docs page', async () => {
    expect((await call('GET', '/healthz', { token: null })).json).toEqual({ status: 'ok' });
    const ready = await call('GET', '/readyz', { token: null });
    expect(ready.status).toBe(200);
    // Status and positions only: failures name streams and events, for admins (/v1/admin/status).
    expect(Object.keys(ready.json).sort()).toEqual(['logPosition', 'readModelsPosition', 'status']);
    expect(ready.json['status']).toBe('ok');
    const metrics = await call('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(metrics.text).toMatch(/cogov_projection_position\{projection="statistics",role="active"\} \d+/);
    expect(metrics.text).toMatch(/cogov_projection_lag_events\{projection="statistics"\} \d+/);
    expect(metrics.text).toContain('cogov_http_request_duration_seconds_bucket');
    expect(metrics.text).toContain('cogov_events_appended_total');
    expect((await call('GET', '/metrics', { token: tokenOf('reader', '*') })).status).toBe(403);
    const openapi = await call('GET', '/openapi.json', { token: null });
    expect(openapi.json['openapi']).toBe('3.1.0');
    const operations = Object.values(
      openapi.json['paths'] as Record<string, Record<string, { operationId?: string }>>,
    ).flatMap((p) => Object.values(p).map((o) => o.operationId));
    expect(operations).toEqual(
      expect.arrayContaining([
        'AppointMember',
        'HoldJointMeeting',
        'AssignIssue',
        'getStatistic',
        'getRoster',
      ]),
    );
    const docs = await fetch(`${server.url}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });
});
