import { AGGREGATES, streamIdOf, type AggregateName, type StreamRevision } from '@cogov/domain';
import type { FastifyPluginCallback } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize } from '../../http/auth.ts';
import { guard, idField, PLURAL, principalOf, SECURITY, type RoutesOptions } from '../../http/context.ts';
import { plain } from '../../http/plain.ts';
import { Id, KnownAt, Limit } from '../../http/schemas.ts';
import { problem, problemResponses } from '../../problems/registry.ts';

const Revision = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const RecordedEvent = z.object({
  revision: z.number().int(),
  position: z.number().int(),
  type: z.string(),
  schemaVersion: z
    .number()
    .int()
    .describe('The version of the shape of `data`: always the current one (older events are lifted on read)'),
  data: z.unknown(),
  eventId: z.string(),
  recordedAt: z.string().describe('When the store recorded it (ISO 8601)'),
  actor: z.string().nullable(),
  correlationId: z.string().nullable(),
  causationId: z.string().nullable(),
});

const capitalised = (name: string) => `${name[0]?.toUpperCase() ?? ''}${name.slice(1)}`;

/** Every record's state (now, at a revision, or as recorded at a time) and its events. */
export const recordRoutes: FastifyPluginCallback<RoutesOptions> = (app, { context }, done) => {
  const { runtime, access } = context;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  for (const aggregate of Object.keys(AGGREGATES) as AggregateName[]) {
    const id = idField(aggregate);
    const field = `path.${id}`;
    const targetOf = (params: unknown) => (params as Readonly<Record<string, string>>)[id] ?? '';
    const missing = (target: string, knownAt?: string) =>
      problem(
        'not-found',
        `There is no ${aggregate} ${target}${knownAt === undefined ? '' : ` as recorded at ${knownAt}`}.`,
      );

    typed.get(
      `/v1/${PLURAL[aggregate]}/:${id}`,
      {
        schema: {
          operationId: `get${capitalised(aggregate)}`,
          tags: ['audit'],
          summary: `A ${aggregate}’s state now, at a revision, or as recorded at a time`,
          description:
            'The state folded from its events (the ETag is its revision: send it as If-Match). atRevision and knownAt are audits (auditor or admin).',
          security: SECURITY,
          params: z.object({ [id]: Id }),
          querystring: z.strictObject({ atRevision: Revision.optional(), knownAt: KnownAt.optional() }),
          response: {
            200: z.object({ streamId: z.string(), revision: z.number().int(), state: z.unknown() }),
            ...problemResponses(
              'invalid-request',
              'unauthorized',
              'forbidden',
              'out-of-scope',
              'not-found',
              'damaged-record',
            ),
          },
        },
        onRequest: guard(context, 'read'),
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const target = targetOf(request.params);
        const { atRevision, knownAt } = request.query;
        if (atRevision !== undefined || knownAt !== undefined) authorize(principal, 'audit');
        const exists = await access.requireRecord(principal, aggregate, target, field);
        const loaded =
          atRevision === undefined && knownAt === undefined
            ? await runtime.cogov.load(aggregate, target)
            : await runtime.cogov.loadAt(aggregate, target, {
                ...(atRevision === undefined ? {} : { revision: atRevision as StreamRevision }),
                ...(knownAt === undefined ? {} : { recordedAt: new Date(knownAt) }),
              });
        if (loaded.revision === -1 && !exists) throw missing(target, knownAt);
        void reply.header('etag', `"${loaded.revision}"`);
        return {
          streamId: streamIdOf(aggregate, target),
          revision: loaded.revision,
          state: plain(loaded.state),
        };
      },
    );

    typed.get(
      `/v1/${PLURAL[aggregate]}/:${id}/events`,
      {
        schema: {
          operationId: `list${capitalised(aggregate)}Events`,
          tags: ['audit'],
          summary: `A ${aggregate}’s events: what was recorded, when and by whom`,
          security: SECURITY,
          params: z.object({ [id]: Id }),
          querystring: z.strictObject({ fromRevision: Revision.default(0), limit: Limit }),
          response: {
            200: z.object({
              streamId: z.string(),
              events: z.array(RecordedEvent),
              nextRevision: z
                .number()
                .int()
                .nullable()
                .describe('fromRevision of the next page; null on the last'),
            }),
            ...problemResponses(
              'invalid-request',
              'unauthorized',
              'forbidden',
              'out-of-scope',
              'not-found',
              'damaged-record',
            ),
          },
        },
        onRequest: guard(context, 'audit'),
      },
      async (request) => {
        const target = targetOf(request.params);
        const { fromRevision, limit } = request.query;
        const exists = await access.requireRecord(principalOf(request), aggregate, target, field);
        const streamId = streamIdOf(aggregate, target);
        const events = await runtime.store.readStream(streamId, {
          fromRevision: fromRevision as StreamRevision,
          toRevision: (fromRevision + limit) as StreamRevision,
        });
        if (events.length === 0 && !exists && fromRevision === 0) throw missing(target);
        return {
          streamId,
          events: events.slice(0, limit).map((e) => ({
            revision: e.revision,
            position: e.position,
            type: e.type,
            data: e.data,
            eventId: e.eventId,
            recordedAt: e.recordedAt.toISOString(),
            actor: e.metadata.actor ?? null,
            correlationId: e.metadata.correlationId ?? null,
            causationId: e.metadata.causationId ?? null,
            schemaVersion: e.metadata.schemaVersion,
          })),
          nextRevision: events.length > limit ? fromRevision + limit : null,
        };
      },
    );
  }
  done();
};
