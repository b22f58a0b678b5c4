import { dateInZone, PlainDate } from '@cogov/domain';
import type { FastifyPluginCallback } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  guard,
  MinPosition,
  PLURAL,
  principalOf,
  reflect,
  SECURITY,
  type RoutesOptions,
} from '../../http/context.ts';
import { Cursor, Entity, Id, Limit, PageOf } from '../../http/schemas.ts';
import { problem, problemResponses } from '../../problems/registry.ts';
import { listRoute } from './listRoute.ts';

/** Regions, records of a subtree, open issues, unclaimed needs, the points leaderboard. */
export const listRoutes: FastifyPluginCallback<RoutesOptions> = (app, { context }, done) => {
  const { runtime, access } = context;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const today = () => dateInZone(new Date(), runtime.policy.timeZone);

  typed.get(
    '/v1/regions',
    {
      schema: {
        operationId: 'listRegions',
        tags: ['lists'],
        summary:
          'The regions directly under a region (default: your token’s region; for an unscoped token, the roots)',
        security: SECURITY,
        querystring: z.strictObject({
          parent: Id.optional(),
          cursor: Cursor.optional(),
          limit: Limit,
          minPosition: MinPosition,
        }),
        response: {
          200: PageOf(Entity),
          ...problemResponses(
            'invalid-request',
            'unauthorized',
            'forbidden',
            'out-of-scope',
            'not-found',
            'read-model-behind',
          ),
        },
      },
      onRequest: guard(context, 'read'),
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { parent, cursor, limit, minPosition } = request.query;
      const under = parent ?? (principal.scope === '*' ? null : principal.scope);
      if (under !== null) await access.place(principal, under, 'query.parent');
      const position = await reflect(context, minPosition, reply);
      const lookups = runtime.readModels.lookups();
      // A scoped token asking for "the roots" gets its own region.
      if (parent === undefined && principal.scope !== '*') {
        const own = lookups.entity('region', principal.scope);
        return { items: own === undefined ? [] : [own], nextCursor: null, position };
      }
      const page = lookups.children(under, { ...(cursor === undefined ? {} : { cursor }), limit });
      return { items: [...page.items], nextCursor: page.nextCursor, position };
    },
  );

  for (const kind of ['committee', 'member', 'unit', 'grid', 'activity', 'project'] as const)
    listRoute(app, context, {
      path: `/v1/${PLURAL[kind]}`,
      operationId: `list${kind[0]?.toUpperCase() ?? ''}${kind.slice(1)}s`,
      summary: `The ${PLURAL[kind]} of a region’s subtree`,
      query: {},
      page: (lookups, region, _query, paging) => lookups.list(kind, region, paging),
    });

  listRoute(app, context, {
    path: '/v1/issues',
    operationId: 'listIssues',
    summary: 'Open issues of a region’s subtree by due date; status=overdue: those past due on a date',
    query: {
      status: z.enum(['open', 'overdue']).default('open'),
      on: PlainDate.optional().describe('For overdue: the day (default today); due before it, still open'),
    },
    page: (lookups, region, query, paging) =>
      lookups.openIssues(region, {
        ...(query.status === 'overdue' ? { overdueOn: query.on ?? today() } : {}),
        ...paging,
      }),
  });

  listRoute(app, context, {
    path: '/v1/needs/unclaimed',
    operationId: 'listUnclaimedNeeds',
    summary: 'Needs and micro-wishes of a region’s subtree that nobody has claimed, oldest first',
    query: {},
    page: (lookups, region, _query, paging) => lookups.unclaimed(region, paging),
  });

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
          ...problemResponses(
            'invalid-request',
            'unauthorized',
            'forbidden',
            'out-of-scope',
            'not-found',
            'read-model-behind',
          ),
        },
      },
      onRequest: guard(context, 'read'),
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { region, year, limit, minPosition } = request.query;
      const under = region ?? (principal.scope === '*' ? undefined : principal.scope);
      if (under === undefined)
        throw problem('invalid-request', 'Give region=<id> (your token is not limited to one).', {
          errors: [{ field: 'query.region', message: 'required' }],
        });
      await access.place(principal, under, 'query.region');
      const position = await reflect(context, minPosition, reply);
      const y = year ?? Number(today().slice(0, 4));
      return { year: y, items: [...runtime.readModels.lookups().leaderboard(y, under, limit)], position };
    },
  );
  done();
};
