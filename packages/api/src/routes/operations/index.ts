import type { FastifyPluginCallback } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { GRANTS } from '../../http/auth.ts';
import { guard, principalOf, SECURITY, type RoutesOptions } from '../../http/context.ts';
import { problem, problemResponses } from '../../problems/registry.ts';

const Readiness = z
  .enum(['ok', 'catching-up', 'stalled', 'failed'])
  .describe(
    'ok: every read model that answers queries has caught up with the log; stalled: one cannot be written (a full disk) and retries until it can, losing and skipping nothing; failed: one has stopped on an event it cannot apply (details: GET /v1/admin/status)',
  );
const StallSchema = z
  .object({
    since: z.string().describe('When the first attempt failed'),
    attempts: z.number().int(),
    error: z.string().describe('What the last attempt failed with'),
  })
  .nullable()
  .describe('Writing has failed on storage (a full disk); the same batch is tried again until it commits');
/** What anyone may know without a token: whether to send traffic here, and how far it is. */
const LogIntegrity = z
  .enum(['verified', 'verifying', 'broken', 'unchecked'])
  .describe(
    'The background verification of the log’s hash chain: verified up to the last check, verifying (at start), broken (a record is damaged or altered: GET /v1/audit/verify says where), unchecked (a KurrentDB log)',
  );
const Ready = z.object({
  status: Readiness,
  logPosition: z.number().int(),
  readModelsPosition: z.number().int().describe('The lowest log position every read model reflects'),
  log: LogIntegrity,
  brokenAt: z.number().int().nullable().describe('Where the log’s chain breaks, when it does'),
});
const Status = z.object({
  status: Readiness,
  store: z.enum(['lmdb', 'kurrentdb']),
  logPosition: z.number().int(),
  projections: z.array(
    z.object({
      projection: z.string(),
      role: z.string(),
      version: z.number().int(),
      state: z.string(),
      position: z.number().int(),
      failure: z.unknown(),
      stall: StallSchema,
    }),
  ),
  processManager: z.unknown(),
  integrity: z
    .object({
      state: LogIntegrity,
      verifiedTo: z.number().int(),
      checkedAt: z.string().nullable(),
      break: z.unknown(),
    })
    .describe('The background verification of the log'),
});

