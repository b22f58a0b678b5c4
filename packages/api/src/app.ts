import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { RegionAccess } from './http/access.ts';
import { Authenticator } from './http/auth.ts';
import type { HttpContext } from './http/context.ts';
import { jsonBodiesOnly, requestIdOf } from './http/input.ts';
import { Metrics } from './http/metrics.ts';
import { errorHandler, notFoundHandler } from './problems/handler.ts';
import { auditRoutes } from './routes/audits/index.ts';
import { commandRoutes } from './routes/commands/index.ts';
import { dashboardRoutes } from './routes/dashboard/index.ts';
import { listRoutes } from './routes/lists/index.ts';
import { operationRoutes } from './routes/operations/index.ts';
import { reportRoutes } from './routes/reports/index.ts';
import { statisticsRoutes } from './routes/statistics/index.ts';
import type { Runtime } from './runtime.ts';

export interface AppOptions {
  readonly runtime: Runtime;
  /** Fastify's logger (pino) options; false for none. */
  readonly logger?: FastifyServerOptions['logger'];
}

const DESCRIPTION = `Records and statistics of community co-governance: party committees widened with part-time members,
joint meetings, problem ledgers, co-construction activities, service projects, grid cells and member points.

Every route but /healthz, /readyz, /openapi.json and /docs needs \`Authorization: Bearer <token>\`; a token has a role
(reader, clerk, auditor, admin) and a region scope, and sees and changes only that region's subtree. Errors are
\`application/problem+json\` (RFC 9457) with a stable \`code\` and the fields at fault (docs/errors.md).

Dates: business dates are \`YYYY-MM-DD\` in the county's time zone; a period [from, to] includes both ends; an exit
effective on D ends the seat before D (as of D the person no longer sits). Instants (\`recordedAt\`, \`knownAt\`) are
ISO 8601 with a time zone.`;

/**
 * The HTTP API over a runtime, as fastify plugins: commands, statistics, audits, lists and
 * operations, validated and documented from the same zod schemas (OpenAPI 3.1 at /openapi.json,
 * an explorer at /docs).
 */
export const buildApp = async (options: AppOptions): Promise<FastifyInstance> => {
  const { runtime } = options;
  const { config } = runtime;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: config.bodyLimit,
    // X-Request-Id becomes the correlation id of what a request records: taken only when valid.
    requestIdHeader: false,
    genReqId: requestIdOf,
    // A client that sends half a request does not hold its connection: 408, then closed.
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.idleTimeoutMs,
    http: {
      headersTimeout: Math.min(60_000, config.requestTimeoutMs),
      connectionsCheckingInterval: Math.min(1_000, config.requestTimeoutMs / 2),
    },
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });
  jsonBodiesOnly(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  app.decorateRequest('principal', null);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'cogov', version: '0.1.0', description: DESCRIPTION },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      tags: [
        { name: 'statistics', description: 'Figures by region, committee, unit, member and period' },
        { name: 'audit', description: 'Rosters, histories, states and events as they stood at a time' },
        { name: 'lists', description: 'Regions, committees, members, issues, needs; cursor-paginated' },
        { name: 'operations', description: 'Health, readiness, metrics, rebuilds' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const context: HttpContext = {
    runtime,
    auth: new Authenticator(config.tokens),
    access: new RegionAccess(runtime.cogov, runtime.readModels),
    metrics: new Metrics(runtime),
  };
  app.addHook('onResponse', async (request, reply) => {
    context.metrics.httpDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });

  for (const routes of [
    commandRoutes,
    statisticsRoutes,
    reportRoutes,
    auditRoutes,
    listRoutes,
    operationRoutes,
  ])
    await app.register(routes, { context });
  await app.register(dashboardRoutes);
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
  return app;
};
