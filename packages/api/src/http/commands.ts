import { AGGREGATES, REJECTIONS, type DomainCommand, type ExecuteResult } from '@cogov/domain';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sha256 } from './auth.ts';
import { guard, idField, kebab, PLURAL, principalOf, SECURITY, type HttpContext } from './context.ts';
import { problem, problemResponses, rejectionProblem, type Problem } from './problems.ts';

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
          if (scopedKey !== undefined) {
            const stored = runtime.idempotency.get(scopedKey);
            if (stored !== undefined) {
              if (stored.fingerprint !== fingerprint)
                throw problem(
                  422,
                  'idempotency-key-reused',
                  'This Idempotency-Key was used for another request',
                  'Use a new key for a different request.',
                  { errors: [{ field: 'header.idempotency-key', message: 'used for another request' }] },
                );
              metrics.commands.inc({ command: type, outcome: 'replayed' });
              return send(stored as Outcome, true);
            }
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
              ...(scopedKey === undefined ? {} : { commandId: `idempotency:${sha256(scopedKey)}` }),
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
