import { z } from 'zod';

/** One kind of problem the API answers with: its status, its title, and what it means for a client. */
export interface ProblemKind {
  readonly status: number;
  readonly title: string;
  readonly doc: string;
}

/**
 * Every problem the API answers with, besides the domain's refusals (`rejected`, one per rejection
 * code). The OpenAPI responses and docs/errors.md are generated from this registry; a handler can
 * only answer with a kind listed here. Each problem's `type` is `urn:cogov:problem:<kind>` and its
 * `code` the kind in capitals (`OUT_OF_SCOPE`); a refusal's `code` is the domain's.
 */
export const PROBLEM_KINDS = {
  'invalid-request': {
    status: 400,
    title: 'The request is not valid',
    doc: 'A parameter, header or body field is missing, malformed or out of range; `errors` names each (`query.from`, `header.if-match`, `path.committeeId`, `body.appointedOn`).',
  },
  'malformed-json': {
    status: 400,
    title: 'The body is not valid JSON',
    doc: 'The body could not be parsed as JSON.',
  },
  unauthorized: {
    status: 401,
    title: 'A known bearer token is required',
    doc: 'No `Authorization: Bearer <token>` header, or a token this server does not know.',
  },
  forbidden: {
    status: 403,
    title: 'Not allowed for this role',
    doc: 'The token’s role may not do this (a reader recording a fact, a clerk reading the past as it stood).',
  },
  'out-of-scope': {
    status: 403,
    title: 'Outside your region',
    doc: 'The token is limited to a region and what lies under it, and the request reaches a record outside it, or one that does not exist: the two look alike.',
  },
  'not-found': {
    status: 404,
    title: 'Not found',
    doc: 'No such route, region or record (for a token not limited to a region).',
  },
  conflict: {
    status: 409,
    title: 'Too many concurrent changes',
    doc: 'The record kept changing while the command was retried; send it again.',
  },
  'idempotency-key-in-use': {
    status: 409,
    title: 'A request with this Idempotency-Key is in progress',
    doc: 'Wait for the first request with the key to finish, then retry.',
  },
  'rebuild-failed': {
    status: 409,
    title: 'The rebuild did not complete',
    doc: 'A read model’s rebuild stopped (on a damaged record, say); the running version still serves.',
  },
  'precondition-failed': {
    status: 412,
    title: 'The record is not as the request expected',
    doc: '`If-Match` names a revision the record is no longer at (or `*` and it does not exist), or `If-None-Match: *` and it exists; `errors` names the header.',
  },
  'body-too-large': {
    status: 413,
    title: 'The body is larger than this server accepts',
    doc: 'See `bodyLimit` in the configuration.',
  },
  'unsupported-media-type': {
    status: 415,
    title: 'Send the body as JSON in UTF-8',
    doc: 'Bodies are `application/json` in UTF-8; another media type or charset is refused.',
  },
  rejected: {
    status: 422,
    title: 'The rules refused this command',
    doc: 'A rule of the domain refused the command; `code` is one of the rejection codes below and `errors` names the fields at fault. Nothing was written.',
  },
  'untrusted-checkpoint': {
    status: 422,
    title: 'The checkpoint cannot be trusted',
    doc: 'Its signature does not verify (a signed field was changed), or it was signed by another key than this installation’s; `details.problem` is `bad-signature` or `other-key`.',
  },
  'idempotency-key-reused': {
    status: 422,
    title: 'This Idempotency-Key was used for another request',
    doc: 'The key was first used with another record or another body, however long ago; use a new key for a new request.',
  },
  internal: {
    status: 500,
    title: 'Internal error',
    doc: 'Something went wrong on the server; nothing was written. It is logged with the request id.',
  },
  'damaged-record': {
    status: 500,
    title: 'A record of the log is damaged',
    doc: 'A record of the log does not read as written; the problem names its position and stream. Nothing was read from it or written.',
  },
  'not-supported': {
    status: 501,
    title: 'Not supported by this server’s store',
    doc: 'The route needs the embedded LMDB log (verification and checkpoints of the hash chain); this server keeps its log in KurrentDB.',
  },
  'store-unavailable': {
    status: 503,
    title: 'The event store is unavailable',
    doc: 'The log cannot be written (disk full, server down); nothing was written. Retry after `Retry-After`.',
  },
  'read-model-behind': {
    status: 503,
    title: 'The read models have not caught up yet',
    doc: 'A read with `minPosition` (or a check of an old Idempotency-Key) waited for the read models and they are still behind. Retry after `Retry-After`.',
  },
  'read-model-rebuilding': {
    status: 503,
    title: 'A read model this answer needs is being rebuilt',
    doc: 'The answer needs what only the new version of a read model keeps (statistics as known at an instant); the previous version serves everything else until the rebuild switches over. Retry after `Retry-After`.',
  },
} as const satisfies Record<string, ProblemKind>;

export type ProblemKindName = keyof typeof PROBLEM_KINDS;

/** The `code` of a problem of a kind: `out-of-scope` → `OUT_OF_SCOPE`. */
export const codeOf = (kind: ProblemKindName) => kind.toUpperCase().replaceAll('-', '_');

/** An RFC 9457 problem detail, with cogov's extensions: a stable code and the fields at fault. */
export const Problem = z
  .object({
    type: z.string().describe('urn:cogov:problem:<kind>, or urn:cogov:problem:rejected:<code> for a refusal'),
    title: z.string().describe('The same for every problem of a type'),
    status: z.number().int(),
    detail: z.string().describe('What happened here, for a person'),
    instance: z.string().optional(),
    code: z
      .string()
      .describe('Stable, to switch on: the kind in capitals (OUT_OF_SCOPE), or the domain’s rejection code'),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe(
        'The offending fields, as `body.appointedOn`, `query.from`, `header.if-match`, `path.committeeId`',
      ),
    details: z.unknown().optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof Problem>;

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

/** What a problem adds to its kind: the fields at fault, details, and response headers. */
export interface ProblemExtras {
  readonly errors?: readonly { readonly field: string; readonly message: string }[];
  readonly details?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A problem of a registered kind.
 *
 * @example
 * throw problem('invalid-request', 'from (2022-03-01) is after to (2022-01-01).', {
 *   errors: [{ field: 'query.from', message: 'after to' }],
 * });
 */
export const problem = (kind: ProblemKindName, detail: string, extras: ProblemExtras = {}): HttpProblem => {
  const { status, title } = PROBLEM_KINDS[kind];
  return new HttpProblem(
    {
      type: `urn:cogov:problem:${kind}`,
      title,
      status,
      detail,
      code: codeOf(kind),
      ...(extras.errors === undefined ? {} : { errors: [...extras.errors] }),
      ...(extras.details === undefined ? {} : { details: extras.details }),
    },
    extras.headers,
  );
};

/** The problems a route can answer with, as OpenAPI responses (one per status, naming the kinds). */
export const problemResponses = (...kinds: ProblemKindName[]) => {
  const byStatus = new Map<number, ProblemKindName[]>();
  for (const kind of kinds) {
    const { status } = PROBLEM_KINDS[kind];
    byStatus.set(status, [...(byStatus.get(status) ?? []), kind]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, names]) => [
      status,
      Problem.describe(names.map((k) => `${k}: ${PROBLEM_KINDS[k].title}`).join('; ')),
    ]),
  );
};

/** The same Idempotency-Key with another request (another record or another body). */
export const keyReused = (): HttpProblem =>
  problem('idempotency-key-reused', 'Use a new key for a different request.', {
    errors: [{ field: 'header.idempotency-key', message: 'used for another request' }],
  });
