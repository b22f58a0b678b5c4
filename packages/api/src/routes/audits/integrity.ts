import { checkCheckpoint, checkpointSchema, signCheckpoint, type VerifyReport } from '@cogov/eventstore';
import type { KurrentDbEventStore } from '@cogov/eventstore/esdb';
import type { LmdbEventStore } from '@cogov/eventstore/lmdb';
import type { FastifyPluginCallback, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { guard, principalOf, SECURITY, type RoutesOptions } from '../../http/context.ts';
import { problem, problemResponses } from '../../problems/registry.ts';
import type { Principal } from '../../http/auth.ts';

const Position = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** The most events one request verifies (about three seconds); a longer range is asked for in parts. */
export const MAX_VERIFY_EVENTS = 1_000_000;

export const ChainBreak = z
  .object({
    kind: z
      .enum(['damaged', 'missing', 'hash', 'order', 'index'])
      .describe(
        'damaged: a record fails its checksum; missing: positions are gone; hash: an event’s chain hash does not match its content and place (or the checkpoint); order: revisions or times out of order; index: the stream index disagrees with the log',
      ),
    position: z.number().int().describe('The first position affected'),
    streamId: z.string().nullable(),
    detail: z.string(),
    expected: z.string().optional(),
    found: z.string().optional(),
  })
  .describe('The first place where the log is not what it claims to be');

const VerifyReportSchema = z.object({
  intact: z.boolean().describe('No break between from and to'),
  from: z.number().int(),
  to: z.number().int().describe('The last position verified'),
  events: z.number().int(),
  headHash: z.string().nullable().describe('The chain hash at `to` (hex)'),
  break: ChainBreak.nullable(),
  seconds: z.number(),
  eventsPerSecond: z.number(),
  next: z
    .number()
    .int()
    .nullable()
    .describe('Where to continue when the range was longer than one request verifies'),
});

const CheckpointSchema = checkpointSchema.describe(
  'A signed checkpoint: the chain hash at a position, signed with the installation’s Ed25519 key (see docs/adr/0014)',
);

const reportOf = (report: VerifyReport, next: number | null) => ({
  intact: report.break === null,
  from: report.from,
  to: report.to,
  events: report.events,
  headHash: report.headHash,
  break: report.break,
  seconds: report.seconds,
  eventsPerSecond: report.seconds > 0 ? Math.round(report.events / report.seconds) : 0,
  next,
});

/** The whole log is every region's: verifying it and signing its head is for unscoped auditors. */
const requireWholeLog = (principal: Principal) => {
  if (principal.scope !== '*')
    throw problem(
      'out-of-scope',
      'The log holds every region’s records: verifying it needs a token for every region (scope *).',
    );
};

/** Verification of the log's hash chain, and signed checkpoints of it. */
export const integrityRoutes: FastifyPluginCallback<RoutesOptions> = (app, { context }, done) => {
  const { runtime } = context;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  // Authorised before the request is validated: a token that may not learns nothing from the answer.
  const auditWholeLog = async (request: FastifyRequest) => {
    await guard(context, 'audit')(request);
    requireWholeLog(principalOf(request));
  };
  const embedded = (): LmdbEventStore | null => runtime.log;
  /** Over KurrentDB each stream carries its own chain; checkpoints sign the root of the streams' heads (ADR 14). */
  const streams = (): KurrentDbEventStore => {
    if (runtime.kurrent === null) throw new Error('neither an embedded nor a KurrentDB log');
    return runtime.kurrent;
  };
  const brokenHead = (error: unknown) =>
    problem('damaged-record', `The log’s chain is broken; nothing is signed: ${(error as Error).message}`);

  typed.get(
    '/v1/audit/verify',
    {
      schema: {
        operationId: 'verifyLog',
        tags: ['audit'],
        summary:
          'Verifies the log’s hash chain over a range of positions and reports the first break (auditor, every region)',
        description: `Checks every record’s checksum, every event’s chain hash, the order of streams and times, and the stream index, from \`fromPosition\` (default 0; the hash stored before it is taken as given) to \`toPosition\` (default: the end), at most ${MAX_VERIFY_EVENTS} events a request (\`next\` says where to go on). A break is an answer, not an error: \`intact\` is false and \`break\` says where and what.`,
        security: SECURITY,
        querystring: z.strictObject({ fromPosition: Position.optional(), toPosition: Position.optional() }),
        response: {
          200: VerifyReportSchema,
          ...problemResponses('invalid-request', 'unauthorized', 'forbidden', 'out-of-scope'),
        },
      },
      onRequest: auditWholeLog,
    },
    async (request) => {
      const log = embedded();
      const head = (await (log ?? streams()).lastPosition()) ?? -1;
      if (head < 0)
        return reportOf(
          log !== null ? await log.verifyInSlices({ to: -1 }) : await streams().verify({ to: -1 }),
          null,
        );
      const from = request.query.fromPosition ?? 0;
      const wanted = Math.min(request.query.toPosition ?? head, head);
      if (from > head)
        throw problem('invalid-request', `The log ends at ${head}; fromPosition (${from}) is past it.`, {
          errors: [{ field: 'query.fromPosition', message: `at most ${head}` }],
        });
      if (from > wanted)
        throw problem('invalid-request', `toPosition (${wanted}) is before fromPosition (${from}).`, {
          errors: [{ field: 'query.toPosition', message: `at least ${from}` }],
        });
      if (log === null) {
        // KurrentDB's positions are sparse: at most MAX_VERIFY_EVENTS events from `from` on.
        const report = await streams().verify({ from, to: wanted, limit: MAX_VERIFY_EVENTS });
        return reportOf(
          report,
          report.break === null && report.events === MAX_VERIFY_EVENTS && report.to < wanted
            ? report.to + 1
            : null,
        );
      }
      const to = Math.min(wanted, from + MAX_VERIFY_EVENTS - 1);
      let after: { position: number; hash: string } | undefined;
      if (from > 0) {
        const stored = log.storedHashAt(from - 1);
        if (stored === null)
          throw problem('invalid-request', `The log holds no event at ${from - 1} to start after.`, {
            errors: [{ field: 'query.fromPosition', message: 'a position inside the log' }],
          });
        after = { position: from - 1, hash: stored };
      }
      const report = await log.verifyInSlices({
        ...(after === undefined ? {} : { after }),
        to,
        scanIndex: false,
      });
      return reportOf(report, report.break === null && to < wanted ? to + 1 : null);
    },
  );

  typed.get(
    '/v1/audit/checkpoint',
    {
      schema: {
        operationId: 'getCheckpoint',
        tags: ['audit'],
        summary:
          'A signed checkpoint of the log’s head, to keep and later prove the log unchanged (auditor, every region)',
        description:
          'The chain hash of the last acknowledged event, signed with the installation’s Ed25519 key. Keep it (and the public key, `keys/installation-ed25519.pub.pem`, obtained separately); `cogov verify --against <file>` or POST /v1/audit/checkpoint/verify later proves that the log up to its position is unchanged.',
        security: SECURITY,
        querystring: z.strictObject({}),
        response: {
          200: CheckpointSchema,
          ...problemResponses('unauthorized', 'forbidden', 'out-of-scope', 'read-model-behind'),
        },
      },
      onRequest: auditWholeLog,
    },
    async () => {
      const log = embedded();
      const head =
        log !== null
          ? log.chainHead()
          : await streams()
              .chainHead()
              .catch((e: unknown) => {
                throw brokenHead(e);
              });
      if (head === null) throw problem('not-found', 'The log is empty: there is nothing to sign yet.');
      return signCheckpoint(runtime.installationKey, head);
    },
  );

  typed.post(
    '/v1/audit/checkpoint/verify',
    {
      schema: {
        operationId: 'verifyCheckpoint',
        tags: ['audit'],
        summary: 'Proves that the log up to a kept checkpoint is unchanged (auditor, every region)',
        description:
          'Checks the checkpoint’s signature (it must be this installation’s key), then recomputes the chain from the first event to the checkpoint’s position and compares. `matches` false, with `break`, when the log is not the one the checkpoint was made of.',
        security: SECURITY,
        body: CheckpointSchema,
        response: {
          200: z.object({
            matches: z.boolean(),
            keyFingerprint: z.string(),
            report: VerifyReportSchema,
          }),
          ...problemResponses(
            'invalid-request',
            'unauthorized',
            'forbidden',
            'out-of-scope',
            'untrusted-checkpoint',
          ),
        },
      },
      onRequest: auditWholeLog,
    },
    async (request) => {
      const log = embedded();
      const checked = checkCheckpoint(request.body, runtime.installationKey.publicKey);
      if (!checked.ok)
        throw problem('untrusted-checkpoint', checked.detail, { details: { problem: checked.problem } });
      const { checkpoint } = checked;
      const against = { position: checkpoint.position, hash: checkpoint.hash };
      const report =
        log !== null
          ? await log.verifyInSlices({ to: checkpoint.position, against, scanIndex: false })
          : await streams().verify({ against });
      return {
        matches: report.break === null && report.against === true,
        keyFingerprint: checkpoint.keyFingerprint,
        report: reportOf(report, null),
      };
    },
  );

  done();
};
