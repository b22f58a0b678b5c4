import { ERASED } from '@cogov/domain';
import { LookupQueries, METRICS } from '@cogov/projections';
import { tokenOf } from '@cogov/testkit/http';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller } from '../../testing/http.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ listen: true });
}, 60_000);
afterAll(async () => server.close());

const call = caller(() => server);
const auditor = tokenOf('auditor', '*');

/** Every file of the data directory, recursively. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });

/** Every figure an organisation department reads for huitong in 2022: the summary, each metric's year, rosters and points. */
const figures = async () => {
  const summary = (await call('GET', '/v1/regions/huitong/summary?from=2022-01-01&to=2022-12-31')).json;
  const metrics: Record<string, unknown> = {};
  for (const [metric, definition] of Object.entries(METRICS)) {
    const query = definition.kind === 'level' ? 'asOf=2022-12-31' : 'from=2022-01-01&to=2022-12-31';
    const r = await call('GET', `/v1/statistics/${metric}?scope=r:huitong&${query}`);
    expect(r.status, metric).toBe(200);
    metrics[metric] = r.json['value'];
  }
  const roster = (
    await call('GET', '/v1/committees/dongmen-ppc/roster?asOf=2022-12-31&knownAt=2022-10-01T00:00:00Z', {
      token: auditor,
    })
  ).json['members'] as unknown[];
  const leaderboard = (await call('GET', '/v1/leaderboard?region=huitong&year=2022&limit=100')).json[
    'items'
  ] as { memberId: string; points: number }[];
  return {
    summary: summary['summary'],
    metrics,
    roster: roster.length,
    points: leaderboard.map(({ memberId, points }) => ({ memberId, points })),
  };
};

describe('erasure of personal data (PIPL)', () => {
  it('erases ten people: shown as erased everywhere, every figure the same before and after a rebuild, no name left on disk, the log still verifies', async () => {
    const page = await call('GET', '/v1/members?region=huitong&limit=200');
    const members = (page.json['items'] as { id: string; name: string }[]).slice(0, 10);
    expect(members).toHaveLength(10);
    for (const m of members) expect(m.name).not.toBe(ERASED);
    const before = await figures();
    expect((before.metrics['meetings.held'] as number) > 0).toBe(true);

    const body = {
      legalBasis: '《个人信息保护法》第四十七条：本人申请删除',
      reference: '会同县委组织部 删除申请 2023-001',
      erasedOn: '2023-01-05',
    };
    const clerk = await call('POST', `/v1/members/${members[0]!.id}/erase-personal-data`, {
      token: tokenOf('clerk', 'lincheng'),
      body,
    });
    expect(clerk.status).toBe(403);
    for (const m of members) {
      const r = await call('POST', `/v1/members/${m.id}/erase-personal-data`, { body });
      expect(r.status, m.id).toBe(200);
    }
    const again = await call('POST', `/v1/members/${members[0]!.id}/erase-personal-data`, { body });
    expect(again.status).toBe(422);
    expect(again.json['code']).toBe('PERSONAL_DATA_ERASED');
    const last = (await call('GET', '/v1/members?region=huitong&limit=1')).json;
    expect(last).toBeDefined();

    // Shown as erased on every read: the record, its events, the lists.
    for (const m of members) {
      const record = await call('GET', `/v1/members/${m.id}`, { token: auditor });
      expect(record.json['state']).toMatchObject({ name: ERASED, erased: true });
      const events = await call('GET', `/v1/members/${m.id}/events`, { token: auditor });
      expect(JSON.stringify(events.json)).not.toContain(m.name);
      expect(JSON.stringify(events.json)).toContain(ERASED);
    }
    const listed = new Map(
      (
        (await call('GET', '/v1/members?region=huitong&limit=200')).json['items'] as {
          id: string;
          name: string;
        }[]
      ).map((m) => [m.id, m.name]),
    );
    for (const m of members) expect(listed.get(m.id)).toBe(ERASED);

    // The erased, as the start-up catch-up finds them: from their index, and as an older slot
    // without it (served during a rebuild) finds them by scanning every member.
    const lookups = server.runtime.readModels.lookups();
    const erasedIds = members.map((m) => m.id).sort();
    const scanning = new LookupQueries(
      server.runtime.readModels.projector.databases('lookups'),
      undefined,
      3,
    );
    expect([...scanning.erasedMembers()].sort()).toEqual(erasedIds);
    expect([...lookups.erasedMembers()].sort()).toEqual(erasedIds);

    // Every figure exactly as before.
    expect(await figures()).toEqual(before);

    // No erased name anywhere on disk: the log and the read models only ever held ciphertext.
    const files = filesUnder(server.dir);
    expect(files.some((f) => f.endsWith('log.mdb'))).toBe(true);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const m of members)
        expect(bytes.includes(Buffer.from(m.name, 'utf8')), `${m.name} in ${file}`).toBe(false);
    }

    // A rebuild of every read model finds nothing different, and the figures stay the same.
    for (const projection of ['statistics', 'membership', 'lookups']) {
      const report = await server.runtime.readModels.projector.rebuild(projection, { timeoutMs: 60_000 });
      expect(report.differences, projection).toBe(0);
    }
    expect(await figures()).toEqual(before);

    // The log is unchanged by erasure: its hash chain verifies.
    const verified = server.runtime.log?.verify();
    expect(verified?.break).toBeNull();
    expect(verified?.events).toBeGreaterThan(3_000);
  }, 180_000);
});
