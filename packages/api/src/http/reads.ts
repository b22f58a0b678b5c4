import {
  AGGREGATES,
  dateInZone,
  IDENTIFIER_PATTERN,
  PlainDate,
  type AggregateName,
  type StreamRevision,
} from '@cogov/domain';
import { isMetric, METRICS, StatisticsQueryError } from '@cogov/projections';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { cachedAnswers } from './answers.ts';
import { authorize } from './auth.ts';
import {
  guard,
  idField,
  MinPosition,
  PLURAL,
  principalOf,
  reflect,
  SECURITY,
  type HttpContext,
} from './context.ts';
import { plain } from './plain.ts';
import { problem, problemResponses } from './problems.ts';

const Id = z
  .string()
  .regex(
    IDENTIFIER_PATTERN,
    'an identifier: 1-100 letters, digits or _ . : - starting with a letter or digit',
  );
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
  .optional();
const Metric = z.string().refine(isMetric, 'a metric listed by GET /v1/statistics');
const KnownAt = z.iso
  .datetime({ offset: true })
  .optional()
  .describe('The records as they stood at this instant (ISO 8601); default: now');
const Limit = z.coerce.number().int().min(1).max(500).default(50);
/** A list's cursor as a previous page gave it (base64url JSON); anything else is a 400, not a crash. */
const isCursor = (value: string) => {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    return (
      Array.isArray(decoded) &&
      decoded.length > 0 &&
      decoded.length <= 8 &&
      decoded.every((part) => (typeof part === 'string' && part.length <= 200) || Number.isFinite(part))
    );
  } catch {
    return false;
  }
};
const Cursor = z.string().max(1_000).refine(isCursor, 'a cursor as the previous page gave it').optional();

const Value = z.object({
  metric: z.string(),
  kind: z.enum(['flow', 'level']),
  scope: z.string(),
  facet: z.string().nullable(),
  from: z.string().nullable(),
  to: z.string(),
  value: z.number(),
  unit: z.string(),
  position: z.number().int().describe('The log position the figure reflects'),
});
const Entity = z.object({
  kind: z.string(),
  id: z.string(),
  name: z.string(),
  regionPath: z.array(z.string()).readonly(),
  status: z.string(),
  details: z.record(z.string(), z.unknown()),
});
const PageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable(), position: z.number().int() });

/** Runs a statistics query, turning what the read model cannot answer into a 400 naming the fields. */
const answer = <T>(run: () => T): T => {
  try {
    return run();
  } catch (error) {
    if (error instanceof StatisticsQueryError)
      throw problem(400, 'invalid-request', 'This figure cannot be read that way', error.message, {
        errors: Object.keys(error.details).map((field) => ({
          field: `query.${field}`,
          message: error.message,
        })),
      });
    throw error;
  }
};

const yearBounds = (today: PlainDate) => ({
  from: `${today.slice(0, 4)}-01-01` as PlainDate,
  to: today,
});

