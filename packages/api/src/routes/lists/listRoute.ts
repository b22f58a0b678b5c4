import type { LookupQueries, Page, Entity as EntityRecord } from '@cogov/projections';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { guard, MinPosition, principalOf, reflect, SECURITY, type HttpContext } from '../../http/context.ts';
import { Cursor, Entity, Id, Limit, PageOf } from '../../http/schemas.ts';
import { problem, problemResponses } from '../../problems/registry.ts';

/** What one paged list says about itself and how it reads a page. */
export interface ListDefinition<Q extends z.ZodRawShape> {
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  /** Query parameters of its own, beside region, cursor, limit and minPosition. */
  readonly query: Q;
  readonly page: (
    lookups: LookupQueries,
    region: string,
    query: z.infer<z.ZodObject<Q>>,
    paging: { readonly cursor?: string; readonly limit: number },
  ) => Page<EntityRecord>;
}

/**
 * A paged list of a region's subtree: the region is the query's `region`, else the token's own;
 * it must be in the token's scope; the page reflects (and can wait for) a log position; the
 * cursor is the one the previous page gave (the lookups refuse any other).
 */
export const listRoute = <Q extends z.ZodRawShape>(
  app: FastifyInstance,
  context: HttpContext,
  list: ListDefinition<Q>,
) =>
  app.withTypeProvider<ZodTypeProvider>().get(
    list.path,
    {
      schema: {
        operationId: list.operationId,
        tags: ['lists'],
        summary: list.summary,
        security: SECURITY,
        querystring: z.strictObject({
          region: Id.optional().describe('The region whose subtree to list (default: your token’s region)'),
          ...list.query,
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
      const query = request.query as {
        region?: string;
        cursor?: string;
        limit: number;
        minPosition?: number;
      };
      const region = query.region ?? (principal.scope === '*' ? undefined : principal.scope);
      if (region === undefined)
        throw problem('invalid-request', 'Give region=<id> (your token is not limited to one).', {
          errors: [{ field: 'query.region', message: 'required' }],
        });
      await context.access.place(principal, region, 'query.region');
      const position = await reflect(context, query.minPosition, reply);
      const page = list.page(
        context.runtime.readModels.lookups(),
        region,
        request.query as z.infer<z.ZodObject<Q>>,
        {
          ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
          limit: query.limit,
        },
      );
      return { items: [...page.items], nextCursor: page.nextCursor, position };
    },
  );
