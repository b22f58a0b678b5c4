import {
  ADMIN_ONLY_COMMANDS,
  AGGREGATES,
  isStoreUnavailable,
  isWrongExpectedRevision,
  type ExecuteResult,
  type StreamRevision,
} from '@cogov/domain';
import { authorize } from '../../http/auth.ts';
import type { FastifyPluginCallback, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sha256 } from '../../config.ts';
import {
  guard,
  idField,
  kebab,
  PLURAL,
  principalOf,
  SECURITY,
  type RoutesOptions,
} from '../../http/context.ts';
import { rejectionProblem } from '../../problems/rejection.ts';
import { keyReused, problem, problemResponses, type Problem } from '../../problems/registry.ts';

export const CommandResult = z
  .object({
    streamId: z.string(),
    revision: z.number().int().describe('The stream revision after the command (send it back as If-Match)'),
    position: z.number().int().nullable().describe('Global log position of the last event (for minPosition)'),
    events: z.array(z.object({ type: z.string(), eventId: z.string() })),
    replayed: z.boolean().describe('True when this is the first outcome of the same command, returned again'),
  })
  .meta({ id: 'CommandResult' });
type CommandResult = z.infer<typeof CommandResult>;

const CommandHeaders = z.object({
  'if-match': z
    .string()
    .regex(/^(\*|(W\/)?"?-?\d{1,15}"?)$/, 'a revision, as the ETag gave it ("3"), or *')
    .optional()
    .describe(
      'The revision you read (the ETag): refused with 412 if the record has moved on. "*": only if the record exists',
    ),
  'if-none-match': z
    .literal('*')
    .optional()
    .describe('"*": only if the record does not exist yet (412 if it does)'),
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional()
    .describe(
      'Makes a retry return the first response and write nothing, for as long as the log keeps the record',
    ),
});
type CommandHeaders = z.infer<typeof CommandHeaders>;

/** What the If-Match / If-None-Match headers ask of the record, and the header that asked. */
type Precondition =
  | { readonly header: 'if-match'; readonly revision: StreamRevision | 'exists' }
  | { readonly header: 'if-none-match'; readonly revision: 'no_stream' };

