import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller } from '../../testing/http.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ listen: true });
}, 60_000);
afterAll(async () => server.close());

const call = caller(() => server);

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
