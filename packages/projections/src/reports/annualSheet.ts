import type { PlainDate } from '@cogov/domain';
import type { Entity } from '../lookups/projection.ts';
import type { LookupQueries } from '../lookups/queries.ts';
import type { MetricName } from '../statistics/metrics.ts';
import type { StatisticsQueries } from '../statistics/queries.ts';
import { regionTree, type RegionNode } from './regionTree.ts';
import type { Column, Grid, Table } from './table.ts';

/**
 * The national party statistics annual report, sheet 社区党建情况 (community party building), as far
 * as cogov's records fill it: one row per community, a subtotal row per street (town) and above,
 * each row's figures for the calendar year (flows) or on 31 December (levels).
 *
 * The sheet's own columns come first (`source: 'national'`); cogov adds the figures of the same
 * system that organisation departments report beside it (`source: 'cogov'`). Columns of the sheet
 * cogov cannot fill are listed in `notFilled`, with the reason.
 */
export interface AnnualSheet extends Table<SheetRow> {
  readonly regionId: string;
  readonly year: number;
  readonly from: PlainDate;
  /** Levels are read on this day; flows are summed over [from, asOf]. */
  readonly asOf: PlainDate;
  /** As the records stood at this instant, or null: now. */
  readonly knownAt: string | null;
  readonly notFilled: readonly { readonly zh: string; readonly en: string; readonly why: string }[];
}

export interface SheetRow {
  readonly regionId: string;
  readonly name: string;
  readonly level: string;
  readonly parentId: string | null;
  /** 0 for the region asked, 1 for its children… */
  readonly depth: number;
  /** `community`: a community's own row; `subtotal`: a street, county or city, its whole subtree. */
  readonly kind: 'community' | 'subtotal';
  readonly values: Readonly<Record<SheetColumnKey, number | null>>;
}

type Reader = (metric: MetricName, scope: string, facet?: string) => number;

interface SheetColumn extends Column {
  readonly key: SheetColumnKey;
  readonly source: 'national' | 'cogov';
  /** A community's value; null: not a figure for a community row. */
  readonly community: (level: Reader, flow: Reader, scope: string) => number | null;
  /** A subtotal: 'sum' adds its rows' values; otherwise its own figure over the subtree. */
  readonly subtotal: 'sum' | ((level: Reader, flow: Reader, scope: string, node: RegionNode) => number);
}

const atLeastOne = (n: number): number => (n > 0 ? 1 : 0);
const STREET_LEVELS = new Set(['subdistrict', 'town']);

