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
      'duties-assigned',
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