/** Statistics, audits (rosters, histories, states and events as of a time) and lists. */
export const readRoutes = (app: FastifyInstance, context: HttpContext): void => {
  const { runtime, access } = context;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  // The date in the policy's zone, worked out at most once a second.
  let todayAt = -1;
  let todayIs = dateInZone(new Date(), runtime.policy.timeZone);
  const today = () => {
    const second = Math.floor(Date.now() / 1000);
    if (second !== todayAt) {
      todayAt = second;
      todayIs = dateInZone(new Date(second * 1000), runtime.policy.timeZone);
    }
    return todayIs;
  };
  const queries = () => runtime.readModels;
  const cache = cachedAnswers(context.answers, () => runtime.readModels.projector.minimumPosition(), today);

  // ── Statistics ─────────────────────────────────────────────────────────────────────────────
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
              }),
            ),
          }),
          ...problemResponses(401, 403),
        },
      },
      onRequest: guard(context, 'read'),
    },
    () => ({
      metrics: Object.entries(METRICS).map(([name, m]) => ({ name, ...m, facets: [...m.facets] })),
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
          'Flows (meetings held, issues resolved…) are summed over the period, by business date; levels (members sitting, grids…) are read on `asOf`. Member scopes (m:) are kept by year.',
        security: SECURITY,
        params: z.object({ metric: Metric }),
        querystring: z.strictObject({
          scope: Scope,
          facet: Facet,
          from: PlainDate.optional().describe('Flows: first day (default 1 January of this year)'),
          to: PlainDate.optional().describe('Flows: last day (default today)'),
          asOf: PlainDate.optional().describe('Levels: the day (default today)'),
          minPosition: MinPosition,
        }),
        response: { 200: Value, ...problemResponses(400, 401, 403, 503) },
      },
      onRequest: guard(context, 'read'),
      preValidation: cache.hook,
    },
    async (request, reply) => {
      const { scope, facet, from, to, asOf, minPosition } = request.query;
      const metric = request.params.metric;
      await access.place(principalOf(request), await access.regionOfScope(scope), 'query.scope');
      const position = await reflect(context, minPosition, reply);
      const definition = METRICS[metric];
      const q = { scope, ...(facet === undefined ? {} : { facet }) };
      if (definition.kind === 'level') {
        if (from !== undefined || to !== undefined)
          throw problem(
            400,
            'invalid-request',
            'A level is read on a date',
            `${metric} is a level: give asOf, not from/to.`,
            {
              errors: [
                {
                  field: from === undefined ? 'query.to' : 'query.from',
                  message: 'not for a level; use asOf',
                },
              ],
            },
          );
        const on = asOf ?? today();
        const value = answer(() => queries().statistics().levelOn(metric, q, on));
        return cache.remember(request, {
          metric,
          kind: 'level' as const,
          scope,
          facet: facet ?? null,
          from: null,
          to: on,
          value,
          unit: definition.unit,
          position,
        });
      }
      if (asOf !== undefined)
        throw problem(
          400,
          'invalid-request',
          'A flow is summed over a period',
          `${metric} is a flow: give from and to, not asOf.`,
          {
            errors: [{ field: 'query.asOf', message: 'not for a flow; use from and to' }],
          },
        );
      const defaults = from === undefined || to === undefined ? yearBounds(today()) : null;
      const period = {
        from: from ?? defaults?.from ?? today(),
        to: to ?? defaults?.to ?? today(),
      };
      if (period.from > period.to)
        throw problem(
          400,
          'invalid-request',
          'The period is empty',
          `from (${period.from}) is after to (${period.to}).`,
          {
            errors: [{ field: 'query.from', message: 'after to' }],
          },
        );
      const value = answer(() => queries().statistics().total(metric, q, period.from, period.to));
      return cache.remember(request, {
        metric,
        kind: 'flow' as const,
        scope,
        facet: facet ?? null,
        from: period.from,
        to: period.to,
        value,
        unit: definition.unit,
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
        security: SECURITY,
        params: z.object({ metric: Metric }),
        querystring: z.strictObject({
          scope: Scope,
          facet: Facet,
          from: PlainDate,
          to: PlainDate,
          granularity: z.enum(['day', 'month', 'quarter', 'year']).default('month'),
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
            position: z.number().int(),
          }),
          ...problemResponses(400, 401, 403, 503),
        },
      },
      onRequest: guard(context, 'read'),
      preValidation: cache.hook,
    },
    async (request, reply) => {
      const { scope, facet, from, to, granularity, minPosition } = request.query;
      const metric = request.params.metric;
      await access.place(principalOf(request), await access.regionOfScope(scope), 'query.scope');
      if (from > to)
        throw problem(400, 'invalid-request', 'The period is empty', `from (${from}) is after to (${to}).`, {
          errors: [{ field: 'query.from', message: 'after to' }],
        });
      const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
      if (granularity === 'day' && days > 1_000)
        throw problem(
          400,
          'invalid-request',
          'Too many points',
          'A daily series covers at most 1 000 days.',
          {
            errors: [{ field: 'query.granularity', message: 'too fine for this period' }],
          },
        );
      const position = await reflect(context, minPosition, reply);
      const q = { scope, ...(facet === undefined ? {} : { facet }) };
      const points = answer(() => queries().statistics().series(metric, q, from, to, granularity));
      return cache.remember(request, { metric, scope, facet: facet ?? null, granularity, points, position });
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
          from: PlainDate.optional(),
          to: PlainDate.optional(),
          minPosition: MinPosition,
        }),
        response: {
          200: z.object({ summary: z.record(z.string(), z.unknown()), position: z.number().int() }),
          ...problemResponses(400, 401, 403, 503),
        },
      },
      onRequest: guard(context, 'read'),
      preValidation: cache.hook,
    },
    async (request, reply) => {
      const { regionId } = request.params;
      await access.place(principalOf(request), regionId, 'path.regionId');
      const defaults = yearBounds(today());
      const period = { from: request.query.from ?? defaults.from, to: request.query.to ?? defaults.to };
      if (period.from > period.to)
        throw problem(
          400,
          'invalid-request',
          'The period is empty',
          `from (${period.from}) is after to (${period.to}).`,
          {
            errors: [{ field: 'query.from', message: 'after to' }],
          },
        );
      const position = await reflect(context, request.query.minPosition, reply);
      const summary = queries().statistics().summary(`r:${regionId}`, period.from, period.to);
      return cache.remember(request, { summary: summary as unknown as Record<string, unknown>, position });
    },
  );

  // ── Audit: the past as it was recorded ─────────────────────────────────────────────────────
  const Roster = z.object({
    committeeId: z.string(),
    asOf: z.string(),
    knownAt: z.string(),
    members: z.array(z.record(z.string(), z.unknown())),
    position: z.number().int(),
  });
  typed.get(
    '/v1/committees/:committeeId/roster',
    {
      schema: {
        operationId: 'getRoster',
        tags: ['audit'],
        summary: 'Who sat on a committee on a date (asOf), as the records stood at a time (knownAt)',
        description:
          'Without knownAt: as the records stand now (any reader). With knownAt: an audit (auditor or admin).',
        security: SECURITY,
        params: z.object({ committeeId: Id }),
        querystring: z.strictObject({
          asOf: PlainDate.optional(),
          knownAt: KnownAt,
          minPosition: MinPosition,
        }),
        response: { 200: Roster, ...problemResponses(400, 401, 403, 404, 503) },
      },
      onRequest: guard(context, 'read'),
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { committeeId } = request.params;
      const { asOf, knownAt, minPosition } = request.query;
      if (knownAt !== undefined) authorize(principal, 'audit');
      const region = await access.regionOf('committee', committeeId);
      await access.require(principal, [region]);
      if (region === null)
        throw problem(404, 'not-found', 'No such committee', `There is no committee ${committeeId}.`);
      const position = await reflect(context, minPosition, reply);
      const roster = queries()
        .membership()
        .roster(committeeId, {
          ...(asOf === undefined ? {} : { asOf }),
          ...(knownAt === undefined ? {} : { knownAt: new Date(knownAt) }),
        });
      return { ...roster, members: roster.members.map((m) => ({ ...m })), position };
    },
  );

  typed.get(
    '/v1/members/:memberId/history',
    {
      schema: {
        operationId: 'getMembershipHistory',
        tags: ['audit'],
        summary:
          'A person’s seats across committees: every appointment, renewal and exit, with who recorded it when',
        security: SECURITY,
        params: z.object({ memberId: Id }),
        querystring: z.strictObject({ knownAt: KnownAt, minPosition: MinPosition }),
        response: {
          200: z.object({
            memberId: z.string(),
            entries: z.array(z.record(z.string(), z.unknown())),
            position: z.number().int(),
          }),
          ...problemResponses(400, 401, 403, 404, 503),
        },
      },
      onRequest: guard(context, 'audit'),
    },
    async (request, reply) => {
      const { memberId } = request.params;
      const region = await access.regionOf('member', memberId);
      await access.require(principalOf(request), [region]);
      const position = await reflect(context, request.query.minPosition, reply);
      const knownAt = request.query.knownAt;
      const entries = queries()
        .membership()
        .history(memberId, knownAt === undefined ? undefined : new Date(knownAt));
      if (region === null && entries.length === 0)
        throw problem(404, 'not-found', 'No such member', `There is no member ${memberId}.`);
      return { memberId, entries: entries.map((e) => ({ ...e })), position };
    },
  );

  for (const aggregate of Object.keys(AGGREGATES) as AggregateName[]) {
    const id = idField(aggregate);
    typed.get(
      `/v1/${PLURAL[aggregate]}/:${id}`,
      {
        schema: {
          operationId: `get${aggregate[0]?.toUpperCase()}${aggregate.slice(1)}`,
          tags: ['audit'],
          summary: `A ${aggregate}’s state now, at a revision, or as recorded at a time`,
          description:
            'The state folded from its events (the ETag is its revision: send it as If-Match). atRevision and knownAt are audits (auditor or admin).',
          security: SECURITY,
          params: z.object({ [id]: Id }),
          querystring: z.strictObject({
            atRevision: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
            knownAt: KnownAt,
          }),
          response: {
            200: z.object({ streamId: z.string(), revision: z.number().int(), state: z.unknown() }),
            ...problemResponses(400, 401, 403, 404),
          },
        },
        onRequest: guard(context, 'read'),
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const targetId = (request.params as Record<string, string>)[id] as string;
        const { atRevision, knownAt } = request.query;
        if (atRevision !== undefined || knownAt !== undefined) authorize(principal, 'audit');
        const region = await access.regionOf(aggregate, targetId);
        await access.require(principal, [region]);
        const loaded =
          atRevision === undefined && knownAt === undefined
            ? await runtime.cogov.load(aggregate, targetId)
            : await runtime.cogov.loadAt(aggregate, targetId, {
                ...(atRevision === undefined ? {} : { revision: atRevision as StreamRevision }),
                ...(knownAt === undefined ? {} : { recordedAt: new Date(knownAt) }),
              });
        if (loaded.revision === -1 && region === null)
          throw problem(
            404,
            'not-found',
            `No such ${aggregate}`,
            `There is no ${aggregate} ${targetId}${knownAt === undefined ? '' : ` as recorded at ${knownAt}`}.`,
          );
        void reply.header('etag', `"${loaded.revision}"`);
        return {
          streamId: `${aggregate}-${targetId}`,
          revision: loaded.revision,
          state: plain(loaded.state),
        };
      },
    );

    typed.get(
      `/v1/${PLURAL[aggregate]}/:${id}/events`,
      {
        schema: {
          operationId: `list${aggregate[0]?.toUpperCase()}${aggregate.slice(1)}Events`,
          tags: ['audit'],
          summary: `A ${aggregate}’s events: what was recorded, when and by whom`,
          security: SECURITY,
          params: z.object({ [id]: Id }),
          querystring: z.strictObject({
            fromRevision: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
            limit: Limit,
          }),
          response: {
            200: z.object({
              streamId: z.string(),
              events: z.array(
                z.object({
                  revision: z.number().int(),
                  position: z.number().int(),
                  type: z.string(),
                  data: z.unknown(),
                  eventId: z.string(),
                  recordedAt: z.string(),
                  actor: z.string().nullable(),
                  correlationId: z.string().nullable(),
                  causationId: z.string().nullable(),
                }),
              ),
              nextRevision: z.number().int().nullable(),
            }),
            ...problemResponses(400, 401, 403, 404),
          },
        },
        onRequest: guard(context, 'audit'),
      },
      async (request) => {
        const targetId = (request.params as Record<string, string>)[id] as string;
        const { fromRevision, limit } = request.query;
        const region = await access.regionOf(aggregate, targetId);
        await access.require(principalOf(request), [region]);
        const streamId = `${aggregate}-${targetId}`;
        const events = await runtime.store.readStream(streamId as never, {
          fromRevision: fromRevision as StreamRevision,
          toRevision: (fromRevision + limit) as StreamRevision,
        });
        if (events.length === 0 && region === null && fromRevision === 0)
          throw problem(404, 'not-found', `No such ${aggregate}`, `There is no ${aggregate} ${targetId}.`);
        const page = events.slice(0, limit);
        return {
          streamId,
          events: page.map((e) => ({
            revision: e.revision,
            position: e.position,
            type: e.type,
            data: e.data,
            eventId: e.eventId,
            recordedAt: e.recordedAt.toISOString(),
            actor: e.metadata.actor ?? null,
            correlationId: e.metadata.correlationId ?? null,
            causationId: e.metadata.causationId ?? null,
          })),
          nextRevision: events.length > limit ? fromRevision + limit : null,
        };
      },
    );
  }

  // ── Lists ──────────────────────────────────────────────────────────────────────────────────
  const regionOrScope = (scope: string, region: string | undefined) =>
    region ?? (scope === '*' ? null : scope);
  typed.get(
    '/v1/regions',
    {
      schema: {
        operationId: 'listRegions',
        tags: ['lists'],
        summary: 'The regions directly under a region (default: under your scope, or the roots)',
        security: SECURITY,
        querystring: z.strictObject({
          parent: Id.optional(),
          cursor: Cursor,
          limit: Limit,
          minPosition: MinPosition,
        }),
        response: { 200: PageOf(Entity), ...problemResponses(400, 401, 403, 503) },
      },
      onRequest: guard(context, 'read'),
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { parent, cursor, limit, minPosition } = request.query;
      const under = parent ?? (principal.scope === '*' ? null : principal.scope);
      if (under !== null) await access.place(principal, under, 'query.parent');
      const position = await reflect(context, minPosition, reply);
      // A scoped token asking for "the roots" gets its own region.
      if (parent === undefined && principal.scope !== '*') {
        const own = queries().lookups().entity('region', principal.scope);
        return { items: own === undefined ? [] : [own], nextCursor: null, position };
      }
      const page = queries()
        .lookups()
        .children(under, { ...(cursor === undefined ? {} : { cursor }), limit });
      return { ...page, items: [...page.items], position };
    },
  );

  for (const kind of ['committee', 'member', 'unit', 'grid', 'activity', 'project'] as const) {
    typed.get(
      `/v1/${PLURAL[kind]}`,
      {
        schema: {
          operationId: `list${kind[0]?.toUpperCase()}${kind.slice(1)}s`,
          tags: ['lists'],
          summary: `The ${PLURAL[kind]} of a region’s subtree`,
          security: SECURITY,
          querystring: z.strictObject({
            region: Id.optional(),
            cursor: Cursor,
            limit: Limit,
            minPosition: MinPosition,
          }),
          response: { 200: PageOf(Entity), ...problemResponses(400, 401, 403, 503) },
        },
        onRequest: guard(context, 'read'),
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { region, cursor, limit, minPosition } = request.query;
        const under = regionOrScope(principal.scope, region);
        if (under === null)
          throw problem(
            400,
            'invalid-request',
            'Name a region',
            'Give region=<id> (your token is not limited to one).',
            {
              errors: [{ field: 'query.region', message: 'required' }],
            },
          );
        await access.place(principal, under, 'query.region');
        const position = await reflect(context, minPosition, reply);
        const page = queries()
          .lookups()
          .list(kind, under, { ...(cursor === undefined ? {} : { cursor }), limit });
        return { ...page, items: [...page.items], position };
      },
    );
  }

  typed.get(
    '/v1/issues',
    {
      schema: {
        operationId: 'listIssues',
        tags: ['lists'],
        summary: 'Open issues of a region’s subtree by due date; status=overdue: those past due on a date',
        security: SECURITY,
        querystring: z.strictObject({
          region: Id.optional(),
          status: z.enum(['open', 'overdue']).default('open'),
          on: PlainDate.optional().describe('For overdue: the day (default today)'),
          cursor: Cursor,
          limit: Limit,
          minPosition: MinPosition,
        }),
        response: { 200: PageOf(Entity), ...problemResponses(400, 401, 403, 503) },
      },
      onRequest: guard(context, 'read'),
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { region, status, on, cursor, limit, minPosition } = request.query;
      const under = regionOrScope(principal.scope, region);
      if (under === null)
        throw problem(400, 'invalid-request', 'Name a region', 'Give region=<id>.', {
          errors: [{ field: 'query.region', message: 'required' }],
        });
      await access.place(principal, under, 'query.region');
      const position = await reflect(context, minPosition, reply);
      const page = queries()
        .lookups()
        .openIssues(under, {
          ...(status === 'overdue' ? { overdueOn: on ?? today() } : {}),
          ...(cursor === undefined ? {} : { cursor }),
          limit,
        });
      return { ...page, items: [...page.items], position };
    },
  );

  typed.get(
    '/v1/needs/unclaimed',
    {
      schema: {
        operationId: 'listUnclaimedNeeds',
        tags: ['lists'],
        summary: 'Needs and micro-wishes of a region’s subtree that nobody has claimed, oldest first',
        security: SECURITY,
        querystring: z.strictObject({
          region: Id.optional(),
          cursor: Cursor,
          limit: Limit,
          minPosition: MinPosition,
        }),
        response: { 200: PageOf(Entity), ...problemResponses(400, 401, 403, 503) },
      },
      onRequest: guard(context, 'read'),
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { region, cursor, limit, minPosition } = request.query;
      const under = regionOrScope(principal.scope, region);
      if (under === null)
        throw problem(400, 'invalid-request', 'Name a region', 'Give region=<id>.', {
          errors: [{ field: 'query.region', message: 'required' }],
        });
      await access.place(principal, under, 'query.region');
      const position = await reflect(context, minPosition, reply);
      const page = queries()
        .lookups()
        .unclaimed(under, { ...(cursor === undefined ? {} : { cursor }), limit });
      return { ...page, items: [...page.items], position };
    },
  );

  typed.get(
    '/v1/leaderboard',
    {
      schema: {
        operationId: 'getLeaderboard',
        tags: ['lists'],
        summary: 'The members of a region’s subtree with the most points in a year',
        security: SECURITY,
        querystring: z.strictObject({
          region: Id.optional(),
          year: z.coerce.number().int().min(1949).max(2199).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20),
          minPosition: MinPosition,
        }),
        response: {
          200: z.object({
            year: z.number().int(),
            items: z.array(z.object({ memberId: z.string(), name: z.string(), points: z.number() })),
            position: z.number().int(),
          }),
          ...problemResponses(400, 401, 403, 503),
        },
      },
      onRequest: guard(context, 'read'),
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { region, year, limit, minPosition } = request.query;
      const under = regionOrScope(principal.scope, region);
      if (under === null)
        throw problem(400, 'invalid-request', 'Name a region', 'Give region=<id>.', {
          errors: [{ field: 'query.region', message: 'required' }],
        });
      await access.place(principal, under, 'query.region');
      const position = await reflect(context, minPosition, reply);
      const y = year ?? Number(today().slice(0, 4));
      return { year: y, items: [...queries().lookups().leaderboard(y, under, limit)], position };
    },
  );
};