const COLUMNS = [
  {
    key: 'communities',
    zh: '社区数',
    en: 'Communities',
    source: 'national',
    description: 'Communities defined and not retired on 31 December.',
    community: () => 1,
    subtotal: 'sum',
  },
  {
    key: 'communitiesWithBigPartyCommittee',
    zh: '建立社区“大党委”的社区数',
    en: 'Communities with a big party committee',
    source: 'national',
    description: 'Communities with a community party committee (大党委) on 31 December.',
    community: (l, _f, s) => atLeastOne(l('committees.count', s, 'kind=community-party-committee')),
    subtotal: 'sum',
  },
  {
    key: 'subdistrictsWithBigWorkingCommittee',
    zh: '建立“大工委”的街道（乡镇）数',
    en: 'Streets (towns) with a big working committee',
    source: 'national',
    description:
      'Streets and towns with a big working committee (大工委) on 31 December; a street’s own row says 1 or 0.',
    community: () => null,
    subtotal: (l, _f, s, node) =>
      STREET_LEVELS.has(node.level)
        ? atLeastOne(l('committees.count', s, 'kind=subdistrict-working-committee'))
        : node.children.length === 0
          ? 0
          : Number.NaN, // summed from the streets below (see sheetRows)
  },
  {
    key: 'communitiesWhereInServiceMembersReport',
    zh: '在职党员到社区报到的社区数',
    en: 'Communities where in-service members report',
    source: 'national',
    description: 'Communities with at least one in-service party member registered to report on 31 December.',
    community: (l, _f, s) => atLeastOne(l('communities.withReportingMembers', s)),
    subtotal: 'sum',
  },
  {
    key: 'inServiceMembersReported',
    zh: '到社区报到的在职党员数',
    en: 'In-service members reporting to communities',
    source: 'national',
    description: 'In-service party members registered to report to a community on 31 December (双报到).',
    community: (l, _f, s) => l('members.reporting', s),
    subtotal: (l, _f, s) => l('members.reporting', s),
  },
  {
    key: 'partTimeMembersSitting',
    zh: '兼职委员数',
    en: 'Part-time members sitting',
    source: 'cogov',
    description:
      'Part-time members sitting on 31 December. A street’s row counts its whole subtree, its big working committee included.',
    community: (l, _f, s) => l('partTime.sitting', s),
    subtotal: (l, _f, s) => l('partTime.sitting', s),
  },
  {
    key: 'partTimeMembersAppointed',
    zh: '本年选聘兼职委员数',
    en: 'Part-time members appointed in the year',
    source: 'cogov',
    description: 'Appointments (选聘) effective in the year.',
    community: (_l, f, s) => f('partTime.appointed', s),
    subtotal: (_l, f, s) => f('partTime.appointed', s),
  },
  {
    key: 'jointMeetingsHeld',
    zh: '召开联席会议次数',
    en: 'Joint meetings held',
    source: 'cogov',
    description: 'Joint meetings (联席会议) held in the year.',
    community: (_l, f, s) => f('meetings.held', s),
    subtotal: (_l, f, s) => f('meetings.held', s),
  },
  {
    key: 'partTimeAttendances',
    zh: '兼职委员参会人次',
    en: 'Part-time members’ attendances',
    source: 'cogov',
    description: 'Attendances of part-time members at joint meetings in the year.',
    community: (_l, f, s) => f('meetings.attendances', s, 'role=part-time'),
    subtotal: (_l, f, s) => f('meetings.attendances', s, 'role=part-time'),
  },
  {
    key: 'unitsPaired',
    zh: '结对共建单位数',
    en: 'Units paired',
    source: 'cogov',
    description: 'Units paired for co-construction (结对共建) on 31 December.',
    community: (l, _f, s) => l('units.paired', s),
    subtotal: (l, _f, s) => l('units.paired', s),
  },
  {
    key: 'issuesRegistered',
    zh: '收集问题数',
    en: 'Issues registered',
    source: 'cogov',
    description: 'Issues entered in the problem ledger in the year.',
    community: (_l, f, s) => f('issues.registered', s),
    subtotal: (_l, f, s) => f('issues.registered', s),
  },
  {
    key: 'issuesResolved',
    zh: '解决问题数',
    en: 'Issues resolved',
    source: 'cogov',
    description: 'Issues resolved in the year.',
    community: (_l, f, s) => f('issues.resolved', s),
    subtotal: (_l, f, s) => f('issues.resolved', s),
  },
  {
    key: 'coConstructionActivities',
    zh: '开展共建活动次数',
    en: 'Co-construction activities held',
    source: 'cogov',
    description: 'Co-construction activities (共建活动) held in the year.',
    community: (_l, f, s) => f('activities.held', s, 'coConstruction=true'),
    subtotal: (_l, f, s) => f('activities.held', s, 'coConstruction=true'),
  },
  {
    key: 'projectsCompleted',
    zh: '完成服务项目数',
    en: 'Service projects completed',
    source: 'cogov',
    description: 'Service projects completed in the year.',
    community: (_l, f, s) => f('projects.completed', s),
    subtotal: (_l, f, s) => f('projects.completed', s),
  },
  {
    key: 'wishesFulfilled',
    zh: '实现微心愿数',
    en: 'Micro-wishes fulfilled',
    source: 'cogov',
    description: 'Micro-wishes (微心愿) fulfilled in the year.',
    community: (_l, f, s) => f('wishes.fulfilled', s),
    subtotal: (_l, f, s) => f('wishes.fulfilled', s),
  },
] as const satisfies readonly (Omit<SheetColumn, 'key'> & { key: string })[];

export type SheetColumnKey = (typeof COLUMNS)[number]['key'];

/** The sheet's columns, in order: the national sheet's own, then cogov's. */
export const ANNUAL_SHEET_COLUMNS: readonly (Column & { readonly source: 'national' | 'cogov' })[] =
  COLUMNS.map(({ key, zh, en, source, description }) => ({ key, zh, en, source, description }));

/** Columns of 社区党建情况 that cogov's records cannot fill, and why (docs/reports.md). */
export const NOT_FILLED = [
  {
    zh: '社区党组织数、党员数',
    en: 'Party organisations and party members in communities',
    why: 'Party membership records are kept in the party’s own membership system (全国党员管理信息系统); cogov holds only the members who take part in co-governance.',
  },
  {
    zh: '社区工作者数、专职党务工作者数',
    en: 'Community workers and full-time party workers',
    why: 'Staffing is not recorded in cogov (only officers of committees and grid workers are).',
  },
  {
    zh: '党组织活动场所面积、经费',
    en: 'Floor space and funds of party activity venues',
    why: 'Venues and budgets are not recorded in cogov.',
  },
] as const;

