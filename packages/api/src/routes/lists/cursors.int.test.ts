import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenOf } from '@cogov/testkit/http';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import type { OpenApi } from '@cogov/testkit/http';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 60_000);
afterAll(async () => server.close());

const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

/** Keys of every list's layout that point into the other county, or are shaped wrong. */
const CRAFTED: readonly unknown[] = [
  ['member', 'othercommunity', ''],
  ['member', 'bcomm', ''],
  ['committee', 'othertown', ''],
  ['unit', 'othercommunity', 'other-unit-0'],
  ['issue', 'othercounty', ''],
  ['othercommunity', 0, ''],
  ['othertown', 0, ''],
  ['othercommunity', ''],
  ['othertown', ''],
  ['', 'othercounty'],
  ['lincheng', -1, ''],
  ['lincheng', 99_999_999, ''],
  ['member', 'lincheng'],
  ['member', 'lincheng', '', 'extra'],
  ['member', 'lincheng', 7],
  'lincheng',
  {},
];

describe('list cursors', () => {
  const lists = () =>
    Object.entries((server.app.swagger() as unknown as OpenApi).paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, o]) => (o.parameters ?? []).some((p) => p.name === 'cursor'))
        .map(([method]) => ({ method, path })),
    );

  it('cover every paged list', () => {
    expect(lists().map((l) => l.path)).toEqual(
      expect.arrayContaining(['/v1/members', '/v1/issues', '/v1/regions', '/v1/needs/unclaimed']),
    );
  });

  it('refuse a crafted cursor that points outside the caller’s region on every list (400), showing nothing of it', async () => {
    let tried = 0;
    for (const { path } of lists()) {
      const region = path === '/v1/regions' ? 'parent=lincheng' : 'region=lincheng';
      for (const key of CRAFTED) {
        const response = await server.app.inject({
          method: 'GET',
          url: `${path}?${region}&cursor=${cursorOf(key)}`,
          headers: { authorization: `Bearer ${tokenOf('reader', 'lincheng')}` },
        });
        const what = `${path} cursor ${JSON.stringify(key)} → ${response.statusCode} ${response.body.slice(0, 200)}`;
        expect(response.statusCode, what).toBe(400);
        expect(response.json<{ errors: { field: string }[] }>().errors[0]?.field, what).toBe('query.cursor');
        expect(response.body, what).not.toMatch(/other(community|town|county)|other-/);
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(100);
  });

  it('still resume where the previous page stopped', async () => {
    const get = async (cursor?: string) =>
      (
        await server.app.inject({
          method: 'GET',
          url: `/v1/members?region=lincheng&limit=7${cursor === undefined ? '' : `&cursor=${cursor}`}`,
          headers: { authorization: `Bearer ${tokenOf('reader', 'lincheng')}` },
        })
      ).json<{ items: { id: string; regionPath: string[] }[]; nextCursor: string | null }>();
    const first = await get();
    const second = await get(first.nextCursor ?? undefined);
    expect(second.items).toHaveLength(7);
    expect(second.items.map((m) => m.id)).not.toContain(first.items[0]?.id);
    for (const m of [...first.items, ...second.items]) expect(m.regionPath).toContain('lincheng');
  });
});
