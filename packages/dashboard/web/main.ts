import { Api, ApiProblem, Unauthorized, type Me, type Region, type SeriesPoint } from './api.ts';
import { drawChart, resizeCharts, type ChartSpec } from './charts.ts';
import { WORDS, type Lang, type Words } from './i18n.ts';

/*
 * The statistics dashboard: a region and a period, its figures as cards and charts, the region tree
 * to drill down, a committee's roster as of a day; auditors also pick "as recorded at". Everything
 * comes from the public API with the token the user pasted, kept in sessionStorage (this tab only).
 * Text is always set as text (never as HTML): names come from the records.
 */

const TOKEN_KEY = 'cogov.token';
const LANG_KEY = 'cogov.lang';

interface View {
  /** From the token's region (or a root) down to the region shown. */
  path: Region[];
  from: string;
  to: string;
  /** ISO 8601 with offset; only for auditors. */
  knownAt: string | undefined;
  rosterCommittee: string | undefined;
  rosterAsOf: string | undefined;
}

interface Summary {
  partTime: {
    appointed: number;
    sittingAtEnd: number;
    withDutyAtEnd: Record<string, number>;
  };
  meetings: {
    held: number;
    partTimeAttendancesAtCommunityMeetings: number;
    partTimeAttendancesAtSubdistrictMeetings: number;
    attendanceRate: number | null;
  };
  issues: {
    registered: number;
    resolved: number;
    resolutionRate: number | null;
    medianDaysToResolve: number | null;
    p90DaysToResolve: number | null;
  };
  activities: { held: number; coConstruction: number; participants: number; volunteerHours: number };
  projects: {
    needsListed: number;
    agreed: number;
    claimed: number;
    completed: number;
    wishesPosted: number;
    wishesClaimed: number;
    wishesFulfilled: number;
  };
  committees: { upgraded: number };
  knownAt: string | null;
}

const DUTIES = ['policy-advocate', 'community-counsellor', 'project-follower', 'opinion-collector'];

let lang: Lang = sessionStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh';
let words: Words = WORDS[lang];
let api: Api | undefined;
let me: Me | undefined;
let view: View | undefined;
let generation = 0;

const root = document.getElementById('app') as HTMLElement;

/** An element with attributes and children; strings become text nodes. */
const h = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | boolean | undefined> = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] => {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) if (child !== null && child !== undefined) element.append(child);
  return element;
};

const number = (value: number | null, digits = 0): string =>
  value === null
    ? '—'
    : new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: digits }).format(
        value,
      );
const percent = (value: number | null): string =>
  value === null
    ? '—'
    : new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
        style: 'percent',
        maximumFractionDigits: 1,
      }).format(value);
const label = (value: string): string => words.values[value] ?? value;

const setLanguage = (next: Lang) => {
  lang = next;
  words = WORDS[lang];
  sessionStorage.setItem(LANG_KEY, lang);
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = lang === 'zh' ? 'cogov 统计大屏' : 'cogov statistics';
  const skip = document.getElementById('skip');
  if (skip !== null) skip.textContent = words.skip;
};

const header = () =>
  h(
    'header',
    { class: 'top' },
    h('h1', {}, words.title),
    h(
      'div',
      { class: 'top-actions' },
      me === undefined
        ? null
        : h(
            'span',
            { class: 'who', 'data-testid': 'who' },
            `${words.signedInAs}: ${me.name} · ${words.role[me.role] ?? me.role}`,
          ),
      button(
        words.switchLanguage,
        () => {
          setLanguage(lang === 'zh' ? 'en' : 'zh');
          void render();
        },
        {
          'aria-label': words.switchLanguageLabel,
          lang: lang === 'zh' ? 'en' : 'zh-CN',
          'data-testid': 'language',
        },
      ),
      api === undefined
        ? null
        : button(words.signOut, () => {
            sessionStorage.removeItem(TOKEN_KEY);
            api = undefined;
            me = undefined;
            view = undefined;
            void render();
          }),
    ),
  );