/**
 * Builds the sheet for a region's subtree: rows in tree order (a region, then its children), each
 * community a row of its own, every region above a community a subtotal of its whole subtree.
 */
export const annualSheet = (
  statistics: StatisticsQueries,
  lookups: LookupQueries,
  regionId: string,
  year: number,
): AnnualSheet => {
  const from = `${year}-01-01` as PlainDate;
  const asOf = `${year}-12-31` as PlainDate;
  const level: Reader = (metric, scope, facet) =>
    statistics.levelOn(metric, { scope, ...(facet === undefined ? {} : { facet }) }, asOf);
  const flow: Reader = (metric, scope, facet) =>
    statistics.total(metric, { scope, ...(facet === undefined ? {} : { facet }) }, from, asOf);
  const root = regionTree(
    lookups,
    regionId,
    asOf,
    (entity: Entity) => entity.details['level'] === 'community',
  );
  const rows: SheetRow[] = [];
  const visit = (node: RegionNode, depth: number): Record<SheetColumnKey, number | null> => {
    const scope = `r:${node.id}`;
    const index = rows.length;
    rows.push(undefined as unknown as SheetRow); // its place, before its children
    const children = node.children.map((child) => visit(child, depth + 1));
    const community = node.level === 'community';
    const values = {} as Record<SheetColumnKey, number | null>;
    for (const column of COLUMNS as readonly SheetColumn[]) {
      if (community) {
        values[column.key] = column.community(level, flow, scope);
        continue;
      }
      const own = column.subtotal === 'sum' ? Number.NaN : column.subtotal(level, flow, scope, node);
      values[column.key] = Number.isNaN(own)
        ? children.reduce((sum, child) => sum + (child[column.key] ?? 0), 0)
        : own;
    }
    rows[index] = {
      regionId: node.id,
      name: node.name,
      level: node.level,
      parentId: node.parentId,
      depth,
      kind: community ? 'community' : 'subtotal',
      values,
    };
    return values;
  };
  visit(root, 0);
  return {
    regionId,
    year,
    from,
    asOf,
    knownAt: statistics.knownAt?.toISOString() ?? null,
    columns: ANNUAL_SHEET_COLUMNS,
    rows,
    notFilled: NOT_FILLED,
  };
};

/** The sheet laid out for a spreadsheet, headed in Chinese (the default) or English. */
export const annualSheetGrid = (sheet: AnnualSheet, lang: 'zh' | 'en' = 'zh'): Grid => {
  const zh = lang === 'zh';
  return {
    title: zh
      ? `社区党建情况 ${sheet.year}年（${sheet.rows[0]?.name ?? sheet.regionId}）`
      : `Community party building ${sheet.year} (${sheet.rows[0]?.name ?? sheet.regionId})`,
    sheetName: zh ? '社区党建情况' : 'Community party building',
    columns: [
      { header: zh ? '地区' : 'Region', type: 'text', width: 28 },
      { header: zh ? '地区编码' : 'Region id', type: 'text', width: 18 },
      { header: zh ? '层级' : 'Level', type: 'text', width: 12 },
      ...sheet.columns.map((c) => ({ header: zh ? c.zh : c.en, type: 'number' as const, width: 14 })),
    ],
    rows: sheet.rows.map((row) => [
      row.name,
      row.regionId,
      row.level,
      ...sheet.columns.map((c) => row.values[c.key as SheetColumnKey]),
    ]),
    indent: sheet.rows.map((row) => row.depth),
    bold: sheet.rows.map((row) => row.kind === 'subtotal'),
    notes: [
      zh
        ? `截至 ${sheet.asOf}（存量）；${sheet.from} 至 ${sheet.asOf}（本年）。${sheet.knownAt === null ? '' : `按 ${sheet.knownAt} 时的记录。`}`
        : `Levels on ${sheet.asOf}; flows ${sheet.from} to ${sheet.asOf}.${sheet.knownAt === null ? '' : ` As recorded by ${sheet.knownAt}.`}`,
      ...sheet.notFilled.map((n) => (zh ? `未填：${n.zh}（${n.why}）` : `Not filled: ${n.en} (${n.why})`)),
    ],
  };
};
