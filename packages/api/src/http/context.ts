import type { AggregateName } from '@cogov/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { problem } from '../problems/registry.ts';
import type { Runtime } from '../runtime.ts';
import type { RegionAccess } from './access.ts';
import { authorize, type Authenticator, type Permission, type Principal } from './auth.ts';
import type { Metrics } from './metrics.ts';

/** What every route plugin is given. */
export interface HttpContext {
  readonly runtime: Runtime;
  readonly auth: Authenticator;
  readonly access: RegionAccess;
  readonly metrics: Metrics;
}

/** The options every route plugin is registered with. */
export interface RoutesOptions {
  readonly context: HttpContext;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** An onRequest hook: the bearer token must be known and its role allow `permission`. */
export const guard =
  (context: HttpContext, permission: Permission) =>
  (request: FastifyRequest): Promise<void> => {
    try {
      const principal = context.auth.authenticate(request.headers.authorization);
      authorize(principal, permission);
      // Operating the server concerns every region: only an unscoped admin token may.
      if (permission === 'admin' && principal.scope !== '*')
        throw problem(
          'out-of-scope',
          'Operating the server needs an admin token for every region (scope *).',
        );
      request.principal = principal;
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };

export const principalOf = (request: FastifyRequest): Principal => {
  if (request.principal === null) throw new Error('route without a guard');
  return request.principal;
};

/** The aggregates' URL segments. */
export const PLURAL: Readonly<Record<AggregateName, string>> = {
  region: 'regions',
  committee: 'committees',
  member: 'members',
  unit: 'units',
  grid: 'grids',
  issue: 'issues',
  project: 'projects',
  activity: 'activities',
};
export const idField = (aggregate: AggregateName) => `${aggregate}Id`;

/** `AppointMember` → `appoint-member`. */
export const kebab = (type: string) =>
  type.replace(/[A-Z]/g, (c, i: number) => `${i === 0 ? '' : '-'}${c.toLowerCase()}`);

export const SECURITY = [{ bearer: [] }];

/** `minPosition`: the log position the caller has written and wants to read back. */
export const MinPosition = z.coerce
  .number()
  .int()
  .min(-1)
  .max(Number.MAX_SAFE_INTEGER)
  .optional()
  .describe('Wait (bounded) until the read models reflect this log position: read your own writes');

/**
 * Read-your-writes: waits until every read model reflects `minPosition`, or answers 503 naming how
 * far they are. Returns the position the answer will reflect.
 */
export const reflect = async (context: HttpContext, minPosition: number | undefined, reply: FastifyReply) => {
  const { readModels, config } = context.runtime;
  if (minPosition !== undefined && !(await readModels.waitFor(minPosition, config.minPositionWaitMs))) {
    const reached = readModels.projector.minimumPosition();
    throw problem(
      'read-model-behind',
      `Asked for position ${minPosition}; the read models reflect ${reached} after waiting ${config.minPositionWaitMs} ms. Retry shortly.`,
      {
        errors: [{ field: 'query.minPosition', message: 'not reached yet' }],
        details: { reached },
        headers: { 'retry-after': '1' },
      },
    );
  }
  const position = readModels.projector.minimumPosition();
  void reply.header('x-cogov-position', String(position));
  return position;
};
