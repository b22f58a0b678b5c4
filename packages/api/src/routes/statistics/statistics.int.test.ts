import { dateInZone } from '@cogov/domain';
import { tokenOf } from '@cogov/testkit/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller } from '../../testing/http.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';

let server: TestServer;
const today = dateInZone(new Date(), 'Asia/Shanghai');
beforeAll(async () => {
  server = await startTestServer({ listen: true });
}, 60_000);
afterAll(async () => server.close());

const call = caller(() => server);

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
    // The seeds' own figures, under names that say which is which: 189 attendances of part-time
    // members at community joint meetings (the town's meetings apart), 3 branches upgraded.
    const s = summary.json['summary'] as {
      meetings: Record<string, number>;
      committees: { upgraded: number };
      issues: { medianDaysToResolve: number; p90DaysToResolve: number };
    };
    expect(s.meetings['partTimeAttendancesAtCommunityMeetings']).toBe(189);
    expect(
      s.meetings['partTimeAttendancesAtCommunityMeetings']! +
        s.meetings['partTimeAttendancesAtSubdistrictMeetings']!,
    ).toBe(s.meetings['partTimeAttendances']);
    expect(s.committees.upgraded).toBe(3);
    expect(s.issues.p90DaysToResolve).toBeGreaterThanOrEqual(s.issues.medianDaysToResolve);
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

  it('lists each metric’s facets with their values, and answers a misspelt facet with a 400 naming the allowed ones, not 0', async () => {
    const list = await call('GET', '/v1/statistics');
    const exited = (list.json['metrics'] as { name: string; facetValues: Record<string, string[]> }[]).find(
      (m) => m.name === 'partTime.exited',
    );
    expect(exited?.facetValues['reason']).toEqual(['expired', 'dismissed', 'withdrew']);
    const right = await call(
      'GET',
      '/v1/statistics/partTime.exited?scope=r:huitong&facet=reason%3Dwithdrew&from=2022-01-01&to=2022-12-31',
    );
    expect(right.json['value']).toBe(1);
    const misspelt = await call(
      'GET',
      '/v1/statistics/partTime.exited?scope=r:huitong&facet=reason%3Dwithdrawn&from=2022-01-01&to=2022-12-31',
    );
    expect(misspelt.status).toBe(400);
    expect(misspelt.json['errors']).toEqual([
      { field: 'query.facet', message: 'reason of partTime.exited is one of: expired, dismissed, withdrew' },
    ]);
    const noSuchFacet = await call(
      'GET',
      '/v1/statistics/partTime.exited/series?scope=r:huitong&facet=trade%3Dproperty&from=2022-01-01&to=2022-12-31',
    );
    expect(noSuchFacet.status).toBe(400);
    expect(JSON.stringify(noSuchFacet.json['errors'])).toContain('its facets: level, reason');
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

describe('statistics as known at an instant (auditors)', () => {
  // Recorded on 15 November, effective 1 September: the town's withdrawal of one part-time member.
  const sitting = '/v1/statistics/partTime.sitting?scope=c:lincheng-dgw&asOf=2022-12-31';
  const before = encodeURIComponent('2022-10-01T00:00:00+08:00');
  const auditor = tokenOf('auditor', '*');

  it('gives the year-end figure as known at the time (17) and as known now (16)', async () => {
    const now = await call('GET', sitting, { token: auditor });
    expect(now.json).toMatchObject({ value: 16, knownAt: null });
    const then = await call('GET', `${sitting}&knownAt=${before}`, { token: auditor });
    expect(then.status).toBe(200);
    // Resolved to the end of the last whole recorded hour, and said so.
    expect(then.json).toMatchObject({ value: 17, knownAt: '2022-09-30T15:59:59.999Z' });
    const after = await call('GET', `${sitting}&knownAt=${encodeURIComponent('2022-11-16T00:00:00+08:00')}`, {
      token: auditor,
    });
    expect(after.json['value']).toBe(16);
  });

  it('answers series and the region summary as known at the time', async () => {
    const series = await call(
      'GET',
      `/v1/statistics/partTime.sitting/series?scope=c:lincheng-dgw&from=2022-01-01&to=2022-12-31&granularity=quarter&knownAt=${before}`,
      { token: auditor },
    );
    expect(series.status).toBe(200);
    expect((series.json['points'] as { value: number }[]).at(-1)?.value).toBe(17);
    const summaryNow = await call('GET', '/v1/regions/huitong/summary?from=2022-01-01&to=2022-12-31', {
      token: auditor,
    });
    const summaryThen = await call(
      'GET',
      `/v1/regions/huitong/summary?from=2022-01-01&to=2022-12-31&knownAt=${before}`,
      { token: auditor },
    );
    const partTime = (r: typeof summaryNow) =>
      (r.json['summary'] as { partTime: { sittingAtEnd: number; exited: number } }).partTime;
    expect(partTime(summaryThen).sittingAtEnd).toBe(partTime(summaryNow).sittingAtEnd + 1);
    expect(partTime(summaryThen).exited).toBe(partTime(summaryNow).exited - 1);
    expect((summaryThen.json['summary'] as { knownAt: string }).knownAt).toBe('2022-09-30T15:59:59.999Z');
  });

  it('is an audit: a reader gets 403, even after an auditor asked the same question', async () => {
    await call('GET', `${sitting}&knownAt=${before}`, { token: auditor });
    const reader = await call('GET', `${sitting}&knownAt=${before}`, { token: tokenOf('reader', '*') });
    expect(reader.status).toBe(403);
    const bad = await call('GET', `${sitting}&knownAt=yesterday`, { token: auditor });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json['errors'])).toContain('query.knownAt');
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