const button = (text: string, onClick: () => void, attributes: Record<string, string> = {}) => {
  const b = h('button', { type: 'button', ...attributes }, text);
  b.addEventListener('click', onClick);
  return b;
};

// ---------------------------------------------------------------------------------------------
// Signing in

const signIn = (error?: string) => {
  const input = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'aria-describedby': 'token-help',
  });
  const form = h(
    'form',
    { class: 'sign-in', 'aria-labelledby': 'sign-in-title' },
    h('h2', { id: 'sign-in-title' }, words.signIn),
    h('label', { for: 'token' }, words.tokenLabel),
    input,
    h('p', { id: 'token-help', class: 'help' }, words.tokenHelp),
    h('button', { type: 'submit' }, words.signIn),
    h('p', { role: 'alert', class: 'error', 'data-testid': 'sign-in-error' }, error ?? ''),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (token === '') return;
    sessionStorage.setItem(TOKEN_KEY, token);
    void start();
  });
  root.replaceChildren(header(), h('main', { id: 'main', tabindex: '-1' }, form));
  root.setAttribute('aria-busy', 'false');
  input.focus();
};

/** The most recent year (of the last six) in which the records show anything happening. */
const latestActiveYear = async (client: Api, regionId: string): Promise<number> => {
  const now = new Date().getFullYear();
  for (let year = now; year > now - 6; year--) {
    const s = await client.get<{ summary: Summary }>(`/v1/regions/${encodeURIComponent(regionId)}/summary`, {
      from: `${year}-01-01`,
      to: `${year}-12-31`,
    });
    const { meetings, issues, activities, partTime } = s.summary;
    if (meetings.held + issues.registered + activities.held + partTime.appointed > 0) return year;
  }
  return now;
};

const start = async () => {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token === null) return signIn();
  const client = new Api(token);
  try {
    me = await client.me();
    api = client;
    const params = new URLSearchParams(location.search);
    const tops = await client.regions();
    const wanted = params.get('region');
    const first = tops.find((r) => r.id === wanted) ?? tops[0];
    if (first === undefined) throw new Error('no region');
    const year = Number(params.get('year')) || (await latestActiveYear(client, first.id));
    view = {
      path: [first],
      from: params.get('from') ?? `${year}-01-01`,
      to: params.get('to') ?? `${year}-12-31`,
      knownAt: undefined,
      rosterCommittee: undefined,
      rosterAsOf: undefined,
    };
    await render();
  } catch (error) {
    sessionStorage.removeItem(TOKEN_KEY);
    api = undefined;
    me = undefined;
    signIn(
      error instanceof Unauthorized ? words.badToken : `${words.failed}${String((error as Error).message)}`,
    );
  }
};

// ---------------------------------------------------------------------------------------------
// The dashboard

const card = (key: string, value: string, raw: number | null, note?: string) =>
  h(
    'div',
    { class: 'card', 'data-figure': key },
    h('span', { class: 'card-label', id: `card-${key}` }, words.cards[key] ?? key),
    h(
      'span',
      {
        class: 'card-value',
        'data-value': raw === null ? '' : String(raw),
        'aria-describedby': `card-${key}`,
      },
      value,
    ),
    note === undefined ? null : h('span', { class: 'card-note' }, note),
  );

const section = (id: string, title: string, ...children: Node[]) =>
  h(
    'section',
    { class: 'panel', 'aria-labelledby': `${id}-title`, id },
    h('h2', { id: `${id}-title` }, title),
    ...children,
  );

