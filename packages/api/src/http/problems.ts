import {
  isCommandIdReused,
  isDamagedRecord,
  isConcurrencyExhausted,
  isInvalidAppend,
  isStoreClosed,
  isStoreUnavailable,
  isWrongExpectedRevision,
  type Rejection,
} from '@cogov/domain';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** An RFC 9457 problem detail, with cogov's extensions: the domain's code and the fields at fault. */
export const Problem = z
  .object({
    type: z.string().describe('A URN naming the kind of problem: urn:cogov:problem:<kind>[:<code>]'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    code: z
      .string()
      .optional()
      .describe('The domain rejection code (see docs/errors.md), when the rules refused'),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe('The offending fields, as `body.appointedOn`, `query.from`, `header.if-match`…'),
    details: z.unknown().optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof Problem>;

export const PROBLEM_TYPE = 'application/problem+json';

/** A problem to answer with; thrown by handlers and hooks, rendered by the error handler. */
export class HttpProblem extends Error {
  readonly _tag = 'HttpProblem';
  constructor(
    readonly problem: Problem,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(problem.detail);
  }
}

export const isHttpProblem = (error: unknown): error is HttpProblem =>
  typeof error === 'object' && error !== null && (error as { _tag?: unknown })._tag === 'HttpProblem';

export const problem = (
  status: number,
  kind: string,
  title: string,
  detail: string,
  extra: Partial<Problem> = {},
  headers: Readonly<Record<string, string>> = {},
): HttpProblem =>
  new HttpProblem({ type: `urn:cogov:problem:${kind}`, title, status, detail, ...extra }, headers);

/** The same Idempotency-Key with another request (another record or another body). */
export const keyReused = (): HttpProblem =>
  problem(
    422,
    'idempotency-key-reused',
    'This Idempotency-Key was used for another request',
    'Use a new key for a different request.',
    { errors: [{ field: 'header.idempotency-key', message: 'used for another request' }] },
  );

/**
 * A command the domain's rules refused: 422 with its stable code. The fields at fault are the
 * rejection's own `field` and any detail named like a field of the command.
 */
export const rejectionProblem = (rejection: Rejection, commandFields: readonly string[] = []): Problem => {
  const details = rejection.details;
  const named = new Set<string>();
  if (typeof details['field'] === 'string') named.add(details['field']);
  for (const key of Object.keys(details)) if (commandFields.includes(key)) named.add(key);
  return {
    type: `urn:cogov:problem:rejected:${rejection.code}`,
    title: 'The rules refused this command',
    status: 422,
    detail: rejection.message,
    code: rejection.code,
    ...(named.size === 0
      ? {}
      : { errors: [...named].map((field) => ({ field: `body.${field}`, message: rejection.message })) }),
    details,
  };
};

const send = (reply: FastifyReply, request: FastifyRequest, error: HttpProblem) => {
  for (const [name, value] of Object.entries(error.headers)) void reply.header(name, value);
  return reply
    .code(error.problem.status)
    .type(PROBLEM_TYPE)
    .serializer((payload: unknown) => JSON.stringify(payload))
    .send({ ...error.problem, instance: request.url });
};

/** Fastify's validation contexts as the places of a request. */
const LOCATIONS: Readonly<Record<string, string>> = {
  querystring: 'query',
  headers: 'header',
  params: 'path',
  body: 'body',
};

/** Fastify's own client errors, by code, as problems. */
const FASTIFY_PROBLEMS: Readonly<Record<string, [number, string, string]>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body-too-large', 'The body is larger than this server accepts'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported-media-type', 'Send the body as application/json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid-request', 'The Content-Length does not match the body'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid-request', 'The body is empty; send a JSON object'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'malformed-json', 'The body is not valid JSON'],
  FST_ERR_BAD_URL: [400, 'invalid-request', 'The URL is not valid'],
};

/**
 * Every error as application/problem+json: validation (400, naming each field), domain and
 * concurrency outcomes, fastify's own client errors, and anything unexpected (500, logged, with
 * nothing internal in the body).
 */
export const errorHandler = (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
  if (isHttpProblem(error)) return send(reply, request, error);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const { validation, validationContext } = error as unknown as {
      readonly validation: readonly {
        instancePath: string;
        keyword: string;
        message: string;
        params: unknown;
      }[];
      readonly validationContext?: string;
    };
    // Named as the docs name them: query.from, header.if-match, path.committeeId, body.name.
    const where = LOCATIONS[validationContext ?? ''] ?? 'request';
    const errors = validation.map((issue) => {
      const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
      const params = issue.params as { keys?: unknown };
      const unknownKeys =
        issue.keyword === 'unrecognized_keys' && Array.isArray(params.keys) ? (params.keys as string[]) : [];
      if (unknownKeys.length > 0)
        return unknownKeys.map((key) => ({
          field: `${where}.${path === '' ? '' : `${path}.`}${key}`,
          message: 'unknown field',
        }));
      return [{ field: path === '' ? where : `${where}.${path}`, message: issue.message }];
    });
    return send(
      reply,
      request,
      problem(
        400,
        'invalid-request',
        'The request is not valid',
        `Invalid ${where}: ${errors
          .flat()
          .map((e) => `${e.field} (${e.message})`)
          .join('; ')}`,
        {
          errors: errors.flat(),
        },
      ),
    );
  }
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
    return send(
      reply,
      request,
      problem(500, 'internal', 'Internal error', 'The server could not produce a valid response.'),
    );
  }
  if (isWrongExpectedRevision(error)) {
    return send(
      reply,
      request,
      problem(
        412,
        'precondition-failed',
        'The record changed since you read it',
        `If-Match expected revision ${String(error.expected)}, but the record is at ${error.actual === -1 ? 'no revision (it does not exist)' : error.actual}. Read it again and retry.`,
        {
          errors: [{ field: 'header.if-match', message: 'stale revision' }],
          details: { currentRevision: error.actual },
        },
        error.actual >= 0 ? { etag: `"${error.actual}"` } : {},
      ),
    );
  }
  if (isCommandIdReused(error)) return send(reply, request, keyReused());
  if (isDamagedRecord(error)) {
    request.log.error({ err: error }, 'damaged log record');
    return send(
      reply,
      request,
      problem(
        500,
        'damaged-record',
        'A record of the log is damaged',
        `${error.message}. Nothing was read from it or written; an operator can find every damaged record with cogov verify and restore them from a backup.`,
        { details: { position: error.position, streamId: error.streamId } },
      ),
    );
  }
  if (isConcurrencyExhausted(error))
    return send(
      reply,
      request,
      problem(
        409,
        'conflict',
        'Too many concurrent changes',
        `${error.message}; retry.`,
        {},
        { 'retry-after': '1' },
      ),
    );
  if (isStoreUnavailable(error) || isStoreClosed(error)) {
    request.log.error({ err: error }, 'event store unavailable');
    return send(
      reply,
      request,
      problem(
        503,
        'store-unavailable',
        'The event store is unavailable',
        'Nothing was written. Retry later.',
        {},
        { 'retry-after': '5' },
      ),
    );
  }
  if ((error as { _tag?: unknown })._tag === 'InvalidCursor')
    return send(
      reply,
      request,
      problem(400, 'invalid-request', 'The cursor is not valid', error.message, {
        errors: [{ field: 'query.cursor', message: 'not a cursor this list gave' }],
      }),
    );
  if (isInvalidAppend(error))
    return send(
      reply,
      request,
      problem(400, 'invalid-request', 'The request cannot be recorded', error.message),
    );
  const code = (error as { code?: unknown }).code;
  const known = typeof code === 'string' ? FASTIFY_PROBLEMS[code] : undefined;
  if (known !== undefined) return send(reply, request, problem(known[0], known[1], known[2], error.message));
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500)
    return send(
      reply,
      request,
      problem(status, 'invalid-request', 'The request is not valid', error.message),
    );
  request.log.error({ err: error }, 'unexpected error');
  return send(
    reply,
    request,
    problem(500, 'internal', 'Internal error', 'Something went wrong on the server; nothing was written.'),
  );
};

export const notFoundHandler = (request: FastifyRequest, reply: FastifyReply) =>
  send(
    reply,
    request,
    problem(
      404,
      'not-found',
      'No such route',
      `${request.method} ${request.url.split('?')[0] ?? ''} is not a route of this API (see /docs).`,
    ),
  );

/** The problems a route can answer with, for its OpenAPI description. */
export const problemResponses = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [status, Problem.describe(PROBLEM_DESCRIPTIONS[status] ?? 'Problem')]),
  );

const PROBLEM_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'Invalid request (the fields at fault are named)',
  401: 'No or unknown bearer token',
  403: 'The token may not do this, or not in this region',
  404: 'Not found',
  409: 'Conflict (an Idempotency-Key in use, or a changed record)',
  412: 'If-Match names a revision the record is no longer at',
  413: 'Body too large',
  415: 'Unsupported media type',
  422: 'The rules refused the command (see code)',
  503: 'Unavailable (store down, or the read models behind minPosition)',
};
