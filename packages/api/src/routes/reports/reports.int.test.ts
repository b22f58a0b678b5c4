import { tokenOf } from '@cogov/testkit/http';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XLSX_TYPE } from '../../http/spreadsheets.ts';
import { caller } from '../../testing/http.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ listen: true });
}, 60_000);
afterAll(async () => server.close());

const call = caller(() => server);
const reader = tokenOf('reader', '*');

/** A CSV download's records, its byte-order mark dropped. */
const csvRows = (bytes: Buffer): string[][] => {
  const records: unknown = parse(bytes.toString('utf8').slice(1));
  return records as string[][];
};

/** A download, as bytes. */
const download = async (path: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${server.url ?? ''}${path}`, {
    headers: { authorization: `Bearer ${reader}`, ...headers },
  });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
};

const readXlsx = async (bytes: Buffer) => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const rows: unknown[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => rows.push((row.values as unknown[]).slice(1)));
  return { sheet, rows };
};

interface SheetJson {
  columns: { key: string; zh: string; en: string; source: string }[];
  rows: {
    regionId: string;
    kind: string;
    depth: number;
    parentId: string | null;
    values: Record<string, number | null>;
  }[];
  notFilled: unknown[];
}

/** One figure over HTTP: a level on 31 December 2022, or a flow over 2022. */
const figure = async (metric: string, scope: string, facet?: string, level = false) => {
  const period = level ? 'asOf=2022-12-31' : 'from=2022-01-01&to=2022-12-31';
  const f = facet === undefined ? '' : `&facet=${encodeURIComponent(facet)}`;
  const r = await call('GET', `/v1/statistics/${metric}?scope=${scope}${f}&${period}`, { token: reader });
  expect(r.status, `${metric} ${scope} ${facet ?? ''}`).toBe(200);
  return r.json['value'] as number;
};

describe('the annual sheet 社区党建情况', () => {
  let sheet: SheetJson;
  beforeAll(async () => {
    const r = await call('GET', '/v1/regions/huitong/annual-sheet?year=2022', { token: reader });
    expect(r.status).toBe(200);
    sheet = r.json as unknown as SheetJson;
  });

  it('has a row per community, a subtotal per street and for the county, in tree order', () => {
    expect(sheet.rows.map((r) => [r.regionId, r.kind, r.depth])).toEqual([
      ['huitong', 'subtotal', 0],
      ['lincheng', 'subtotal', 1],
      ['dongmen', 'community', 2],
      ['gaihe', 'community', 2],
      ['jianshe', 'community', 2],
    ]);
    expect(sheet.columns.filter((c) => c.source === 'national').map((c) => c.key)).toEqual([
      'communities',
      'communitiesWithBigPartyCommittee',
      'subdistrictsWithBigWorkingCommittee',
      'communitiesWhereInServiceMembersReport',
      'inServiceMembersReported',
    ]);
    expect(sheet.notFilled.length).toBeGreaterThan(0);
  });

  it('totals equal the statistics queries, and the communities add up to their street', async () => {
    const county = sheet.rows[0]!.values;
    const expected: [string, string, string | undefined, boolean][] = [
      ['communitiesWithBigPartyCommittee', 'committees.count', 'kind=community-party-committee', true],
      ['subdistrictsWithBigWorkingCommittee', 'committees.count', 'kind=subdistrict-working-committee', true],
      ['communitiesWhereInServiceMembersReport', 'communities.withReportingMembers', undefined, true],
      ['inServiceMembersReported', 'members.reporting', undefined, true],
      ['partTimeMembersSitting', 'partTime.sitting', undefined, true],
      ['partTimeMembersAppointed', 'partTime.appointed', undefined, false],
      ['jointMeetingsHeld', 'meetings.held', undefined, false],
      ['partTimeAttendances', 'meetings.attendances', 'role=part-time', false],
      ['unitsPaired', 'units.paired', undefined, true],
      ['issuesRegistered', 'issues.registered', undefined, false],
      ['issuesResolved', 'issues.resolved', undefined, false],
      ['coConstructionActivities', 'activities.held', 'coConstruction=true', false],
      ['projectsCompleted', 'projects.completed', undefined, false],
      ['wishesFulfilled', 'wishes.fulfilled', undefined, false],
    ];
    for (const [key, metric, facet, level] of expected)
      expect(county[key], key).toBe(await figure(metric, 'r:huitong', facet, level));
    // The seed's figures: three communities, all with a big party committee; the town with a 大工委.
    expect(county).toMatchObject({
      communities: 3,
      communitiesWithBigPartyCommittee: 3,
      subdistrictsWithBigWorkingCommittee: 1,
      issuesResolved: 67,
      partTimeMembersAppointed: 38,
    });
    // Each community's row is its own figure; the street's summed columns are their sums.
    const communities = sheet.rows.filter((r) => r.kind === 'community');
    for (const row of communities) {
      expect(row.values['jointMeetingsHeld']).toBe(await figure('meetings.held', `r:${row.regionId}`));
      expect(row.values['subdistrictsWithBigWorkingCommittee']).toBeNull();
    }
    const street = sheet.rows[1]!.values;
    for (const key of [
      'communities',
      'communitiesWithBigPartyCommittee',
      'communitiesWhereInServiceMembersReport',
    ])
      expect(street[key], key).toBe(communities.reduce((sum, r) => sum + (r.values[key] ?? 0), 0));
  });

  it('downloads as XLSX (by format= or Accept) that opens and holds the same figures', async () => {
    for (const asked of [
      { query: '&format=xlsx', headers: {} },
      { query: '', headers: { accept: XLSX_TYPE } },
    ]) {
      const { response, bytes } = await download(
        `/v1/regions/huitong/annual-sheet?year=2022${asked.query}`,
        asked.headers,
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(XLSX_TYPE);
      expect(response.headers.get('content-disposition')).toContain('annual-sheet-huitong-2022.xlsx');
      const { sheet: xlsx, rows } = await readXlsx(bytes);
      expect(xlsx.name).toBe('社区党建情况');
      const header = rows[1]!;
      expect(header.slice(3)).toEqual(sheet.columns.map((c) => c.zh));
      // The data rows: region, id, level, then every column's value as a number (or empty).
      for (const [i, row] of sheet.rows.entries()) {
        const cells = rows[2 + i]!;
        expect(cells[1]).toBe(row.regionId);
        // (exceljs leaves holes for empty cells: Array.from reads them as undefined)
        expect(Array.from(cells.slice(3), (c) => c ?? null)).toEqual(
          sheet.columns.map((c) => row.values[c.key]),
        );
      }
    }
  });

  it('downloads as CSV with a byte-order mark that parses back to the same figures', async () => {
    const { response, bytes } = await download(
      '/v1/regions/huitong/annual-sheet?year=2022&format=csv&lang=en',
    );
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = csvRows(bytes);
    expect(records[0]!.slice(3)).toEqual(sheet.columns.map((c) => c.en));
    expect(records.slice(1).map((r) => r[1])).toEqual(sheet.rows.map((r) => r.regionId));
    for (const [i, row] of sheet.rows.entries())
      expect(records[1 + i]!.slice(3)).toEqual(
        sheet.columns.map((c) => (row.values[c.key] === null ? '' : String(row.values[c.key]))),
      );
  });

  it('refuses what it cannot answer, naming the field', async () => {
    const missing = await call('GET', '/v1/regions/huitong/annual-sheet', { token: reader });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.json['errors'])).toContain('query.year');
    const format = await call('GET', '/v1/regions/huitong/annual-sheet?year=2022&format=pdf', {
      token: reader,
    });
    expect(format.status).toBe(400);
    expect(JSON.stringify(format.json['errors'])).toContain('query.format');
    const elsewhere = await call('GET', '/v1/regions/huitong/annual-sheet?year=2022', {
      token: tokenOf('reader', 'othertown'),
    });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.json['code']).toBe('OUT_OF_SCOPE');
    const audit = await call(
      'GET',
      '/v1/regions/huitong/annual-sheet?year=2022&knownAt=2022-10-01T00:00:00%2B08:00',
      { token: reader },
    );
    expect(audit.status).toBe(403);
    const community = await call('GET', '/v1/regions/dongmen/annual-sheet?year=2022', {
      token: tokenOf('reader', 'lincheng'),
    });
    expect((community.json['rows'] as unknown[]).length).toBe(1);
  });
});

describe('ledger exports', () => {
  it('the problem ledger: open, overdue and resolved issues with their dates, as CSV that round-trips', async () => {
    const all = await call('GET', '/v1/regions/huitong/issue-ledger?overdueOn=2023-01-01', { token: reader });
    const rows = all.json['rows'] as Record<string, unknown>[];
    const open = await call('GET', '/v1/regions/huitong/issue-ledger?status=open&overdueOn=2023-01-01', {
      token: reader,
    });
    const openRows = open.json['rows'] as Record<string, unknown>[];
    const list = await call('GET', '/v1/issues?region=huitong&limit=500', { token: reader });
    expect(openRows.map((r) => r['issueId']).sort()).toEqual(
      (list.json['items'] as { id: string }[]).map((i) => i.id).sort(),
    );
    const overdue = await call(
      'GET',
      '/v1/regions/huitong/issue-ledger?status=overdue&overdueOn=2023-01-01',
      { token: reader },
    );
    const overdueRows = overdue.json['rows'] as Record<string, unknown>[];
    expect(overdueRows.length).toBeGreaterThan(0);
    expect(overdueRows.every((r) => (r['dueOn'] as string) < '2023-01-01')).toBe(true);
    const resolved = rows.filter((r) => r['status'] === 'resolved');
    expect(resolved.length).toBeGreaterThan(60);
    for (const r of resolved) {
      expect(r['resolvedOn']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(r['daysToResolve']).toBeGreaterThanOrEqual(0);
      expect(r['assigneeName']).toEqual(expect.any(String));
    }
    const { bytes } = await download(
      '/v1/regions/huitong/issue-ledger?overdueOn=2023-01-01&format=csv&lang=en',
    );
    const records = csvRows(bytes);
    expect(records.slice(1).map((r) => r[0])).toEqual(rows.map((r) => r['issueId']));
    expect(records.slice(1).map((r) => r[7])).toEqual(rows.map((r) => r['status']));
  });

  it('defuses a title a spreadsheet would run as a formula', async () => {
    const created = await call('POST', '/v1/issues/formula-1/register-issue', {
      body: {
        committeeId: 'dongmen-ppc',
        title: '=HYPERLINK("http://example.invalid","x")',
        trade: 'property',
        source: 'resident',
        registeredOn: '2022-06-01',
      },
    });
    expect(created.status).toBe(201);
    const position = created.json['position'] as number;
    const { bytes } = await download(`/v1/regions/dongmen/issue-ledger?format=csv&minPosition=${position}`);
    const records = csvRows(bytes);
    const row = records.find((r) => r[0] === 'formula-1');
    expect(row?.[1]).toBe(`'=HYPERLINK("http://example.invalid","x")`);
    const xlsx = await download(`/v1/regions/dongmen/issue-ledger?format=xlsx&minPosition=${position}`);
    const { sheet } = await readXlsx(xlsx.bytes);
    let formulas = 0;
    sheet.eachRow((r) => r.eachCell((c) => void (c.type === ExcelJS.ValueType.Formula && formulas++)));
    expect(formulas).toBe(0);
  });

  it('a committee’s roster as of a date, with names and the four roles, as XLSX', async () => {
    const json = await call('GET', '/v1/committees/lincheng-dgw/roster?asOf=2022-12-31', { token: reader });
    const members = json.json['members'] as { personId: string; kind: string; duties: string[] }[];
    expect(members.filter((m) => m.kind === 'part-time')).toHaveLength(16);
    expect(members.filter((m) => m.kind === 'part-time').every((m) => m.duties.length > 0)).toBe(true);
    const { response, bytes } = await download(
      '/v1/committees/lincheng-dgw/roster?asOf=2022-12-31&format=xlsx',
    );
    expect(response.headers.get('content-disposition')).toContain('roster-lincheng-dgw-2022-12-31.xlsx');
    const { rows } = await readXlsx(bytes);
    const data = rows
      .slice(2)
      .filter((r) => typeof r[0] === 'string' && members.some((m) => m.personId === r[0]));
    expect(data.map((r) => r[0])).toEqual(members.map((m) => m.personId));
    expect(data.every((r) => typeof r[1] === 'string' && r[1] !== r[0])).toBe(true);
    const withDuties = data.filter((r) => typeof r[8] === 'string');
    expect(withDuties).toHaveLength(16);
  });

  it('the points ledger: every entry of the year, adding up to each member’s points', async () => {
    const ledger = await call('GET', '/v1/regions/huitong/points-ledger?year=2022', { token: reader });
    const rows = ledger.json['rows'] as { memberId: string; points: number; balanceAfter: number }[];
    expect(rows.length).toBeGreaterThan(0);
    const top = await call('GET', '/v1/leaderboard?region=huitong&year=2022&limit=10', { token: reader });
    for (const leader of top.json['items'] as { memberId: string; points: number }[]) {
      const entries = rows.filter((r) => r.memberId === leader.memberId);
      expect(
        entries.reduce((sum, r) => sum + r.points, 0),
        leader.memberId,
      ).toBe(leader.points);
    }
    const { bytes } = await download('/v1/regions/huitong/points-ledger?year=2022&format=csv');
    const records = csvRows(bytes);
    expect(records[0]).toContain('累计积分');
    expect(records.length - 1).toBe(rows.length);
  });
});