/** Health, readiness, Prometheus metrics, and the operators' routes. */
export const operationRoutes: FastifyPluginCallback<RoutesOptions> = (app, { context }, done) => {
  const { runtime, metrics } = context;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  // Readiness is that of the slots answering queries: a rebuild that failed beside them changes nothing.
  const integrity = () => runtime.integrity?.status() ?? null;
  const readiness = () => {
    const active = runtime.readModels.projector.status().filter((p) => p.role === 'active');
    if (active.some((p) => p.state === 'failed')) return 'failed' as const;
    if (
      active.some((p) => p.stall !== null) ||
      (runtime.readModels.processManager?.status().stall ?? null) !== null
    )
      return 'stalled' as const;
    return runtime.readModels.ready() ? ('ok' as const) : ('catching-up' as const);
  };

  typed.get(
    '/healthz',
    {
      schema: {
        operationId: 'health',
        tags: ['operations'],
        summary: 'The process is up (no token needed)',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    () => ({ status: 'ok' as const }),
  );

  typed.get(
    '/v1/me',
    {
      schema: {
        operationId: 'whoAmI',
        tags: ['operations'],
        summary: 'The token’s name, role, region scope and what the role may do',
        description:
          'For clients such as the dashboard, which shows auditors the "as known at" pickers and keeps to the token’s region.',
        security: SECURITY,
        querystring: z.strictObject({}),
        response: {
          200: z.object({
            name: z.string(),
            role: z.string(),
            scope: z.string().describe('A region id, or * for everywhere'),
            permissions: z.array(z.string()),
          }),
          ...problemResponses('unauthorized'),
        },
      },
      onRequest: guard(context, 'read'),
    },
    (request) => {
      const { name, role, scope } = principalOf(request);
      return { name, role, scope, permissions: [...GRANTS[role]] };
    },
  );

  typed.get(
    '/readyz',
    {
      schema: {
        operationId: 'ready',
        tags: ['operations'],
        summary:
          'Ready when every read model has caught up with the log and the log’s chain is not broken (no token needed)',
        description:
          'Status and positions only; what failed, where, is for operators at GET /v1/admin/status. A broken chain answers 503 whatever the read models: records may be damaged or altered.',
        response: { 200: Ready, 503: Ready },
      },
    },
    async (_request, reply) => {
      const log = integrity();
      const now = {
        status: readiness(),
        logPosition: (await runtime.store.lastPosition()) ?? -1,
        readModelsPosition: runtime.readModels.projector.minimumPosition(),
        log: log?.state ?? ('unchecked' as const),
        brokenAt: log?.break?.position ?? null,
      };
      return reply.code(now.status === 'ok' && now.log !== 'broken' ? 200 : 503).send(now);
    },
  );

  typed.get(
    '/metrics',
    {
      schema: {
        operationId: 'metrics',
        tags: ['operations'],
        summary: 'Prometheus metrics: append rate, projection positions and lag, HTTP latency (admin)',
        security: SECURITY,
        querystring: z.strictObject({}),
        produces: ['text/plain'],
        response: { 200: z.string(), ...problemResponses('unauthorized', 'forbidden', 'out-of-scope') },
      },
      onRequest: guard(context, 'admin'),
    },
    async (_request, reply) => {
      const text = await metrics.registry.metrics();
      return reply
        .type(metrics.registry.contentType)
        .serializer((payload: unknown) => String(payload))
        .send(text);
    },
  );

  typed.get(
    '/v1/admin/status',
    {
      schema: {
        operationId: 'adminStatus',
        tags: ['operations'],
        summary:
          'Every projection’s state and position (with what stopped or stalled it), and the points process manager’s',
        security: SECURITY,
        querystring: z.strictObject({}),
        response: { 200: Status, ...problemResponses('unauthorized', 'forbidden', 'out-of-scope') },
      },
      onRequest: guard(context, 'admin'),
    },
    async () => ({
      status: readiness(),
      store: runtime.storeKind,
      logPosition: (await runtime.store.lastPosition()) ?? -1,
      projections: runtime.readModels.projector.status().map((p) => ({
        projection: p.projection,
        role: p.role,
        version: p.version,
        state: p.state,
        position: p.position,
        failure: p.failure,
        stall: p.stall,
      })),
      processManager: runtime.readModels.processManager?.status() ?? null,
      integrity: integrity() ?? { state: 'unchecked' as const, verifiedTo: -1, checkedAt: null, break: null },
    }),
  );

  typed.post(
    '/v1/admin/projections/:projection/rebuild',
    {
      schema: {
        operationId: 'rebuildProjection',
        tags: ['operations'],
        summary: 'Rebuilds a read model beside the running one, compares them and switches (admin)',
        security: SECURITY,
        params: z.object({ projection: z.enum(['statistics', 'membership', 'lookups']) }),
        response: {
          200: z.object({
            projection: z.string(),
            differences: z.number().int(),
            comparedAt: z.object({ active: z.number().int(), rebuilt: z.number().int() }),
            samples: z.array(z.unknown()),
          }),
          ...problemResponses(
            'invalid-request',
            'unauthorized',
            'forbidden',
            'out-of-scope',
            'rebuild-failed',
          ),
        },
      },
      onRequest: guard(context, 'admin'),
    },
    async (request) => {
      try {
        const report = await runtime.readModels.projector.rebuild(request.params.projection);
        return { ...report, samples: [...report.samples] };
      } catch (error) {
        throw problem('rebuild-failed', error instanceof Error ? error.message : String(error));
      }
    },
  );
  done();
};
