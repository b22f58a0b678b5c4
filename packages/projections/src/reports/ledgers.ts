import type { PlainDate } from '@cogov/domain';
import type { Entity } from '../lookups/projection.ts';
import type { LookupQueries } from '../lookups/queries.ts';
import type { Roster } from '../membership/queries.ts';
import type { Column, Grid, Table } from './table.ts';

type Lang = 'zh' | 'en';
const header = (column: Column, lang: Lang): string => (lang === 'zh' ? column.zh : column.en);

// ---------------------------------------------------------------------------------------------
// The problem ledger (问题台账)

export type IssueLedgerStatus = 'all' | 'open' | 'overdue' | 'resolved' | 'withdrawn';

export interface IssueLedgerRow {
  readonly issueId: string;
  readonly title: string;
  readonly regionId: string;
  readonly regionName: string;
  readonly committeeId: string | null;
  readonly trade: string | null;
  readonly registeredOn: PlainDate | null;
  readonly assigneeKind: 'member' | 'unit' | null;
  readonly assigneeId: string | null;
  readonly assigneeName: string | null;
  readonly dueOn: PlainDate | null;
  /** open, overdue (open and due before the day asked), resolved or withdrawn. */
  readonly status: string;
  readonly resolvedOn: PlainDate | null;
  readonly daysToResolve: number | null;
  readonly onTime: boolean | null;
}

export const ISSUE_LEDGER_COLUMNS: readonly Column[] = [
  { key: 'issueId', zh: '编号', en: 'Issue', description: 'The issue’s id.' },
  { key: 'title', zh: '问题', en: 'Title', description: 'What was raised.' },
  { key: 'regionName', zh: '地区', en: 'Region', description: 'Where.' },
  { key: 'trade', zh: '类别', en: 'Trade', description: 'Its trade (category).' },
  { key: 'registeredOn', zh: '登记日期', en: 'Registered', description: 'When it was entered.' },
  { key: 'assigneeName', zh: '承办人/单位', en: 'Assignee', description: 'Member or unit assigned.' },
  { key: 'dueOn', zh: '办结时限', en: 'Due', description: 'When it is due.' },
  { key: 'status', zh: '状态', en: 'Status', description: 'open, overdue, resolved, withdrawn.' },
  { key: 'resolvedOn', zh: '办结日期', en: 'Resolved', description: 'When it was resolved.' },
  { key: 'daysToResolve', zh: '办理天数', en: 'Days to resolve', description: 'Days open.' },
  { key: 'onTime', zh: '按时办结', en: 'On time', description: 'Resolved by its due date.' },
];

const STATUS_ZH: Readonly<Record<string, string>> = {
  open: '办理中',
  overdue: '已超期',
  resolved: '已办结',
  withdrawn: '已撤回',
};

/**
 * The problem ledger of a region's subtree: every issue (or those open, overdue, resolved or
 * withdrawn), oldest registration first, with its trade, assignee, due date and resolution.
 * `today` decides what is overdue; `from`/`to` keep issues registered in that period.
 */
export const issueLedger = (
  lookups: LookupQueries,
  regionId: string,
  options: {
    readonly status: IssueLedgerStatus;
    readonly today: PlainDate;
    readonly from?: PlainDate;
    readonly to?: PlainDate;
  },
): Table<IssueLedgerRow> => {
  const names = new Map<string, string>();
  const nameOf = (kind: 'member' | 'unit' | 'region', id: string): string => {
    const key = `${kind}:${id}`;
    let name = names.get(key);
    if (name === undefined) {
      name = lookups.entity(kind, id)?.name ?? id;
      names.set(key, name);
    }
    return name;
  };
  const rows: IssueLedgerRow[] = [];
  for (const issue of lookups.all('issue', regionId)) {
    const row = issueRow(issue, options.today, nameOf);
    if (
      options.status === 'open'
        ? row.status !== 'open' && row.status !== 'overdue'
        : options.status !== 'all' && row.status !== options.status
    )
      continue;
    if (options.from !== undefined && (row.registeredOn === null || row.registeredOn < options.from))
      continue;
    if (options.to !== undefined && (row.registeredOn === null || row.registeredOn > options.to)) continue;
    rows.push(row);
  }
  rows.sort((a, b) =>
    (a.registeredOn ?? '') === (b.registeredOn ?? '')
      ? a.issueId.localeCompare(b.issueId)
      : (a.registeredOn ?? '') < (b.registeredOn ?? '')
        ? -1
        : 1,
  );
  return { columns: ISSUE_LEDGER_COLUMNS, rows };
};