/** A chart with its data as a table underneath (for screen readers, keyboards and the tests). */
const chart = (key: keyof Words['charts'], spec: ChartSpec): HTMLElement => {
  const title = words.charts[key];
  const canvas = h('div', { class: 'chart', 'data-chart': key });
  const table = h(
    'table',
    { 'data-table': key },
    h('caption', {}, title),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, words.period),
        ...spec.series.map((s) => h('th', { scope: 'col' }, s.name)),
      ),
    ),
    h(
      'tbody',
      {},
      ...spec.categories.map((category, i) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, category),
          ...spec.series.map((s) =>
            h('td', { 'data-value': String(s.values[i] ?? 0) }, number(s.values[i] ?? 0)),
          ),
        ),
      ),
    ),
  );
  const figure = h(
    'figure',
    { class: 'chart-box', 'aria-labelledby': `chart-${key}` },
    h('figcaption', { id: `chart-${key}` }, title),
    canvas,
    h('details', {}, h('summary', {}, words.dataTable), table),
  );
  pendingCharts.push(() => drawChart(canvas, spec, lang === 'zh' ? 'ZH' : 'EN'));
  return figure;
};
let pendingCharts: (() => unknown)[] = [];

const controls = (current: View, auditor: boolean) => {
  const thisYear = new Date().getFullYear();
  const year = h(
    'select',
    { id: 'year', name: 'year' },
    ...Array.from({ length: thisYear - 2009 }, (_, i) => thisYear - i).map((y) =>
      h(
        'option',
        { value: String(y), selected: current.from === `${y}-01-01` && current.to === `${y}-12-31` },
        String(y),
      ),
    ),
  );
  const from = h('input', { id: 'from', name: 'from', type: 'date', value: current.from, required: true });
  const to = h('input', { id: 'to', name: 'to', type: 'date', value: current.to, required: true });
  year.addEventListener('change', () => {
    from.value = `${year.value}-01-01`;
    to.value = `${year.value}-12-31`;
  });
  const knownAt = h('input', {
    id: 'known-at',
    name: 'knownAt',
    type: 'datetime-local',
    value: current.knownAt?.slice(0, 16),
    'aria-describedby': 'known-at-help',
  });
  const form = h(
    'form',
    { class: 'controls', 'aria-label': `${words.year} / ${words.from} / ${words.to}` },
    h('div', { class: 'field' }, h('label', { for: 'year' }, words.year), year),
    h('div', { class: 'field' }, h('label', { for: 'from' }, words.from), from),
    h('div', { class: 'field' }, h('label', { for: 'to' }, words.to), to),
    auditor
      ? h(
          'div',
          { class: 'field' },
          h('label', { for: 'known-at' }, words.knownAt),
          knownAt,
          h('span', { id: 'known-at-help', class: 'help' }, `${words.knownAtHelp} (UTC+8)`),
        )
      : null,
    h('button', { type: 'submit', 'data-testid': 'apply' }, words.apply),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (from.value === '' || to.value === '' || from.value > to.value) {
      to.setCustomValidity(`${words.to} ≥ ${words.from}`);
      to.reportValidity();
      return;
    }
    to.setCustomValidity('');
    current.from = from.value;
    current.to = to.value;
    current.knownAt = auditor && knownAt.value !== '' ? `${knownAt.value}:00+08:00` : undefined;
    void render();
  });
  return form;
};

const breadcrumb = (current: View) =>
  h(
    'nav',
    { class: 'breadcrumb', 'aria-label': words.regionPath },
    h(
      'ol',
      {},
      ...current.path.map((region, i) =>
        h(
          'li',
          {},
          i === current.path.length - 1
            ? h('span', { 'aria-current': 'page', 'data-testid': 'region' }, region.name)
            : button(region.name, () => {
                current.path = current.path.slice(0, i + 1);
                current.rosterCommittee = undefined;
                void render();
              }),
        ),
      ),
    ),
  );

const drillDown = (current: View, children: readonly Region[]) =>
  h(
    'nav',
    { class: 'drill', 'aria-label': words.subRegions },
    h('h2', {}, words.subRegions),
    children.length === 0
      ? h('p', {}, words.noSubRegions)
      : h(
          'ul',
          {},
          ...children.map((child) =>
            h(
              'li',
              {},
              button(
                `${child.name} · ${words.level[child.details.level ?? ''] ?? child.details.level ?? ''}`,
                () => {
                  current.path = [...current.path, child];
                  current.rosterCommittee = undefined;
                  void render();
                },
                { 'data-region': child.id },
              ),
            ),
          ),
        ),
  );

