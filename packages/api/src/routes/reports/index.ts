import { PlainDate } from '@cogov/domain';
import {
  annualSheet,
  annualSheetGrid,
  issueLedger,
  issueLedgerGrid,
  meetingCadence,
  pointsLedger,
  pointsLedgerGrid,
} from '@cogov/projections';
import type { FastifyPluginCallback } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  guard,
  MinPosition,
  principalOf,
  reflect,
  SECURITY,
  type RoutesOptions,
} from '../../http/context.ts';
import { Id, KnownAt } from '../../http/schemas.ts';
import { Format, formatOf, Lang, sendReport } from '../../http/spreadsheets.ts';
import { problem, problemResponses } from '../../problems/registry.ts';
import { statisticsGuard, statisticsKnownAt, todayIn } from '../statistics/index.ts';

const Year = z.coerce
  .number()
  .int()
  .min(1949)
  .max(2100)
  .describe('The calendar year: flows over 1 January to 31 December, levels on 31 December');

const ColumnSchema = z.object({
  key: z.string(),
  zh: z.string(),
  en: z.string(),
  description: z.string(),
  source: z.enum(['national', 'cogov']).optional(),
});

const SPREADSHEETS =
  'Answers JSON, or a download: CSV (UTF-8 with a byte-order mark, for Excel) or XLSX, chosen by `format=` or the Accept header (`text/csv`, `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`). Spreadsheet headers are Chinese unless `lang=en`.';

const RESPONSES = [
  'invalid-request',
  'unauthorized',
  'forbidden',
  'out-of-scope',
  'not-found',
  'read-model-behind',
] as const;

/**
 * What organisation departments hand in and keep in spreadsheets: the annual sheet 社区党建情况,
 * the problem ledger, the points ledger and the meeting cadence, as JSON, CSV or XLSX.
 */
