import { LmdbEventStore } from '@cogov/eventstore/lmdb';
import { copyLog } from '@cogov/eventstore/testing';
import { memberAppointedAsVersion1 } from '@cogov/testkit';
import { tokenOf } from '@cogov/testkit/http';
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller } from '../../testing/http.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';

let server: TestServer;
let copied = 0;
beforeAll(async () => {
  server = await startTestServer({ listen: true });
  // The same log, as the software wrote it before MemberAppointed's version 2.
  await server.restart(async (dir) => {
    const events = join(dir, 'events');
    renameSync(events, join(dir, 'events-v2'));
    const source = await LmdbEventStore.open({ path: join(dir, 'events-v2') });
    try {
      copied = await copyLog(source, events, memberAppointedAsVersion1);
    } finally {
      await source.close();
    }
    rmSync(join(dir, 'events-v2'), { recursive: true, force: true });
  });
}, 120_000);
afterAll(async () => server.close());

const call = caller(() => server);

describe('a log holding version 1 appointments, over HTTP', () => {
  it('shows them in version 2 in /events, while the log keeps them as written', async () => {
    expect(copied).toBeGreaterThan(3000);
    const response = await call('GET', '/v1/committees/lincheng-dgw/events?limit=500', {
      token: tokenOf('auditor', '*'),
    });
    expect(response.status).toBe(200);
    const appointments = (
      response.json['events'] as { type: string; schemaVersion: number; data: Record<string, unknown> }[]
    ).filter((e) => e.type === 'MemberAppointed');
    expect(appointments.length).toBe(17);
    for (const e of appointments) {
      expect(e.schemaVersion).toBe(2);
      expect(e.data['approval']).toMatchObject({
        authority: 'county-organisation-department',
        level: 'county',
      });
      expect(e.data).not.toHaveProperty('approvedBy');
    }
    const raw = (await server.runtime.log?.readStream('committee-lincheng-dgw' as never)) ?? [];
    expect(raw.filter((e) => e.type === 'MemberAppointed').every((e) => e.metadata.schemaVersion === 1)).toBe(
      true,
    );
  });

  it('reads rosters with each appointment’s approving level', async () => {
    const roster = await call('GET', '/v1/committees/lincheng-dgw/roster?asOf=2022-06-30', {
      token: tokenOf('reader', '*'),
    });
    const partTime = (
      roster.json['members'] as { kind: string; approval: { level: string } | null }[]
    ).filter((m) => m.kind === 'part-time');
    expect(partTime.length).toBeGreaterThan(10);
    expect(partTime.every((m) => m.approval?.level === 'county')).toBe(true);
  });
});