interface Figures {
  summary: Summary;
  committees: number;
  bigWorking: number;
  bigParty: number;
  sittingSubdistrict: number;
  sittingCommunity: number;
  overdue: number;
  missed: number;
  children: Region[];
  meetings: SeriesPoint[];
  attendances: SeriesPoint[];
  registered: SeriesPoint[];
  resolved: SeriesPoint[];
  trades: [string, number][];
  kinds: [string, number][];
  leaders: { name: string; points: number }[];
  cadence: { period: string; missed: number }[];
  committeesList: { id: string; name: string }[];
}

const load = async (client: Api, current: View): Promise<Figures> => {
  const region = current.path[current.path.length - 1] as Region;
  const scope = `r:${region.id}`;
  const { from, to, knownAt } = current;
  const today = new Date().toISOString().slice(0, 10);
  const level = (metric: string, facet?: string) =>
    client.value(metric, scope, { asOf: to, knownAt, ...(facet === undefined ? {} : { facet }) });
  const flow = (metric: string, facet: string) => client.value(metric, scope, { from, to, knownAt, facet });
  const series = (metric: string, granularity: string, facet?: string) =>
    client.series(metric, scope, {
      from,
      to,
      granularity,
      knownAt,
      ...(facet === undefined ? {} : { facet }),
    });
  const listing = await client.get<{ metrics: { name: string; facetValues: Record<string, string[]> }[] }>(
    '/v1/statistics',
  );
  const valuesOf = (metric: string, facet: string) =>
    (listing.metrics.find((m) => m.name === metric)?.facetValues[facet] ?? []).filter((v) => v !== 'unknown');
  const id = encodeURIComponent(region.id);
  const [summary, committees, bigWorking, bigParty, sittingSubdistrict, sittingCommunity] = await Promise.all(
    [
      client
        .get<{ summary: Summary }>(`/v1/regions/${id}/summary`, { from, to, knownAt })
        .then((s) => s.summary),
      level('committees.count'),
      level('committees.count', 'kind=subdistrict-working-committee'),
      level('committees.count', 'kind=community-party-committee'),
      level('partTime.sitting', 'level=subdistrict'),
      level('partTime.sitting', 'level=community'),
    ],
  );
  const [overdue, cadence, children, meetings, attendances, registered, resolved] = await Promise.all([
    client
      .get<{ rows: unknown[] }>(`/v1/regions/${id}/issue-ledger`, {
        status: 'overdue',
        overdueOn: to < today ? to : today,
      })
      .then((l) => l.rows.length),
    client.get<{ missed: number; byPeriod: { period: string; missed: number }[] }>(
      `/v1/regions/${id}/meeting-cadence`,
      { from, to },
    ),
    client.regions(region.id),
    series('meetings.held', 'quarter'),
    series('meetings.attendances', 'quarter', 'role=part-time'),
    series('issues.registered', 'month'),
    series('issues.resolved', 'month'),
  ]);
  const trades = await Promise.all(
    valuesOf('issues.registered', 'trade').map(async (t): Promise<[string, number]> => [
      t,
      await flow('issues.registered', `trade=${t}`),
    ]),
  );
  const kinds = await Promise.all(
    valuesOf('activities.held', 'kind').map(async (k): Promise<[string, number]> => [
      k,
      await flow('activities.held', `kind=${k}`),
    ]),
  );
  const leaders = await client.get<{ items: { name: string; points: number }[] }>('/v1/leaderboard', {
    region: region.id,
    year: Number(to.slice(0, 4)),
    limit: 10,
  });
  const committeesList = await client.get<{ items: { id: string; name: string }[] }>('/v1/committees', {
    region: region.id,
    limit: 100,
  });
  return {
    summary,
    committees,
    bigWorking,
    bigParty,
    sittingSubdistrict,
    sittingCommunity,
    overdue,
    missed: cadence.missed,
    cadence: cadence.byPeriod,
    children,
    meetings,
    attendances,
    registered,
    resolved,
    trades: trades.filter(([, n]) => n > 0),
    kinds: kinds.filter(([, n]) => n > 0),
    leaders: leaders.items,
    committeesList: committeesList.items,
  };
};

