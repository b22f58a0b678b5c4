import { damageLogRecord } from '@cogov/eventstore/testing';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenOf } from '@cogov/testkit/http';
import { startTestServer, type TestServer } from '../testing/server.ts';

let server: TestServer;
let damaged: number;
beforeAll(async () => {
  server = await startTestServer();
  const [first] = await server.runtime.store.readStream('member-dongmen-m-7' as never);
  damaged = first?.position ?? -1;
  await server.restart((dir) => damageLogRecord(join(dir, 'events'), damaged));
}, 120_000);
afterAll(async () => server.close());

const get = (url: string, token = tokenOf('admin', '*')) =>
  server.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

describe('a server whose log holds a damaged record', () => {
  it('answers a read of the damaged record with a problem naming its position and stream, not a bare 500', async () => {
    const response = await get('/v1/members/dongmen-m-7');
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({
      type: 'urn:cogov:problem:damaged-record',
      details: { position: damaged, streamId: 'member-dongmen-m-7' },
    });
  });

  it('fails a rebuild at once, naming the record, and keeps serving from the running read models', async () => {
    const started = Date.now();
    const response = await server.app.inject({
      method: 'POST',
      url: '/v1/admin/projections/lookups/rebuild',
      headers: { authorization: `Bearer ${tokenOf('admin', '*')}` },
    });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(response.statusCode).toBe(409);
    expect(response.json<{ detail: string }>().detail).toContain(
      `position ${damaged} (stream member-dongmen-m-7)`,
    );
    // The read models are fine and still serve; readiness says the log is not.
    await server.runtime.integrity?.check();
    const ready = await server.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'ok', log: 'broken', brokenAt: damaged });
    expect((await get('/v1/members?region=dongmen&limit=3')).statusCode).toBe(200);
    const status = (await get('/v1/admin/status')).json<{ projections: { role: string }[] }>();
    expect(status.projections.every((p) => p.role === 'active')).toBe(true);
  });
});
