import {
  isCommandIdReused,
  isConcurrencyExhausted,
  isDamagedRecord,
  isInvalidAppend,
  isStoreClosed,
  isStoreUnavailable,
  isWrongExpectedRevision,
} from '@cogov/domain';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isHttpProblem, keyReused, problem, type HttpProblem, type ProblemKindName } from './registry.ts';

export const PROBLEM_TYPE = 'application/problem+json';

const send = (reply: FastifyReply, request: FastifyRequest, error: HttpProblem) => {
  for (const [name, value] of Object.entries(error.headers)) void reply.header(name, value);
  return reply
    .code(error.problem.status)
    .type(PROBLEM_TYPE)
    .serializer((payload: unknown) => JSON.stringify(payload))
    .send({ ...error.problem, instance: request.url });
};

/** Fastify's validation contexts as the places of a request, as the docs name them. */
const LOCATIONS: Readonly<Record<string, string>> = {
  querystring: 'query',
  headers: 'header',
  params: 'path',
  body: 'body',
};

/** Fastify's own client errors, by code, as problems. */
const FASTIFY_PROBLEMS: Readonly<Record<string, ProblemKindName>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid-request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid-request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed-json',
  FST_ERR_BAD_URL: 'invalid-request',
};

/** Validation errors of one place of a request, each naming its field (`query.from`). */
const validationProblem = (error: FastifyError) => {
  const where = LOCATIONS[error.validationContext ?? ''] ?? 'request';
  const errors = (error.validation ?? []).flatMap((issue) => {
    const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const params = issue.params as { keys?: unknown };
    const unknownKeys =
      issue.keyword === 'unrecognized_keys' && Array.isArray(params.keys) ? (params.keys as string[]) : [];
    if (unknownKeys.length > 0)
      return unknownKeys.map((key) => ({
        field: `${where}.${path === '' ? '' : `${path}.`}${key}`,
        message: 'unknown field',
      }));
    return [{ field: path === '' ? where : `${where}.${path}`, message: issue.message ?? 'not valid' }];
  });
  return problem(
    'invalid-request',
    `Invalid ${where}: ${errors.map((e) => `${e.field} (${e.message})`).join('; ')}`,
    { errors },
  );
};

/**
 * Every error as application/problem+json of a registered kind: validation (400, naming each
 * field), domain and concurrency outcomes, fastify's own client errors, and anything unexpected
 * (500, logged, with nothing internal in the body).
 */
export const errorHandler = (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
  if (isHttpProblem(error)) return send(reply, request, error);
  if (hasZodFastifySchemaValidationErrors(error)) return send(reply, request, validationProblem(error));
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
    return send(reply, request, problem('internal', 'The server could not produce a valid response.'));
  }
  if (isWrongExpectedRevision(error))
    return send(
      reply,
      request,
      problem(
        'precondition-failed',
        `If-Match expected revision ${String(error.expected)}, but the record is at ${error.actual === -1 ? 'no revision (it does not exist)' : error.actual}. Read it again and retry.`,
        {
          errors: [{ field: 'header.if-match', message: 'stale revision' }],
          details: { currentRevision: error.actual },
          headers: error.actual >= 0 ? { etag: `"${error.actual}"` } : {},
        },
      ),
    );
  if (isConcurrencyExhausted(error))
    return send(
      reply,
      request,
      problem('conflict', `${error.message}; retry.`, { headers: { 'retry-after': '1' } }),
    );
  if (isCommandIdReused(error)) return send(reply, request, keyReused());
  if (isDamagedRecord(error)) {
    request.log.error({ err: error }, 'damaged log record');
    return send(
      reply,
      request,
      problem(
        'damaged-record',
        `${error.message}. Nothing was read from it or written; an operator can find every damaged record with cogov verify and restore them from a backup.`,
        { details: { position: error.position, streamId: error.streamId } },
      ),
    );
  }
  if (isStoreUnavailable(error) || isStoreClosed(error)) {
    request.log.error({ err: error }, 'event store unavailable');
    return send(
      reply,
      request,
      problem('store-unavailable', 'Nothing was written. Retry later.', { headers: { 'retry-after': '5' } }),
    );
  }
  if ((error as { _tag?: unknown })._tag === 'InvalidCursor')
    return send(
      reply,
      request,
      problem('invalid-request', error.message, {
        errors: [{ field: 'query.cursor', message: 'not a cursor this list gave' }],
      }),
    );
  if (isInvalidAppend(error)) return send(reply, request, problem('invalid-request', error.message));
  const code = (error as { code?: unknown }).code;
  const known = typeof code === 'string' ? FASTIFY_PROBLEMS[code] : undefined;
  if (known !== undefined) return send(reply, request, problem(known, error.message));
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500)
    return send(reply, request, problem('invalid-request', error.message));
  request.log.error({ err: error }, 'unexpected error');
  return send(
    reply,
    request,
    problem('internal', 'Something went wrong on the server; nothing was written.'),
  );
};

export const notFoundHandler = (request: FastifyRequest, reply: FastifyReply) =>
  send(
    reply,
    request,
    problem(
      'not-found',
      `${request.method} ${request.url.split('?')[0] ?? ''} is not a route of this API (see /docs).`,
    ),
  );