const rosterPanel = async (client: Api, current: View, committees: { id: string; name: string }[]) => {
  const select = h(
    'select',
    { id: 'roster-committee' },
    ...committees.map((c) =>
      h('option', { value: c.id, selected: c.id === current.rosterCommittee }, c.name),
    ),
  );
  const asOf = h('input', { id: 'roster-as-of', type: 'date', value: current.rosterAsOf ?? current.to });
  const body = h('div', { class: 'roster-body', 'aria-live': 'polite' });
  const show = async () => {
    current.rosterCommittee = select.value;
    current.rosterAsOf = asOf.value;
    if (select.value === '') return;
    try {
      const roster = await client.get<{
        members: {
          personId: string;
          name?: string;
          kind: string;
          role: string | null;
          since: string;
          duties: string[];
        }[];
        knownAt: string;
      }>(`/v1/committees/${encodeURIComponent(select.value)}/roster`, {
        asOf: asOf.value || undefined,
        knownAt: current.knownAt,
      });
      body.replaceChildren(
        roster.members.length === 0
          ? h('p', {}, words.rosterEmpty)
          : h(
              'table',
              { 'data-table': 'roster' },
              h('caption', {}, `${select.selectedOptions[0]?.textContent ?? ''} · ${asOf.value}`),
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ...[words.name, words.kind, words.since, words.dutiesColumn].map((t) =>
                    h('th', { scope: 'col' }, t),
                  ),
                ),
              ),
              h(
                'tbody',
                {},
                ...roster.members.map((m) =>
                  h(
                    'tr',
                    {},
                    h('th', { scope: 'row' }, m.name ?? m.personId),
                    h(
                      'td',
                      {},
                      m.kind === 'officer'
                        ? `${words.officer}${m.role === null ? '' : ` (${m.role})`}`
                        : words.partTime,
                    ),
                    h('td', {}, m.since),
                    h('td', {}, m.duties.map((d) => words.duties[d] ?? d).join('、')),
                  ),
                ),
              ),
            ),
      );
    } catch (error) {
      body.replaceChildren(h('p', { role: 'alert' }, `${words.failed}${(error as Error).message}`));
    }
  };
  select.addEventListener('change', () => void show());
  asOf.addEventListener('change', () => void show());
  if (current.rosterCommittee === undefined && committees[0] !== undefined)
    current.rosterCommittee = committees[0].id;
  select.value = current.rosterCommittee ?? '';
  await show();
  return section(
    'roster',
    words.roster,
    h(
      'div',
      { class: 'controls' },
      h('div', { class: 'field' }, h('label', { for: 'roster-committee' }, words.committee), select),
      h('div', { class: 'field' }, h('label', { for: 'roster-as-of' }, words.asOf), asOf),
    ),
    body,
  );
};

