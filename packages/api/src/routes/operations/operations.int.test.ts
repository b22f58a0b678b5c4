import { tokenOf } from '@cogov/testkit/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller } from '../../testing/http.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ listen: true });
}, 60_000);
afterAll(async () => server.close());

const call = caller(() => server);

describe('operations', () => {
  it('serves health, readiness, Prometheus metrics (admin), OpenAPI 3.1 and the docs page', async () => {
    expect((await call('GET', '/healthz', { token: null })).json).toEqual({ status: 'ok' });
    const ready = await call('GET', '/readyz', { token: null });
    expect(ready.status).toBe(200);
    // Status and positions only: failures name streams and events, for admins (/v1/admin/status).
    expect(Object.keys(ready.json).sort()).toEqual([
      'brokenAt',
      'log',
      'logPosition',
      'readModelsPosition',
      'status',
    ]);
    expect(ready.json).toMatchObject({
      log: expect.stringMatching(/^(verified|verifying)$/) as unknown,
      brokenAt: null,
    });
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
