import { AGGREGATES, REJECTIONS, type DomainCommand, type ExecuteResult } from '@cogov/domain';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sha256 } from '../config.ts';
import { guard, idField, kebab, PLURAL, principalOf, SECURITY, type HttpContext } from './context.ts';
import { keyReused, problem, problemResponses, rejectionProblem, type Problem } from './problems.ts';

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
    .regex(/^(W\/)?"?-?\d{1,15}"?$/, 'a revision, as the ETag gave it: "3"')
    .optional()
    .describe('The revision you read (ETag): the command is refused with 412 if the record has moved on'),
  'if-none-match': z.literal('*').optional().describe('"*": only if the record does not exist yet'),
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional()
    .describe('Makes a retry return the first response and write nothing'),
});

interface Outcome {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: CommandResult | Problem;
}

/** One POST route per domain command: `/v1/{aggregates}/{id}/{command-in-kebab-case}`. */
export const commandRoutes = (app: FastifyInstance, context: HttpContext): void => {
  const { runtime, access, metrics } = context;
  /**
   * Refuses a key the log shows was used for another request (another record, or another body).
   * The lookups must have read the whole log to say; a key is checked only when its stored
   * answer is gone, so waiting for them is rare.
   */
  const knownKey = async (commandId: string, fingerprint: string, streamId: string) => {
    const head = (await runtime.store.lastPosition()) ?? -1;
    if (!(await runtime.readModels.waitFor(head, runtime.config.minPositionWaitMs)))
      throw problem(
        503,
        'read-model-behind',
        'The read models have not caught up yet',
        'This Idempotency-Key cannot be checked against the log yet. Retry shortly.',
        { errors: [{ field: 'header.idempotency-key', message: 'not checked yet' }] },
        { 'retry-after': '1' },
      );
    const known = runtime.readModels.lookups().command(commandId);
    if (known !== undefined && (known.streamId !== streamId || known.hash !== fingerprint)) throw keyReused();
  };
  const typed = app.withTypeProvider<ZodTypeProvider>();
  for (const aggregate of Object.values(AGGREGATES)) {
    const name = aggregate.name;
    const id = idField(name);
    const options = (aggregate.commands as unknown as { options: readonly z.ZodObject[] }).options;
    for (const schema of options) {
      const type = (schema.shape['type'] as z.ZodLiteral<string>).value;
      const idSchema = schema.shape[id] as z.ZodType<string> | undefined;
      if (idSchema === undefined) throw new Error(`${type} has no ${id}`);
      const body = schema.omit({ type: true, [id]: true } as never);
      const fields = Object.keys(body.shape);
      typed.post(
        `/v1/${PLURAL[name]}/:${id}/${kebab(type)}`,
        {
          schema: {
            operationId: type,
            tags: [`commands: ${PLURAL[name]}`],
            summary: `${type} (${name})`,
            description: `Records ${type}. Refusals by the rules answer 422 with one of the codes in docs/errors.md.`,
            security: SECURITY,
            params: z.object({ [id]: idSchema }),
            headers: CommandHeaders,
            body,
            response: {
              200: CommandResult,
              201: CommandResult.describe('Created: the first events of this record'),
              ...problemResponses(400, 401, 403, 409, 412, 413, 415, 422, 503),
            },
          },
          onRequest: guard(context, 'write'),
        },
        async (request, reply) => {
          const principal = principalOf(request);
          const params = request.params as Record<string, string>;
          const targetId = params[id] as string;
          const command = { ...(request.body as object), type, [id]: targetId } as unknown as DomainCommand;
          const streamId = runtime.cogov.streamOf(command);
          await access.authorizeCommand(principal, command);
          const headers = request.headers as z.infer<typeof CommandHeaders>;
          const expectedRevision =
            headers['if-match'] !== undefined
              ? Number(headers['if-match'].replace(/^W\//, '').replaceAll('"', ''))
              : headers['if-none-match'] === '*'
                ? ('no_stream' as const)
                : undefined;
          const key = headers['idempotency-key'];
          const scopedKey = key === undefined ? undefined : `${principal.name}\u0000${key}`;
          const fingerprint = sha256(`${request.method} ${request.url}\n${JSON.stringify(request.body)}`);
          const send = (outcome: Outcome, replayed = false) => {
            const raw = reply as unknown as FastifyReply;
            for (const [header, value] of Object.entries(outcome.headers)) void raw.header(header, value);
            if (replayed) void raw.header('idempotent-replayed', 'true');
            if (outcome.status >= 400)
              return raw
                .code(outcome.status)
                .type('application/problem+json')
                .serializer((payload: unknown) => JSON.stringify(payload))
                .send(outcome.body);
            return raw.code(outcome.status).send(outcome.body);
          };
          const commandId = scopedKey === undefined ? undefined : `idempotency:${sha256(scopedKey)}`;
          if (scopedKey !== undefined && commandId !== undefined) {
            const stored = runtime.idempotency.get(scopedKey);
            if (stored !== undefined) {
              if (stored.fingerprint !== fingerprint) throw keyReused();
              metrics.commands.inc({ command: type, outcome: 'replayed' });
              return send(stored as Outcome, true);
            }
            // The stored answer is gone (expired, read models rebuilt): the log still knows the key.
            await knownKey(commandId, fingerprint, streamId);
            if (!runtime.idempotency.begin(scopedKey))
              throw problem(
                409,
                'idempotency-key-in-use',
                'A request with this Idempotency-Key is in progress',
                'Wait for it to finish, then retry.',
                { errors: [{ field: 'header.idempotency-key', message: 'in progress' }] },
                { 'retry-after': '1' },
              );
          }
          try {
            const result: ExecuteResult = await runtime.cogov.execute(command, {
              actor: principal.name,
              correlationId: request.id,
              ...(commandId === undefined ? {} : { commandId, commandHash: fingerprint }),
              ...(expectedRevision === undefined ? {} : { expectedRevision: expectedRevision as never }),
            });
            let outcome: Outcome;
            if (result.status === 'rejected') {
              metrics.commands.inc({ command: type, outcome: 'rejected' });
              outcome = {
                status: 422,
                headers: result.revision >= 0 ? { etag: `"${result.revision}"` } : {},
                body: { ...rejectionProblem(result.rejection, fields), instance: request.url },
              };
            } else {
              metrics.commands.inc({ command: type, outcome: result.replayed ? 'replayed' : 'accepted' });
              if (!result.replayed) metrics.eventsAppended.inc(result.events.length);
              const created = result.events.length > 0 && result.revision - result.events.length === -1;
              outcome = {
                status: created ? 201 : 200,
                headers: {
                  etag: `"${result.revision}"`,
                  ...(created ? { location: `/v1/${PLURAL[name]}/${encodeURIComponent(targetId)}` } : {}),
                },
                body: {
                  streamId: result.streamId,
                  revision: result.revision,
                  position: result.position,
                  events: result.events.map((event, i) => ({
                    type: event.type,
                    eventId: result.eventIds[i] ?? '',
                  })),
                  replayed: result.replayed,
                },
              };
            }
            if (scopedKey !== undefined)
              await runtime.idempotency.put(scopedKey, { ...outcome, fingerprint, at: Date.now() });
            return send(outcome);
          } finally {
            if (scopedKey !== undefined) runtime.idempotency.end(scopedKey);
          }
        },
      );
    }
  }
};

/** Every rejection code, for the OpenAPI description. */
export const REJECTION_CODES = Object.keys(REJECTIONS);