const render = async (): Promise<void> => {
  const mine = ++generation;
  if (api === undefined || view === undefined) return start();
  const client = api;
  const current = view;
  const auditor = me?.permissions.includes('audit') === true;
  root.setAttribute('aria-busy', 'true');
  const status = h('p', { class: 'status', role: 'status' }, words.loading);
  root.replaceChildren(
    header(),
    h('main', { id: 'main', tabindex: '-1' }, breadcrumb(current), controls(current, auditor), status),
  );
  let figures: Figures;
  try {
    figures = await load(client, current);
  } catch (error) {
    if (error instanceof Unauthorized) {
      sessionStorage.removeItem(TOKEN_KEY);
      api = undefined;
      return signIn(words.badToken);
    }
    status.textContent = `${words.failed}${error instanceof ApiProblem ? error.message : String(error)}`;
    status.setAttribute('role', 'alert');
    root.setAttribute('aria-busy', 'false');
    return;
  }
  if (mine !== generation) return; // a newer view was asked for meanwhile
  const f = figures;
  const s = f.summary;
  pendingCharts = [];
  const month = (points: SeriesPoint[]) =>
    points.map((p) =>
      new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
        month: 'short',
        ...(points.length > 12 ? { year: '2-digit' } : {}),
        timeZone: 'UTC',
      }).format(new Date(`${p.period}-01T00:00:00Z`)),
    );
  const quarter = (points: SeriesPoint[]) =>
    points.map((p) => p.period.replace('-Q', lang === 'zh' ? ' 第' : ' Q') + (lang === 'zh' ? '季度' : ''));
  const dashboard = [
    section(
      'organisations',
      words.sections.organisations,
      h(
        'div',
        { class: 'cards' },
        card('committees', number(f.committees), f.committees),
        card('bigWorkingCommittees', number(f.bigWorking), f.bigWorking),
        card('bigPartyCommittees', number(f.bigParty), f.bigParty),
        card('upgraded', number(s.committees.upgraded), s.committees.upgraded),
        card('partTimeSitting', number(s.partTime.sittingAtEnd), s.partTime.sittingAtEnd),
        card('partTimeSubdistrict', number(f.sittingSubdistrict), f.sittingSubdistrict),
        card('partTimeCommunity', number(f.sittingCommunity), f.sittingCommunity),
        card('partTimeAppointed', number(s.partTime.appointed), s.partTime.appointed),
      ),
      h(
        'div',
        { class: 'charts' },
        chart('partTimeByLevel', {
          kind: 'pie',
          categories: [words.series['subdistrict'] ?? '', words.series['community'] ?? ''],
          series: [
            { name: words.series['members'] ?? '', values: [f.sittingSubdistrict, f.sittingCommunity] },
          ],
        }),
        chart('fourRoles', {
          kind: 'bar',
          categories: DUTIES.map((d) => words.duties[d] ?? d),
          series: [
            {
              name: words.series['members'] ?? '',
              values: [
                s.partTime.withDutyAtEnd['policyAdvocate'] ?? 0,
                s.partTime.withDutyAtEnd['communityCounsellor'] ?? 0,
                s.partTime.withDutyAtEnd['projectFollower'] ?? 0,
                s.partTime.withDutyAtEnd['opinionCollector'] ?? 0,
              ],
            },
          ],
        }),
      ),
    ),
    section(
      'meetings',
      words.sections.meetings,
      h(
        'div',
        { class: 'cards' },
        card('meetingsHeld', number(s.meetings.held), s.meetings.held),
        card(
          'attendancesCommunity',
          number(s.meetings.partTimeAttendancesAtCommunityMeetings),
          s.meetings.partTimeAttendancesAtCommunityMeetings,
        ),
        card(
          'attendancesSubdistrict',
          number(s.meetings.partTimeAttendancesAtSubdistrictMeetings),
          s.meetings.partTimeAttendancesAtSubdistrictMeetings,
        ),
        card('attendanceRate', percent(s.meetings.attendanceRate), s.meetings.attendanceRate),
        card('quartersMissed', number(f.missed), f.missed),
      ),
      h(
        'div',
        { class: 'charts' },
        chart('meetingsByQuarter', {
          kind: 'bar-line',
          categories: quarter(f.meetings),
          series: [
            { name: words.series['meetings'] ?? '', values: f.meetings.map((p) => p.value) },
            { name: words.series['attendances'] ?? '', values: f.attendances.map((p) => p.value) },
          ],
        }),
        chart('cadence', {
          kind: 'bar',
          categories: f.cadence.map((p) => p.period),
          series: [{ name: words.series['committees'] ?? '', values: f.cadence.map((p) => p.missed) }],
        }),
      ),
    ),
    section(
      'issues',
      words.sections.issues,
      h(
        'div',
        { class: 'cards' },
        card('issuesRegistered', number(s.issues.registered), s.issues.registered),
        card('issuesResolved', number(s.issues.resolved), s.issues.resolved),
        card('issuesOverdue', number(f.overdue), f.overdue),
        card('resolutionRate', percent(s.issues.resolutionRate), s.issues.resolutionRate),
        card('medianDays', number(s.issues.medianDaysToResolve), s.issues.medianDaysToResolve),
        card('p90Days', number(s.issues.p90DaysToResolve), s.issues.p90DaysToResolve),
      ),
      h(
        'div',
        { class: 'charts' },
        chart('issuesByMonth', {
          kind: 'line',
          categories: month(f.registered),
          series: [
            { name: words.series['registered'] ?? '', values: f.registered.map((p) => p.value) },
            { name: words.series['resolved'] ?? '', values: f.resolved.map((p) => p.value) },
          ],
        }),
        chart('issuesByTrade', {
          kind: 'bar-horizontal',
          categories: f.trades.map(([t]) => label(t)),
          series: [{ name: words.series['issues'] ?? '', values: f.trades.map(([, n]) => n) }],
        }),
      ),
    ),
    section(
      'activities',
      words.sections.activities,
      h(
        'div',
        { class: 'cards' },
        card('activitiesHeld', number(s.activities.held), s.activities.held),
        card('coConstruction', number(s.activities.coConstruction), s.activities.coConstruction),
        card('participants', number(s.activities.participants), s.activities.participants),
        card('volunteerHours', number(s.activities.volunteerHours, 1), s.activities.volunteerHours),
      ),
      h(
        'div',
        { class: 'charts' },
        chart('activitiesByKind', {
          kind: 'bar-horizontal',
          categories: f.kinds.map(([k]) => label(k)),
          series: [{ name: words.series['activities'] ?? '', values: f.kinds.map(([, n]) => n) }],
        }),
        chart('leaderboard', {
          kind: 'bar-horizontal',
          categories: f.leaders.map((l) => l.name),
          series: [{ name: words.series['points'] ?? '', values: f.leaders.map((l) => l.points) }],
        }),
      ),
    ),
    section(
      'projects',
      words.sections.projects,
      h(
        'div',
        { class: 'cards' },
        card('needsListed', number(s.projects.needsListed), s.projects.needsListed),
        card('projectsCompleted', number(s.projects.completed), s.projects.completed),
        card('wishesPosted', number(s.projects.wishesPosted), s.projects.wishesPosted),
        card('wishesFulfilled', number(s.projects.wishesFulfilled), s.projects.wishesFulfilled),
      ),
      h(
        'div',
        { class: 'charts' },
        chart('projects', {
          kind: 'bar',
          categories: [
            'needsListed',
            'agreed',
            'claimed',
            'completed',
            'wishesPosted',
            'wishesClaimed',
            'wishesFulfilled',
          ].map((k) => words.series[k] ?? k),
          series: [
            {
              name: words.value,
              values: [
                s.projects.needsListed,
                s.projects.agreed,
                s.projects.claimed,
                s.projects.completed,
                s.projects.wishesPosted,
                s.projects.wishesClaimed,
                s.projects.wishesFulfilled,
              ],
            },
          ],
        }),
      ),
    ),
  ];
  const roster = await rosterPanel(client, current, f.committeesList);
  if (mine !== generation) return;
  const knownAt = h(
    'p',
    { class: 'known-at', 'data-testid': 'known-at' },
    `${words.knownAtShown}${s.knownAt === null ? words.now : s.knownAt}`,
  );
  status.remove();
  const main = root.querySelector('main') as HTMLElement;
  main.append(knownAt, drillDown(current, f.children), ...dashboard, roster, h('footer', {}, words.footer));
  for (const draw of pendingCharts) draw();
  pendingCharts = [];
  root.setAttribute('aria-busy', 'false');
  root.setAttribute(
    'data-ready',
    `${current.path.map((r) => r.id).join('/')}|${current.from}|${current.to}|${lang}`,
  );
};

let resizeTimer: number | undefined;
window.addEventListener('resize', () => {
  window.clearTimeout(resizeTimer);
  resizeTimer = window.setTimeout(() => resizeCharts(root), 150);
});

setLanguage(lang);
void start();