describe('meeting cadence', () => {
  it('names the quarters each committee held no joint meeting in (huitong 2022: the first)', async () => {
    const r = await call('GET', '/v1/regions/huitong/meeting-cadence?from=2022-01-01&to=2022-12-31', {
      token: reader,
    });
    expect(r.status).toBe(200);
    expect(r.json['cadence']).toBe('quarterly');
    const committees = r.json['committees'] as {
      committeeId: string;
      missed: string[];
      due: number;
      met: number;
    }[];
    expect(committees).toHaveLength(4);
    // Community meetings monthly from April, the town's in April, July, October and December.
    for (const c of committees)
      expect(c, c.committeeId).toMatchObject({ missed: ['2022-Q1'], due: 4, met: 3 });
    expect(r.json['missed']).toBe(4);
    expect(
      (r.json['byPeriod'] as { period: string; missed: number }[]).map((p) => [p.period, p.missed]),
    ).toEqual([
      ['2022-Q1', 4],
      ['2022-Q2', 0],
      ['2022-Q3', 0],
      ['2022-Q4', 0],
    ]);
    const bad = await call('GET', '/v1/regions/huitong/meeting-cadence?from=2022-12-31&to=2022-01-01', {
      token: reader,
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json['errors'])).toContain('query.from');
  });
});