export const reportRoutes: FastifyPluginCallback<RoutesOptions> = (app, { context }, done) => {
  const { runtime, access } = context;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const today = todayIn(runtime.policy.timeZone);
  const regionNamed = (regionId: string): string => {
    const region = runtime.readModels.lookups().entity('region', regionId);
    if (region === undefined) throw problem('not-found', `There is no region ${regionId}.`);
    return region.name;
  };

  typed.get(
    '/v1/regions/:regionId/annual-sheet',
    {
      schema: {
        operationId: 'getAnnualSheet',
        tags: ['statistics'],
        summary:
          'The national annual sheet 社区党建情况: a row per community, subtotals per street and county',
        description: `The columns of the national party statistics sheet 社区党建情况 that cogov's records fill (\`source: national\`), then cogov's own figures (\`source: cogov\`); \`notFilled\` names the sheet's columns cogov cannot fill and why (docs/reports.md). A community row is the community's own; a street, county or city row is its whole subtree. ${SPREADSHEETS}`,
        security: SECURITY,
        params: z.object({ regionId: Id }),
        querystring: z.strictObject({
          year: Year,
          format: Format,
          lang: Lang,
          knownAt: KnownAt.optional().describe('Auditors: the sheet as the records stood at this instant'),
          minPosition: MinPosition,
        }),
        response: {
          200: z.object({
            regionId: z.string(),
            year: z.number().int(),
            from: z.string(),
            asOf: z.string(),
            knownAt: z.string().nullable(),
            columns: z.array(ColumnSchema),
            rows: z.array(
              z.object({
                regionId: z.string(),
                name: z.string(),
                level: z.string(),
                parentId: z.string().nullable(),
                depth: z.number().int(),
                kind: z.enum(['community', 'subtotal']),
                values: z.record(z.string(), z.number().nullable()),
              }),
            ),
            notFilled: z.array(z.object({ zh: z.string(), en: z.string(), why: z.string() })),
            position: z.number().int(),
          }),
          ...problemResponses(...RESPONSES, 'read-model-rebuilding'),
        },
      },
      onRequest: statisticsGuard(context),
    },
    async (request, reply) => {
      const { regionId } = request.params;
      const { year, format, lang, knownAt, minPosition } = request.query;
      await access.place(principalOf(request), regionId, 'path.regionId');
      const position = await reflect(context, minPosition, reply);
      regionNamed(regionId);
      const sheet = annualSheet(
        statisticsKnownAt(runtime, knownAt),
        runtime.readModels.lookups(),
        regionId,
        year,
      );
      return sendReport(
        reply,
        formatOf(request, format),
        `annual-sheet-${regionId}-${year}`,
        {
          ...sheet,
          columns: [...sheet.columns],
          rows: sheet.rows.map((r) => ({ ...r, values: { ...r.values } })),
          notFilled: [...sheet.notFilled],
          position,
        },
        () => annualSheetGrid(sheet, lang),
      );
    },
  );

  typed.get(
    '/v1/regions/:regionId/issue-ledger',
    {
      schema: {
        operationId: 'getIssueLedger',
        tags: ['lists'],
        summary: 'The problem ledger (问题台账) of a region: open, overdue, resolved or every issue',
        description: `Every issue of the region's subtree registered in [from, to] (both optional), oldest first, with its trade, assignee, due date and resolution. Overdue: open and due before today (or \`overdueOn\`). ${SPREADSHEETS}`,
        security: SECURITY,
        params: z.object({ regionId: Id }),
        querystring: z.strictObject({
          status: z.enum(['all', 'open', 'overdue', 'resolved', 'withdrawn']).default('all'),
          from: PlainDate.optional().describe('Registered on or after this day'),
          to: PlainDate.optional().describe('Registered on or before this day'),
          overdueOn: PlainDate.optional().describe('The day that decides what is overdue (default today)'),
          format: Format,
          lang: Lang,
          minPosition: MinPosition,
        }),
        response: {
          200: z.object({
            regionId: z.string(),
            status: z.string(),
            overdueOn: z.string(),
            columns: z.array(ColumnSchema),
            rows: z.array(z.record(z.string(), z.unknown())),
            position: z.number().int(),
          }),
          ...problemResponses(...RESPONSES),
        },
      },
      onRequest: guard(context, 'read'),
    },
    async (request, reply) => {
      const { regionId } = request.params;
      const { status, from, to, overdueOn, format, lang, minPosition } = request.query;
      await access.place(principalOf(request), regionId, 'path.regionId');
      if (from !== undefined && to !== undefined && from > to)
        throw problem('invalid-request', `from (${from}) is after to (${to}).`, {
          errors: [{ field: 'query.from', message: 'after to' }],
        });
      const position = await reflect(context, minPosition, reply);
      const name = regionNamed(regionId);
      const day = overdueOn ?? today();
      const ledger = issueLedger(runtime.readModels.lookups(), regionId, {
        status,
        today: day,
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
      });
      return sendReport(
        reply,
        formatOf(request, format),
        `issue-ledger-${regionId}-${status}-${day}`,
        {
          regionId,
          status,
          overdueOn: day,
          columns: [...ledger.columns],
          rows: ledger.rows.map((r) => ({ ...r })),
          position,
        },
        () => issueLedgerGrid(ledger, name, lang),
      );
    },
  );

  typed.get(
    '/v1/regions/:regionId/points-ledger',
    {
      schema: {
        operationId: 'getPointsLedger',
        tags: ['lists'],
        summary: 'The points ledger (积分台账) of a region’s members for a year: every award and deduction',
        description: `Member by member, in recorded order, each entry's cause (every cause scores once), the points as applied and the balance after it. ${SPREADSHEETS}`,
        security: SECURITY,
        params: z.object({ regionId: Id }),
        querystring: z.strictObject({ year: Year, format: Format, lang: Lang, minPosition: MinPosition }),
        response: {
          200: z.object({
            regionId: z.string(),
            year: z.number().int(),
            columns: z.array(ColumnSchema),
            rows: z.array(z.record(z.string(), z.unknown())),
            position: z.number().int(),
          }),
          ...problemResponses(...RESPONSES),
        },
      },
      onRequest: guard(context, 'read'),
    },
    async (request, reply) => {
      const { regionId } = request.params;
      const { year, format, lang, minPosition } = request.query;
      await access.place(principalOf(request), regionId, 'path.regionId');
      const position = await reflect(context, minPosition, reply);
      const name = regionNamed(regionId);
      const ledger = pointsLedger(runtime.readModels.lookups(), regionId, year);
      return sendReport(
        reply,
        formatOf(request, format),
        `points-ledger-${regionId}-${year}`,
        { regionId, year, columns: [...ledger.columns], rows: ledger.rows.map((r) => ({ ...r })), position },
        () => pointsLedgerGrid(ledger, name, year, lang),
      );
    },
  );

  typed.get(
    '/v1/regions/:regionId/meeting-cadence',
    {
      schema: {
        operationId: 'getMeetingCadence',
        tags: ['statistics'],
        summary: 'Joint meetings against the policy’s cadence: the periods each committee held none',
        description:
          'The policy asks for joint meetings at least quarterly (or monthly, or half-yearly: `meetings.cadence`). For each committee of the subtree, the calendar periods in [from, to] it existed in and held no joint meeting; per period, how many committees were due one and how many held none.',
        security: SECURITY,
        params: z.object({ regionId: Id }),
        querystring: z.strictObject({
          from: PlainDate.optional().describe('First day (default 1 January of this year)'),
          to: PlainDate.optional().describe('Last day (default today)'),
          minPosition: MinPosition,
        }),
        response: {
          200: z.object({
            regionId: z.string(),
            cadence: z.string(),
            from: z.string(),
            to: z.string(),
            periods: z.array(z.object({ period: z.string(), from: z.string(), to: z.string() })),
            committees: z.array(
              z.object({
                committeeId: z.string(),
                name: z.string(),
                kind: z.string(),
                regionId: z.string(),
                due: z.number().int(),
                met: z.number().int(),
                missed: z.array(z.string()),
              }),
            ),
            byPeriod: z.array(
              z.object({
                period: z.string(),
                from: z.string(),
                to: z.string(),
                due: z.number().int(),
                missed: z.number().int(),
              }),
            ),
            missed: z.number().int(),
            position: z.number().int(),
          }),
          ...problemResponses(...RESPONSES),
        },
      },
      onRequest: guard(context, 'read'),
    },
    async (request, reply) => {
      const { regionId } = request.params;
      await access.place(principalOf(request), regionId, 'path.regionId');
      const to = request.query.to ?? today();
      const from = request.query.from ?? (`${to.slice(0, 4)}-01-01` as PlainDate);
      if (from > to)
        throw problem('invalid-request', `from (${from}) is after to (${to}).`, {
          errors: [{ field: 'query.from', message: 'after to' }],
        });
      if (Number(to.slice(0, 4)) - Number(from.slice(0, 4)) > 20)
        throw problem('invalid-request', 'A cadence report covers at most 20 years.', {
          errors: [{ field: 'query.from', message: 'more than 20 years before to' }],
        });
      const position = await reflect(context, request.query.minPosition, reply);
      regionNamed(regionId);
      const report = meetingCadence(
        runtime.readModels.statistics(),
        runtime.readModels.lookups(),
        regionId,
        runtime.policy.meetings.cadence,
        from,
        to,
      );
      return {
        ...report,
        periods: [...report.periods],
        committees: report.committees.map((c) => ({ ...c, missed: [...c.missed] })),
        byPeriod: [...report.byPeriod],
        position,
      };
    },
  );
  done();
};
