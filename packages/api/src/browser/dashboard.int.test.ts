import { tokenOf } from '@cogov/testkit/http';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';

/*
 * The dashboard in a real browser: Debian's chromium (`.ci/run` installs it when missing) driven by
 * playwright-core, over a real server on loopback serving the huitong demo.
 */

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
/** Where the screenshots go: SCREENSHOTS_DIR, or .tmp/screenshots under the workspace. */
const SCREENSHOTS = resolve(
  process.env['SCREENSHOTS_DIR'] ?? join(import.meta.dirname, '..', '..', '..', '..', '.tmp', 'screenshots'),
);

let server: TestServer;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `No browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium fonts-wqy-microhei) or set CHROMIUM_PATH.`,
    );
  mkdirSync(SCREENSHOTS, { recursive: true });
  server = await startTestServer({ listen: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Root (CI containers) cannot use chromium's sandbox.
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const api = async (path: string, role = 'reader'): Promise<Record<string, unknown>> => {
  const response = await fetch(`${server.url ?? ''}${path}`, {
    headers: { authorization: `Bearer ${tokenOf(role, '*')}` },
  });
  expect(response.status, path).toBe(200);
  return (await response.json()) as Record<string, unknown>;
};

/** A page that records every console error, uncaught error and refused request. */
const open = async (viewport = { width: 1600, height: 1000 }): Promise<Page> => {
  const page = await browser.newPage({ viewport, locale: 'zh-CN' });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
  page.on('requestfailed', (request) =>
    problems.push(`request: ${request.url()} ${request.failure()?.errorText ?? ''}`),
  );
  return page;
};

const signIn = async (page: Page, role: string, query = '') => {
  await page.goto(`${server.url ?? ''}/${query}`);
  await page.getByLabel(/访问令牌|Access token/).fill(tokenOf(role, '*'));
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
};

/** Waits until the page shows region path / period / language. */
const ready = (page: Page, state: string) =>
  page.waitForSelector(`#app[data-ready="${state}"]`, { timeout: 60_000 });

/**
 * The text an element shows once it shows any: what a page writes after a request (an error, a
 * name) is read only after it is written, never racing the request.
 */
const shownText = async (page: Page, testId: string): Promise<string> => {
  const handle = await page.waitForFunction(
    (id) => {
      const text = document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? '';
      return text === '' ? false : text;
    },
    testId,
    { timeout: 30_000 },
  );
  return (await handle.jsonValue()) as string;
};

const cards = (page: Page) =>
  page.$$eval('[data-figure]', (elements) =>
    Object.fromEntries(
      elements.map((e) => [
        e.getAttribute('data-figure') ?? '',
        e.querySelector('.card-value')?.getAttribute('data-value') ?? '',
      ]),
    ),
  );

const tableValues = (page: Page, key: string) =>
  page.$$eval(`table[data-table="${key}"] tbody tr`, (rows) =>
    rows.map((row) => [...row.querySelectorAll('td')].map((td) => Number(td.getAttribute('data-value')))),
  );

describe('the dashboard in a real browser', () => {
  it('shows the huitong figures the API gives, in Chinese and English, drilling down to a community', async () => {
    const page = await open();
    await signIn(page, 'reader');
    // Without a year asked, it shows the latest year with records: 2022 for the demo.
    await ready(page, 'huitong|2022-01-01|2022-12-31|zh');
    expect(page.url()).toMatch(/\/dashboard\/$/);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await expect(page.locator('h1').textContent()).resolves.toBe('社区共治统计大屏');

    const summary = (await api('/v1/regions/huitong/summary?from=2022-01-01&to=2022-12-31'))['summary'] as {
      partTime: Record<string, number>;
      meetings: Record<string, number>;
      issues: Record<string, number | null>;
      activities: Record<string, number>;
      projects: Record<string, number>;
      committees: Record<string, number>;
    };
    const shown = await cards(page);
    const level = async (metric: string, facet?: string) =>
      (
        await api(
          `/v1/statistics/${metric}?scope=r:huitong&asOf=2022-12-31${facet === undefined ? '' : `&facet=${encodeURIComponent(facet)}`}`,
        )
      )['value'];
    const expected: Record<string, unknown> = {
      committees: await level('committees.count'),
      bigWorkingCommittees: await level('committees.count', 'kind=subdistrict-working-committee'),
      bigPartyCommittees: await level('committees.count', 'kind=community-party-committee'),
      upgraded: summary.committees['upgraded'],
      partTimeSitting: summary.partTime['sittingAtEnd'],
      partTimeSubdistrict: await level('partTime.sitting', 'level=subdistrict'),
      partTimeCommunity: await level('partTime.sitting', 'level=community'),
      partTimeAppointed: summary.partTime['appointed'],
      meetingsHeld: summary.meetings['held'],
      attendancesCommunity: summary.meetings['partTimeAttendancesAtCommunityMeetings'],
      attendancesSubdistrict: summary.meetings['partTimeAttendancesAtSubdistrictMeetings'],
      attendanceRate: summary.meetings['attendanceRate'],
      issuesRegistered: summary.issues['registered'],
      issuesResolved: summary.issues['resolved'],
      resolutionRate: summary.issues['resolutionRate'],
      medianDays: summary.issues['medianDaysToResolve'],
      p90Days: summary.issues['p90DaysToResolve'],
      activitiesHeld: summary.activities['held'],
      coConstruction: summary.activities['coConstruction'],
      participants: summary.activities['participants'],
      volunteerHours: summary.activities['volunteerHours'],
      needsListed: summary.projects['needsListed'],
      projectsCompleted: summary.projects['completed'],
      wishesPosted: summary.projects['wishesPosted'],
      wishesFulfilled: summary.projects['wishesFulfilled'],
    };
    for (const [key, value] of Object.entries(expected))
      expect(shown[key], key).toBe(value === null ? '' : String(value as number));
    // The seeds' figures, where a user looks: 189 attendances, 3 upgraded, 67 resolved.
    expect(shown).toMatchObject({ attendancesCommunity: '189', upgraded: '3', issuesResolved: '67' });
    const overdue = (await api('/v1/regions/huitong/issue-ledger?status=overdue&overdueOn=2022-12-31'))[
      'rows'
    ];
    expect(shown['issuesOverdue']).toBe(String((overdue as unknown[]).length));
    const cadence = await api('/v1/regions/huitong/meeting-cadence?from=2022-01-01&to=2022-12-31');
    expect(shown['quartersMissed']).toBe(String(cadence['missed']));

    // The charts' data tables hold the API's series.
    const series = async (metric: string, granularity: string, facet?: string) =>
      (
        (
          await api(
            `/v1/statistics/${metric}/series?scope=r:huitong&from=2022-01-01&to=2022-12-31&granularity=${granularity}${facet === undefined ? '' : `&facet=${encodeURIComponent(facet)}`}`,
          )
        )['points'] as { value: number }[]
      ).map((p) => p.value);
    const meetings = await series('meetings.held', 'quarter');
    const attendances = await series('meetings.attendances', 'quarter', 'role=part-time');
    expect(await tableValues(page, 'meetingsByQuarter')).toEqual(meetings.map((m, i) => [m, attendances[i]]));
    const registered = await series('issues.registered', 'month');
    const resolved = await series('issues.resolved', 'month');
    expect(await tableValues(page, 'issuesByMonth')).toEqual(registered.map((r, i) => [r, resolved[i]]));
    const leaders = (await api('/v1/leaderboard?region=huitong&year=2022&limit=10'))['items'] as {
      points: number;
    }[];
    expect(await tableValues(page, 'leaderboard')).toEqual(leaders.map((l) => [l.points]));
    // Every chart drew (SVG) with its accessible description.
    const charts = await page.$$eval('.chart', (elements) =>
      elements.map((e) => ({
        svg: e.querySelector('svg') !== null,
        label: e.getAttribute('aria-label') ?? '',
      })),
    );
    expect(charts.length).toBeGreaterThanOrEqual(9);
    for (const c of charts) expect(c.svg && c.label.length > 0, JSON.stringify(c)).toBe(true);
    // The roster panel: the first committee, with names and the four roles.
    const roster = await page.$$eval('table[data-table="roster"] tbody tr', (rows) => rows.length);
    expect(roster).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-zh.png'), fullPage: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-zh-top.png') });

    // English.
    await page.getByTestId('language').click();
    await ready(page, 'huitong|2022-01-01|2022-12-31|en');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await expect(page.locator('h1').textContent()).resolves.toBe('Community co-governance statistics');
    expect(await cards(page)).toEqual(shown);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-en.png'), fullPage: true });
    await page.getByTestId('language').click();
    await ready(page, 'huitong|2022-01-01|2022-12-31|zh');

    // Drill down: the county to its town to a community, each with its own figures.
    for (const [path, regionId] of [
      ['huitong/lincheng', 'lincheng'],
      ['huitong/lincheng/dongmen', 'dongmen'],
    ] as const) {
      await page.locator(`button[data-region="${regionId}"]`).click();
      await ready(page, `${path}|2022-01-01|2022-12-31|zh`);
      const own = (await api(`/v1/regions/${regionId}/summary?from=2022-01-01&to=2022-12-31`))['summary'] as {
        issues: { resolved: number };
        meetings: { held: number };
      };
      const here = await cards(page);
      expect(here['issuesResolved'], regionId).toBe(String(own.issues.resolved));
      expect(here['meetingsHeld'], regionId).toBe(String(own.meetings.held));
    }
    expect(await shownText(page, 'region')).toBe('东门社区');
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-dongmen-zh.png'), fullPage: true });
    // And back up by the breadcrumb.
    await page
      .getByRole('navigation', { name: '地区层级' })
      .getByRole('button', { name: /会同|huitong/ })
      .click();
    await ready(page, 'huitong|2022-01-01|2022-12-31|zh');
    await page.close();
    expect(problems).toEqual([]);
  }, 180_000);

  it('gives auditors "as recorded at": the town’s part-time members as known on 1 October 2022', async () => {
    const reader = await open();
    await signIn(reader, 'reader', '?region=huitong&year=2022');
    await ready(reader, 'huitong|2022-01-01|2022-12-31|zh');
    expect(await reader.locator('#known-at').count()).toBe(0);
    await reader.close();

    const page = await open();
    await signIn(page, 'auditor', '?region=huitong&year=2022');
    await ready(page, 'huitong|2022-01-01|2022-12-31|zh');
    expect((await cards(page))['partTimeSubdistrict']).toBe('16');
    await page.getByLabel('按此时记录（审计）').fill('2022-10-01T00:00');
    await page.getByTestId('apply').click();
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="known-at"]')?.textContent?.includes('2022-09-30'),
    );
    await ready(page, 'huitong|2022-01-01|2022-12-31|zh');
    // 17 then (the withdrawal effective 1 September was recorded on 15 November), 16 now.
    expect((await cards(page))['partTimeSubdistrict']).toBe('17');
    await page.close();
    expect(problems).toEqual([]);
  }, 120_000);

  it('is usable from the keyboard, labels every control, and keeps a wrong token out', async () => {
    const page = await open({ width: 2560, height: 1440 });
    await page.goto(`${server.url ?? ''}/dashboard/`);
    // The token field has the focus; from the top of the page, Tab reaches the skip link first.
    await page.waitForSelector('#token');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('token');
    await page.getByTestId('language').focus();
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('skip');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.getByLabel(/访问令牌/).focus();
    // The refusal is slowed down, as on a loaded machine: what the page shows is read once it shows it.
    await page.route('**/v1/me', async (route) => {
      await new Promise((done) => setTimeout(done, 500));
      await route.continue();
    });
    await page.getByLabel(/访问令牌/).fill('not-a-token');
    await page.keyboard.press('Enter');
    expect(await shownText(page, 'sign-in-error')).toBe('令牌无效或已过期。');
    expect(await page.evaluate(() => sessionStorage.getItem('cogov.token'))).toBeNull();
    // The browser reports the refused request itself; that one is expected.
    await expect
      .poll(() => problems.findIndex((p) => p.includes('401 (Unauthorized)')), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(0);
    const refused = problems.findIndex((p) => p.includes('401 (Unauthorized)'));
    problems.splice(refused, 1);
    await page.unroute('**/v1/me');
    await page.getByLabel(/访问令牌/).fill(tokenOf('reader', '*'));
    await page.keyboard.press('Enter');
    await ready(page, 'huitong|2022-01-01|2022-12-31|zh');
    // Every input and select has a label; every button has a name.
    const unlabelled = await page.$$eval('input, select, button', (elements) =>
      elements
        .filter((e) => {
          const labelled =
            (e.id !== '' && document.querySelector(`label[for="${e.id}"]`) !== null) ||
            e.getAttribute('aria-label') !== null ||
            (e.tagName === 'BUTTON' && (e.textContent ?? '').trim() !== '');
          return !labelled;
        })
        .map((e) => e.outerHTML),
    );
    expect(unlabelled).toEqual([]);
    // A wall screen: the page fits its width (no sideways scrolling).
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-wall-zh.png') });
    await page.close();
    expect(problems).toEqual([]);
    console.log(`dashboard screenshots: ${SCREENSHOTS}`);
  }, 120_000);
});