const issueRow = (
  issue: Entity,
  today: PlainDate,
  nameOf: (kind: 'member' | 'unit' | 'region', id: string) => string,
): IssueLedgerRow => {
  const d = issue.details;
  const assignee = d['assignee'] as
    { kind: 'member'; personId: string } | { kind: 'unit'; unitId: string } | null;
  const assigneeId =
    assignee === null || assignee === undefined
      ? null
      : assignee.kind === 'member'
        ? assignee.personId
        : assignee.unitId;
  const dueOn = (d['dueOn'] as PlainDate | null | undefined) ?? null;
  const regionId = issue.regionPath.at(-1) ?? '';
  const status = issue.status === 'open' && dueOn !== null && dueOn < today ? 'overdue' : issue.status;
  return {
    issueId: issue.id,
    title: issue.name,
    regionId,
    regionName: nameOf('region', regionId),
    committeeId: (d['committeeId'] as string | undefined) ?? null,
    trade: (d['trade'] as string | undefined) ?? null,
    registeredOn: (d['registeredOn'] as PlainDate | undefined) ?? null,
    assigneeKind: assignee?.kind ?? null,
    assigneeId,
    assigneeName:
      assignee === null || assignee === undefined || assigneeId === null
        ? null
        : nameOf(assignee.kind, assigneeId),
    dueOn,
    status,
    resolvedOn:
      issue.status === 'resolved' ? ((d['resolvedOn'] as PlainDate | null | undefined) ?? null) : null,
    daysToResolve:
      issue.status === 'resolved' ? ((d['daysToResolve'] as number | null | undefined) ?? null) : null,
    onTime: issue.status === 'resolved' ? ((d['onTime'] as boolean | null | undefined) ?? null) : null,
  };
};

export const issueLedgerGrid = (ledger: Table<IssueLedgerRow>, regionName: string, lang: Lang): Grid => ({
  title: lang === 'zh' ? `问题台账（${regionName}）` : `Problem ledger (${regionName})`,
  sheetName: lang === 'zh' ? '问题台账' : 'Problem ledger',
  columns: ISSUE_LEDGER_COLUMNS.map((c) => ({
    header: header(c, lang),
    type: ['registeredOn', 'dueOn', 'resolvedOn'].includes(c.key)
      ? ('date' as const)
      : c.key === 'daysToResolve'
        ? ('number' as const)
        : ('text' as const),
    width: c.key === 'title' ? 40 : c.key === 'assigneeName' || c.key === 'regionName' ? 24 : 14,
  })),
  rows: ledger.rows.map((r) => [
    r.issueId,
    r.title,
    r.regionName,
    r.trade,
    r.registeredOn,
    r.assigneeName,
    r.dueOn,
    lang === 'zh' ? (STATUS_ZH[r.status] ?? r.status) : r.status,
    r.resolvedOn,
    r.daysToResolve,
    r.onTime === null ? null : lang === 'zh' ? (r.onTime ? '是' : '否') : r.onTime ? 'yes' : 'no',
  ]),
});

// ---------------------------------------------------------------------------------------------
// A committee's roster (名册) as of a date

export const ROSTER_COLUMNS: readonly Column[] = [
  { key: 'personId', zh: '编号', en: 'Member', description: 'The person’s id.' },
  { key: 'name', zh: '姓名', en: 'Name', description: 'Their name (erased names show as erased).' },
  { key: 'kind', zh: '类别', en: 'Kind', description: 'officer or part-time member.' },
  { key: 'role', zh: '职务', en: 'Role', description: 'An officer’s role.' },
  { key: 'category', zh: '来源', en: 'Category', description: 'Where a part-time member comes from.' },
  { key: 'unit', zh: '所在单位', en: 'Unit', description: 'Their unit.' },
  { key: 'since', zh: '任职日期', en: 'Since', description: 'First day of the seat.' },
  { key: 'termEndsOn', zh: '任期届满', en: 'Term ends', description: 'When the term ends.' },
  { key: 'duties', zh: '职责', en: 'Duties', description: 'The four roles assigned (四大员).' },
];

