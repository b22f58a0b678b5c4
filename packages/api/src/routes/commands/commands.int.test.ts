import { dateInZone } from '@cogov/domain';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { caller } from '../../testing/http.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';

let server: TestServer;
const today = dateInZone(new Date(), 'Asia/Shanghai');
beforeAll(async () => {
  server = await startTestServer({ listen: true });
}, 60_000);
afterAll(async () => server.close());

const call = caller(() => server);
const last = async () => (await server.runtime.store.lastPosition()) ?? -1;

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

  it('sweeps expired Idempotency-Keys by itself (from its start on, then hourly): they do not pile up on disk', async () => {
    const ttl = server.runtime.config.idempotencyTtlHours * 3_600_000;
    const stored = { fingerprint: 'f', status: 201, headers: {}, body: null };
    await server.runtime.idempotency.put('old\u0000k-swept', { ...stored, at: Date.now() - ttl - 60_000 });
    await server.runtime.idempotency.put('old\u0000k-kept', { ...stored, at: Date.now() });
    // Read as of the epoch, an entry shows whether it is still stored, expired or not.
    expect(server.runtime.idempotency.get('old\u0000k-swept', 0)).toBeDefined();
    await server.restart();
    await vi.waitFor(() => expect(server.runtime.idempotency.get('old\u0000k-swept', 0)).toBeUndefined(), {
      timeout: 5_000,
    });
    expect(server.runtime.idempotency.get('old\u0000k-kept', 0)).toBeDefined();
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
