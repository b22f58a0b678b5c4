import { dateInZone, type PlainDate } from '@cogov/domain';
import {
  facetProblem,
  facetValues,
  isMetric,
  KnownAtUnavailableError,
  METRICS,
  StatisticsQueryError,
  type MetricName,
  type StatisticsQueries,
} from '@cogov/projections';
import type { FastifyPluginCallback, FastifyRequest } from 'fastify';
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
import { authorize } from '../../http/auth.ts';
import { AsOf, From, Id, KnownAt, To } from '../../http/schemas.ts';
import { problem, problemResponses } from '../../problems/registry.ts';
import type { Runtime } from '../../runtime.ts';
import { AnswerCache, cachedAnswers } from './answers.ts';

const Scope = z
  .string()
  .regex(
    /^[rcumg]:[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/,
    'r:<region>, c:<committee>, u:<unit>, m:<member> or g:<grid>',
  )
  .describe('What to count: r:<region> (its whole subtree), c:<committee>, u:<unit>, m:<member>, g:<grid>');
const Facet = z
  .string()
  .regex(/^[a-zA-Z]+=[^\s]{1,100}$/, 'name=value, as listed by GET /v1/statistics')
  .optional()
  .describe('Split by a dimension: name=value, as GET /v1/statistics lists them');
const Metric = z.string().refine(isMetric, 'a metric listed by GET /v1/statistics');
const StatisticsKnownAt = KnownAt.optional().describe(
  'Auditors: the figure as the records stood at this instant (ISO 8601 with a time zone), before later corrections and backdated facts. Resolved to whole recorded hours: 10:30 counts what was recorded by 09:59:59.999; the answer names the instant used.',
);
const ResolvedKnownAt = z
  .string()
  .nullable()
  .describe('The instant the figure is known at (the end of the last whole recorded hour), or null: now');

/**
 * Reading statistics needs a reader; asking them as known at an instant is an audit. Checked before
 * the answer cache, so an auditor's answer is never served to a reader of the same scope.
 */
export const statisticsGuard = (context: Parameters<typeof guard>[0]) => {
  const read = guard(context, 'read');
  return async (request: FastifyRequest): Promise<void> => {
    await read(request);
    if ((request.query as { knownAt?: unknown }).knownAt !== undefined)
      authorize(principalOf(request), 'audit');
  };
};

/** The statistics queries as known now, or at `knownAt` (a 503 while the read model cannot answer that). */
export const statisticsKnownAt = (runtime: Runtime, knownAt: string | undefined): StatisticsQueries => {
  const queries = runtime.readModels.statistics();
  if (knownAt === undefined) return queries;
  try {
    return queries.asKnownAt(new Date(knownAt));
  } catch (error) {
    if (error instanceof KnownAtUnavailableError)
      throw problem('read-model-rebuilding', error.message, { headers: { 'retry-after': '30' } });
    throw error;
  }
};

/** Today in the policy's time zone, worked out at most once a second. */
export const todayIn = (timeZone: string): (() => PlainDate) => {
  let at = -1;
  let today = dateInZone(new Date(), timeZone);
  return () => {
    const second = Math.floor(Date.now() / 1000);
    if (second !== at) {
      at = second;
      today = dateInZone(new Date(second * 1000), timeZone);
    }
    return today;
  };
};

const Value = z.object({
  metric: z.string(),
  kind: z.enum(['flow', 'level']),
  scope: z.string(),
  facet: z.string().nullable(),
  from: z.string().nullable(),
  to: z.string(),
  value: z.number(),
  unit: z.string(),
  knownAt: ResolvedKnownAt,
  position: z.number().int().describe('The log position the figure reflects'),
});

/** Runs a statistics query, turning what the read model cannot answer into a 400 naming the fields. */
const answer = <T>(run: () => T): T => {
  try {
    return run();
  } catch (error) {
    if (error instanceof StatisticsQueryError)
      throw problem('invalid-request', error.message, {
        errors: Object.keys(error.details).map((field) => ({
          field: `query.${field}`,
          message: error.message,
        })),
      });
    throw error;
  }
};

/** A facet the metric does not have, or a value it does not take: a 400 naming the allowed ones (not 0). */
const checkFacet = (metric: MetricName, facet: string | undefined) => {
  if (facet === undefined) return;
  const message = facetProblem(metric, facet);
  if (message !== null)
    throw problem('invalid-request', `facet ${facet}: ${message}.`, {
      errors: [{ field: 'query.facet', message }],
    });
};

const emptyPeriod = (from: string, to: string) =>
  problem('invalid-request', `from (${from}) is after to (${to}).`, {
    errors: [{ field: 'query.from', message: 'after to' }],
  });

/** Figures by region, committee, unit, member and period: one figure, a series, a region's summary. */
export const statisticsRoutes: FastifyPluginCallback<RoutesOptions> = (app, { context }, done) => {
  const { runtime, access } = context;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const today = todayIn(runtime.policy.timeZone);
  const yearSoFar = () => ({ from: `${today().slice(0, 4)}-01-01` as PlainDate, to: today() });
  const statistics = (knownAt?: string) => statisticsKnownAt(runtime, knownAt);
  const cache = cachedAnswers(new AnswerCache(), () => runtime.readModels.projector.minimumPosition(), today);

  typed.get(
    '/v1/statistics',
    {
      schema: {
        operationId: 'listMetrics',
        tags: ['statistics'],
        summary: 'The figures the statistics keep, with their facets',
        security: SECURITY,
        querystring: z.strictObject({}),
        response: {
          200: z.object({
            metrics: z.array(
              z.object({
                name: z.string(),
                kind: z.enum(['flow', 'level']),
                unit: z.string(),
                description: z.string(),
                facets: z.array(z.string()),
                facetValues: z
                  .record(z.string(), z.array(z.string()))
                  .describe('The values each facet takes: anything else is a 400'),
              }),
            ),
          }),
          ...problemResponses('unauthorized', 'forbidden'),
        },
      },
      onRequest: guard(context, 'read'),
    },
    () => ({
      metrics: Object.entries(METRICS).map(([name, m]) => ({
        name,
        ...m,
        facets: [...m.facets],
        facetValues: Object.fromEntries(
          Object.entries(facetValues(name as MetricName)).map(([facet, values]) => [facet, [...values]]),
        ),
      })),
    }),
  );

  typed.get(
    '/v1/statistics/:metric',
    {
      schema: {
        operationId: 'getStatistic',
        tags: ['statistics'],
        summary: 'One figure: a flow summed over [from, to], or a level on a date (asOf)',
        description:
          'Flows (meetings held, issues resolved…) are summed over the period by business date, both ends included; levels (members sitting, grids…) are read on `asOf`. Member scopes (m:) are kept by year.',
        security: SECURITY,
        params: z.object({ metric: Metric }),
        querystring: z.strictObject({
          scope: Scope,
          facet: Facet,
          from: From.optional().describe('Flows: first day, included (default 1 January of this year)'),
          to: To.optional().describe('Flows: last day, included (default today)'),
          asOf: AsOf.optional().describe('Levels: the day (default today)'),
          knownAt: StatisticsKnownAt,
          minPosition: MinPosition,
        }),
        response: {
          200: Value,
          ...problemResponses(
            'invalid-request',
            'unauthorized',
            'forbidden',
            'out-of-scope',
            'not-found',
            'read-model-behind',
            'read-model-rebuilding',
          ),
        },
      },
      onRequest: statisticsGuard(context),
      preValidation: cache.hook,
    },
    async (request, reply) => {
      const { scope, facet, from, to, asOf, knownAt, minPosition } = request.query;
      const queries = statistics(knownAt);
      const known = queries.knownAt?.toISOString() ?? null;
      const metric = request.params.metric;
      checkFacet(metric, facet);
      await access.place(principalOf(request), await access.regionOfScope(scope), 'query.scope');
      const position = await reflect(context, minPosition, reply);
      const definition = METRICS[metric];
      const q = { scope, ...(facet === undefined ? {} : { facet }) };
      if (definition.kind === 'level') {
        if (from !== undefined || to !== undefined)
          throw problem('invalid-request', `${metric} is a level: give asOf, not from/to.`, {
            errors: [
              { field: from === undefined ? 'query.to' : 'query.from', message: 'not for a level; use asOf' },
            ],
          });
        const on = asOf ?? today();
        const value = answer(() => queries.levelOn(metric, q, on));
        return cache.remember(request, {
          metric,
          kind: 'level' as const,
          scope,
          facet: facet ?? null,
          from: null,
          to: on,
          value,
          unit: definition.unit,
          knownAt: known,
          position,
        });
      }
      if (asOf !== undefined)
        throw problem('invalid-request', `${metric} is a flow: give from and to, not asOf.`, {
          errors: [{ field: 'query.asOf', message: 'not for a flow; use from and to' }],
        });
      const defaults = yearSoFar();
      const period = { from: from ?? defaults.from, to: to ?? defaults.to };
      if (period.from > period.to) throw emptyPeriod(period.from, period.to);
      const value = answer(() => queries.total(metric, q, period.from, period.to));
      return cache.remember(request, {
        metric,
        kind: 'flow' as const,
        scope,
        facet: facet ?? null,
        from: period.from,
        to: period.to,
        value,
        unit: definition.unit,
        knownAt: known,
        position,
      });
    },
  );

  typed.get(
    '/v1/statistics/:metric/series',
    {
      schema: {
        operationId: 'getStatisticSeries',
        tags: ['statistics'],
        summary: 'A figure per day, month, quarter or year over a period',
        description:
          'Each point covers its whole day, month, quarter or year, cut to [from, to] at the ends.',
        security: SECURITY,
        params: z.object({ metric: Metric }),
        querystring: z.strictObject({
          scope: Scope,
          facet: Facet,
          from: From,
          to: To,
          granularity: z.enum(['day', 'month', 'quarter', 'year']).default('month'),
          knownAt: StatisticsKnownAt,
          minPosition: MinPosition,
        }),
        response: {
          200: z.object({
            metric: z.string(),
            scope: z.string(),
            facet: z.string().nullable(),
            granularity: z.string(),
            points: z.array(
              z.object({ period: z.string(), from: z.string(), to: z.string(), value: z.number() }),
            ),
            knownAt: ResolvedKnownAt,
            position: z.number().int(),
          }),
          ...problemResponses(
            'invalid-request',
            'unauthorized',
            'forbidden',
            'out-of-scope',
            'not-found',
            'read-model-behind',
            'read-model-rebuilding',
          ),
        },
      },
      onRequest: statisticsGuard(context),
      preValidation: cache.hook,
    },
    async (request, reply) => {
      const { scope, facet, from, to, granularity, knownAt, minPosition } = request.query;
      const metric = request.params.metric;
      checkFacet(metric, facet);
      await access.place(principalOf(request), await access.regionOfScope(scope), 'query.scope');
      if (from > to) throw emptyPeriod(from, to);
      const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
      if (granularity === 'day' && days > 1_000)
        throw problem('invalid-request', 'A daily series covers at most 1 000 days.', {
          errors: [{ field: 'query.granularity', message: 'too fine for this period' }],
        });
      const position = await reflect(context, minPosition, reply);
      const q = { scope, ...(facet === undefined ? {} : { facet }) };
      const queries = statistics(knownAt);
      const points = answer(() => queries.series(metric, q, from, to, granularity));
      return cache.remember(request, {
        metric,
        scope,
        facet: facet ?? null,
        granularity,
        points,
        knownAt: queries.knownAt?.toISOString() ?? null,
        position,
      });
    },
  );

  typed.get(
    '/v1/regions/:regionId/summary',
    {
      schema: {
        operationId: 'getRegionSummary',
        tags: ['statistics'],
        summary: 'Every figure of a region’s subtree over a period, and the national sheet',
        security: SECURITY,
        params: z.object({ regionId: Id }),
        querystring: z.strictObject({
          from: From.optional().describe('First day, included (default 1 January of this year)'),
          to: To.optional().describe('Last day, included (default today)'),
          knownAt: StatisticsKnownAt,
          minPosition: MinPosition,
        }),
        response: {
          200: z.object({ summary: z.record(z.string(), z.unknown()), position: z.number().int() }),
          ...problemResponses(
            'invalid-request',
            'unauthorized',
            'forbidden',
            'out-of-scope',
            'not-found',
            'read-model-behind',
            'read-model-rebuilding',
          ),
        },
      },
      onRequest: statisticsGuard(context),
      preValidation: cache.hook,
    },
    async (request, reply) => {
      const { regionId } = request.params;
      await access.place(principalOf(request), regionId, 'path.regionId');
      const defaults = yearSoFar();
      const period = { from: request.query.from ?? defaults.from, to: request.query.to ?? defaults.to };
      if (period.from > period.to) throw emptyPeriod(period.from, period.to);
      const position = await reflect(context, request.query.minPosition, reply);
      const summary: Record<string, unknown> = {
        ...statistics(request.query.knownAt).summary(`r:${regionId}`, period.from, period.to),
      };
      return cache.remember(request, { summary, position });
    },
  );
  done();
};