export const rosterGrid = (
  roster: Roster,
  committeeName: string,
  lookups: LookupQueries,
  lang: Lang,
): Grid => ({
  title:
    lang === 'zh'
      ? `${committeeName} 名册（截至 ${roster.asOf}）`
      : `${committeeName} roster as of ${roster.asOf}`,
  sheetName: lang === 'zh' ? '名册' : 'Roster',
  columns: ROSTER_COLUMNS.map((c) => ({
    header: header(c, lang),
    type: c.key === 'since' || c.key === 'termEndsOn' ? ('date' as const) : ('text' as const),
    width: c.key === 'unit' || c.key === 'duties' ? 30 : 16,
  })),
  rows: roster.members.map((m) => [
    m.personId,
    lookups.entity('member', m.personId)?.name ?? m.personId,
    lang === 'zh' ? (m.kind === 'officer' ? '班子成员' : '兼职委员') : m.kind,
    m.role,
    m.category,
    m.unitId === null ? null : (lookups.entity('unit', m.unitId)?.name ?? m.unitId),
    m.since,
    m.termEndsOn,
    m.duties.length === 0 ? null : m.duties.join(', '),
  ]),
  notes: [lang === 'zh' ? `按 ${roster.knownAt} 时的记录。` : `As recorded by ${roster.knownAt}.`],
});

// ---------------------------------------------------------------------------------------------
// The points ledger (积分台账)

export interface PointsLedgerRow {
  readonly memberId: string;
  readonly name: string;
  readonly on: PlainDate;
  readonly points: number;
  readonly cause: string;
  readonly reason: string | null;
  readonly balanceAfter: number;
}

export const POINTS_LEDGER_COLUMNS: readonly Column[] = [
  { key: 'memberId', zh: '编号', en: 'Member', description: 'The member’s id.' },
  { key: 'name', zh: '姓名', en: 'Name', description: 'Their name.' },
  { key: 'on', zh: '日期', en: 'Date', description: 'When the points were awarded or deducted.' },
  { key: 'points', zh: '分值', en: 'Points', description: 'Awarded (+) or deducted (−), as applied.' },
  { key: 'cause', zh: '事由', en: 'Cause', description: 'kind:source (each cause scores once).' },
  { key: 'reason', zh: '扣分原因', en: 'Reason', description: 'Why points were deducted.' },
  { key: 'balanceAfter', zh: '累计积分', en: 'Balance', description: 'The year’s balance after it.' },
];

/** Every award and deduction of a year to the members of a region's subtree, member by member. */
export const pointsLedger = (
  lookups: LookupQueries,
  regionId: string,
  year: number,
): Table<PointsLedgerRow> => {
  const rows: PointsLedgerRow[] = [];
  for (const member of lookups.all('member', regionId))
    for (const entry of lookups.pointsEntries(member.id, year))
      rows.push({ memberId: member.id, name: member.name, ...entry });
  return { columns: POINTS_LEDGER_COLUMNS, rows };
};

export const pointsLedgerGrid = (
  ledger: Table<PointsLedgerRow>,
  regionName: string,
  year: number,
  lang: Lang,
): Grid => ({
  title: lang === 'zh' ? `积分台账 ${year}年（${regionName}）` : `Points ledger ${year} (${regionName})`,
  sheetName: lang === 'zh' ? '积分台账' : 'Points ledger',
  columns: POINTS_LEDGER_COLUMNS.map((c) => ({
    header: header(c, lang),
    type:
      c.key === 'on'
        ? ('date' as const)
        : c.key === 'points' || c.key === 'balanceAfter'
          ? ('number' as const)
          : ('text' as const),
    width: c.key === 'cause' || c.key === 'reason' ? 30 : 14,
  })),
  rows: ledger.rows.map((r) => [r.memberId, r.name, r.on, r.points, r.cause, r.reason, r.balanceAfter]),
});