const preconditionOf = (headers: CommandHeaders): Precondition | null => {
  const match = headers['if-match'];
  if (match !== undefined)
    return {
      header: 'if-match',
      revision:
        match === '*' ? 'exists' : (Number(match.replace(/^W\//, '').replaceAll('"', '')) as StreamRevision),
    };
  return headers['if-none-match'] === '*' ? { header: 'if-none-match', revision: 'no_stream' } : null;
};

const failed = (precondition: Precondition, detail: string, actual: number) =>
  problem('precondition-failed', detail, {
    errors: [
      {
        field: `header.${precondition.header}`,
        message:
          precondition.header === 'if-none-match'
            ? 'the record exists'
            : actual === -1
              ? 'the record does not exist'
              : 'stale revision',
      },
    ],
    details: { currentRevision: actual },
    headers: actual >= 0 ? { etag: `"${actual}"` } : {},
  });

interface Outcome {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: CommandResult | Problem;
}

/** One POST route per domain command: `/v1/{aggregates}/{id}/{command-in-kebab-case}`. */
export const commandRoutes: FastifyPluginCallback<RoutesOptions> = (app, { context }, done) => {
  const { runtime, access, metrics } = context;
  const typed = app.withTypeProvider<ZodTypeProvider>();

  /**
   * Refuses a key the log shows was used for another request (another record, or another body).
   * The lookups must have read the whole log to say; a key is checked only when its stored
   * answer is gone, so waiting for them is rare.
   */
  const knownKey = async (commandId: string, fingerprint: string, streamId: string) => {
    const head = (await runtime.store.lastPosition()) ?? -1;
    if (!(await runtime.readModels.waitFor(head, runtime.config.minPositionWaitMs)))
      throw problem(
        'read-model-behind',
        'This Idempotency-Key cannot be checked against the log yet. Retry shortly.',
        {
          errors: [{ field: 'header.idempotency-key', message: 'not checked yet' }],
          headers: { 'retry-after': '1' },
        },
      );
    const known = runtime.readModels.lookups().command(commandId);
    if (known !== undefined && (known.streamId !== streamId || known.hash !== fingerprint)) throw keyReused();
  };

  const send = (reply: FastifyReply, outcome: Outcome, replayed = false) => {
    for (const [header, value] of Object.entries(outcome.headers)) void reply.header(header, value);
    if (replayed) void reply.header('idempotent-replayed', 'true');
    if (outcome.status >= 400)
      return reply
        .code(outcome.status)
        .type('application/problem+json')
        .serializer((payload: unknown) => JSON.stringify(payload))
        .send(outcome.body);
    return reply.code(outcome.status).send(outcome.body);
  };

  for (const aggregate of Object.values(AGGREGATES)) {
    const name = aggregate.name;
    const id = idField(name);
    for (const { type, target, fields: body } of aggregate.commandDefinitions) {
      const fields = Object.keys(body.shape);
      typed.post(
        `/v1/${PLURAL[name]}/:${id}/${kebab(type)}`,
        {
          schema: {
            operationId: type,
            tags: [`commands: ${PLURAL[name]}`],
            summary: `${type} (${name})`,
            description: `Records ${type}.${ADMIN_ONLY_COMMANDS.has(type) ? ' Administrators only.' : ''} Refusals by the rules answer 422 with one of the codes in docs/errors.md.`,
            security: SECURITY,
            params: z.object({ [id]: target }),
            headers: CommandHeaders,
            body,
            response: {
              200: CommandResult,
              201: CommandResult.describe('Created: the first events of this record'),
              ...problemResponses(
                'invalid-request',
                'malformed-json',
                'unauthorized',
                'forbidden',
                'out-of-scope',
                'conflict',
                'idempotency-key-in-use',
                'precondition-failed',
                'body-too-large',
                'unsupported-media-type',
                'rejected',
                'idempotency-key-reused',
                'damaged-record',
                'store-unavailable',
                'read-model-behind',
              ),
            },
          },
          onRequest: guard(context, 'write'),
        },
        async (request, reply) => {
          const principal = principalOf(request);
          if (ADMIN_ONLY_COMMANDS.has(type)) authorize(principal, 'admin');
          const targetId = (request.params as Readonly<Record<string, string>>)[id] ?? '';
          const command = aggregate.parseCommand({ ...(request.body as object), type, [id]: targetId });
          const streamId = runtime.cogov.streamOf(command);
          const exists = await access.authorizeCommand(principal, command);
          const precondition = preconditionOf(request.headers);
          if (precondition?.revision === 'exists' && !exists)
            throw failed(precondition, 'If-Match: * asks for the record to exist, and it does not.', -1);
          if (precondition?.header === 'if-none-match' && exists)
            throw failed(
              precondition,
              'If-None-Match: * asks for the record not to exist yet, and it does.',
              0,
            );
          const key = request.headers['idempotency-key'];
          const scopedKey = key === undefined ? undefined : `${principal.name}\u0000${key}`;
          const fingerprint = sha256(`${request.method} ${request.url}\n${JSON.stringify(request.body)}`);
          const commandId = scopedKey === undefined ? undefined : `idempotency:${sha256(scopedKey)}`;
          if (scopedKey !== undefined && commandId !== undefined) {
            const stored = runtime.idempotency.get(scopedKey);
            if (stored !== undefined) {
              if (stored.fingerprint !== fingerprint) throw keyReused();
              metrics.commands.inc({ command: type, outcome: 'replayed' });
              return send(reply, stored as Outcome, true);
            }
            // The stored answer is gone (expired, read models rebuilt): the log still knows the key.
            await knownKey(commandId, fingerprint, streamId);
            if (!runtime.idempotency.begin(scopedKey))
              throw problem('idempotency-key-in-use', 'Wait for it to finish, then retry.', {
                errors: [{ field: 'header.idempotency-key', message: 'in progress' }],
                headers: { 'retry-after': '1' },
              });
          }
          try {
            const expectedRevision =
              precondition === null || precondition.revision === 'exists' ? undefined : precondition.revision;
            const result: ExecuteResult = await runtime.cogov
              .execute(command, {
                actor: principal.name,
                correlationId: request.id,
                ...(commandId === undefined ? {} : { commandId, commandHash: fingerprint }),
                ...(expectedRevision === undefined ? {} : { expectedRevision }),
              })
              .catch((error: unknown) => {
                if (precondition !== null && isWrongExpectedRevision(error))
                  throw failed(precondition, error.message, error.actual);
                throw error;
              });
            const outcome = outcomeOf(result, fields, request.url, PLURAL[name], targetId);
            metrics.commands.inc({
              command: type,
              outcome: result.status === 'rejected' ? 'rejected' : result.replayed ? 'replayed' : 'accepted',
            });
            if (result.status === 'accepted' && !result.replayed)
              metrics.eventsAppended.inc(result.events.length);
            if (scopedKey !== undefined)
              await runtime.idempotency
                .put(scopedKey, { ...outcome, fingerprint, at: Date.now() })
                .catch((error: unknown) => {
                  // The command is in the log: it is answered. A retry with the key finds it
                  // there (the key is its command id) once the read models have caught up.
                  if (!isStoreUnavailable(error)) throw error;
                  request.log.warn({ err: error }, 'the answer to an Idempotency-Key could not be stored');
                });
            return send(reply, outcome);
          } finally {
            if (scopedKey !== undefined) runtime.idempotency.end(scopedKey);
          }
        },
      );
    }
  }
  done();
};

/** A command's result as the response a client gets (and gets again for a retry with its key). */
const outcomeOf = (
  result: ExecuteResult,
  fields: readonly string[],
  url: string,
  plural: string,
  targetId: string,
): Outcome => {
  if (result.status === 'rejected')
    return {
      status: 422,
      headers: result.revision >= 0 ? { etag: `"${result.revision}"` } : {},
      body: { ...rejectionProblem(result.rejection, fields), instance: url },
    };
  const created = result.events.length > 0 && result.revision - result.events.length === -1;
  return {
    status: created ? 201 : 200,
    headers: {
      etag: `"${result.revision}"`,
      ...(created ? { location: `/v1/${plural}/${encodeURIComponent(targetId)}` } : {}),
    },
    body: {
      streamId: result.streamId,
      revision: result.revision,
      position: result.position,
      events: result.events.map((event, i) => ({ type: event.type, eventId: result.eventIds[i] ?? '' })),
      replayed: result.replayed,
    },
  };
};
