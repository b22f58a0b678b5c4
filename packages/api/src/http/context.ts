import type { AggregateName } from '@cogov/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Runtime } from '../runtime.ts';
import type { AnswerCache } from './answers.ts';
import { authorize, type Authenticator, type Permission, type Principal, type RegionAccess } from './auth.ts';
import type { Metrics } from './metrics.ts';
import { problem } from './problems.ts';

/** What every route module shares. */
export interface HttpContext {
  readonly runtime: Runtime;
  readonly answers: AnswerCache;
  readonly auth: Authenticator;
  readonly access: RegionAccess;
  readonly metrics: Metrics;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** A preHandler: the bearer token must be known and its role allow `permission`. */
export const guard =
  (context: HttpContext, permission: Permission) =>
  (request: FastifyRequest): Promise<void> => {
    try {
      const principal = context.auth.authenticate(request.headers.authorization);
      authorize(principal, permission);
      // Operating the server concerns every region: only an unscoped admin token may.
      if (permission === 'admin' && principal.scope !== '*')
        throw problem(
          403,
          'out-of-scope',
          'Outside your region',
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

/** The aggregates' URL segments and id fields. */
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
      503,
      'read-model-behind',
      'The read models have not caught up yet',
      `Asked for position ${minPosition}; the read models reflect ${reached} after waiting ${config.minPositionWaitMs} ms. Retry shortly.`,
      { errors: [{ field: 'query.minPosition', message: 'not reached yet' }], details: { reached } },
      { 'retry-after': '1' },
    );
  }
  const position = readModels.projector.minimumPosition();
  void reply.header('x-cogov-position', String(position));
  return position;
};
