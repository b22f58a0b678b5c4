import { rosterGrid } from '@cogov/projections';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize } from '../../http/auth.ts';
import {
  guard,
  MinPosition,
  principalOf,
  reflect,
  SECURITY,
  type RoutesOptions,
} from '../../http/context.ts';
import { AsOf, Id, KnownAt } from '../../http/schemas.ts';
import { problem, problemResponses } from '../../problems/registry.ts';
import { Format, formatOf, Lang, sendReport } from '../../http/spreadsheets.ts';
import { integrityRoutes } from './integrity.ts';
import { recordRoutes } from './records.ts';

const Roster = z.object({
  committeeId: z.string(),
  asOf: z.string(),
  knownAt: z.string(),
  members: z.array(z.record(z.string(), z.unknown())),
  position: z.number().int(),
});

const HistoryEntry = z.object({
  committeeId: z.string(),
  kind: z.string(),
  effectiveOn: z.string().describe('The business date the change took effect'),
  recordedAt: z.string().describe('When it was recorded (ISO 8601)'),
  actor: z.string().nullable(),
  approvalRef: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  position: z.number().int(),
});

/** The past as it was recorded: rosters as of a date as known at a time, histories, records at a revision. */
export const auditRoutes: FastifyPluginAsync<RoutesOptions> = async (app, { context }) => {
  const { runtime, access } = context;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const membership = () => runtime.readModels.membership();

  typed.get(
    '/v1/committees/:committeeId/roster',
    {
      schema: {
        operationId: 'getRoster',
        tags: ['audit'],
        summary: 'Who sat on a committee on a date (asOf), as the records stood at a time (knownAt)',
        description:
          'Without knownAt: as the records stand now (any reader). With knownAt: an audit (auditor or admin). Bitemporal: asOf is a business date, knownAt an instant of recording. Each part-time member shows the four roles (duties) assigned by asOf. As JSON, or a CSV (UTF-8 with a byte-order mark) or XLSX download with names, by `format=` or the Accept header.',
        security: SECURITY,
        params: z.object({ committeeId: Id }),
        querystring: z.strictObject({
          asOf: AsOf.optional(),
          knownAt: KnownAt.optional(),
          format: Format,
          lang: Lang,
          minPosition: MinPosition,
        }),
        response: {
          200: Roster,
          ...problemResponses(
            'invalid-request',
            'unauthorized',
            'forbidden',
            'out-of-scope',
            'not-found',
            'read-model-behind',
          ),
        },
      },
      onRequest: guard(context, 'read'),
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { committeeId } = request.params;
      const { asOf, knownAt, format, lang, minPosition } = request.query;
      if (knownAt !== undefined) authorize(principal, 'audit');
      if (!(await access.requireRecord(principal, 'committee', committeeId, 'path.committeeId')))
        throw problem('not-found', `There is no committee ${committeeId}.`);
      const position = await reflect(context, minPosition, reply);
      const roster = membership().roster(committeeId, {
        ...(asOf === undefined ? {} : { asOf }),
        ...(knownAt === undefined ? {} : { knownAt: new Date(knownAt) }),
      });
      const lookups = runtime.readModels.lookups();
      return sendReport(
        reply,
        formatOf(request, format),
        `roster-${committeeId}-${roster.asOf}`,
        {
          ...roster,
          members: roster.members.map((m) => ({
            ...m,
            name: lookups.entity('member', m.personId)?.name ?? null,
          })),
          position,
        },
        () =>
          rosterGrid(roster, lookups.entity('committee', committeeId)?.name ?? committeeId, lookups, lang),
      );
    },
  );

  typed.get(
    '/v1/members/:memberId/history',
    {
      schema: {
        operationId: 'getMembershipHistory',
        tags: ['audit'],
        summary:
          'A person’s seats across committees: every appointment, renewal and exit, with who recorded it when',
        security: SECURITY,
        params: z.object({ memberId: Id }),
        querystring: z.strictObject({ knownAt: KnownAt.optional(), minPosition: MinPosition }),
        response: {
          200: z.object({ memberId: z.string(), entries: z.array(HistoryEntry), position: z.number().int() }),
          ...problemResponses(
            'invalid-request',
            'unauthorized',
            'forbidden',
            'out-of-scope',
            'not-found',
            'read-model-behind',
          ),
        },
      },
      onRequest: guard(context, 'audit'),
    },
    async (request, reply) => {
      const { memberId } = request.params;
      const exists = await access.requireRecord(principalOf(request), 'member', memberId, 'path.memberId');
      const position = await reflect(context, request.query.minPosition, reply);
      const knownAt = request.query.knownAt;
      const entries = membership().history(memberId, knownAt === undefined ? undefined : new Date(knownAt));
      if (!exists && entries.length === 0) throw problem('not-found', `There is no member ${memberId}.`);
      return { memberId, entries: [...entries], position };
    },
  );

  await app.register(recordRoutes, { context });
  await app.register(integrityRoutes, { context });
};
