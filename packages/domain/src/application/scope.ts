import type { z } from 'zod';
import { aggregateOfCommand, type AggregateName, type DomainCommand } from './aggregates.ts';

/** A record a command names, and where in the command it names it. */
export interface RecordReference {
  readonly aggregate: AggregateName;
  readonly id: string;
  /** The path of the field within the command: `unitIds.1`, `assignee.personId`. */
  readonly field: string;
}

/**
 * Everything a command reaches, for deciding whether a token scoped to a region may send it:
 * the record it is addressed to, whether it begins that record, and every other record it names.
 */
export interface CommandScope {
  readonly target: RecordReference;
  /** It begins its record: the id must not be taken (by anyone, in any region). */
  readonly creates: boolean;
  /**
   * For a command that begins a record: the record (or region) whose place the new one takes: the
   * parent of a region, the region of a committee, the committee of an issue. Null when it names
   * none: a root region, a member registered nowhere; only an unscoped token may begin those.
   */
  readonly home: RecordReference | null;
  /** Every other record the command names (regions included), in the order of its fields. */
  readonly references: readonly RecordReference[];
  /**
   * Dual reporting and pairing (双报到, 结对共建) are recorded by the community that receives the
   * member or unit: the record addressed may be at home in another region, the community named
   * here must be the sender's. Null for every other command: its record must be at home in reach.
   */
  readonly receivedBy: RecordReference | null;
}

/** The id schemas of the records that have a place in the region tree, by the brand they describe. */
const RECORD_IDS: Readonly<Record<string, AggregateName>> = {
  RegionId: 'region',
  CommitteeId: 'committee',
  MemberId: 'member',
  UnitId: 'unit',
  GridId: 'grid',
  IssueId: 'issue',
  ProjectId: 'project',
  ActivityId: 'activity',
};

/** Where a record a command begins is at home: the first of these fields the command fills. */
const HOME_FIELDS: Readonly<Record<string, readonly string[]>> = {
  DefineRegion: ['parentId'],
  EstablishCommittee: ['regionId'],
  RegisterMember: ['communityId', 'unitId'],
  RegisterUnit: ['regionId'],
  DrawGridCell: ['communityId'],
  RegisterIssue: ['committeeId'],
  ListNeed: ['communityId'],
  PostMicroWish: ['communityId'],
  PlanActivity: ['regionId'],
};

/** The commands that begin a record, each with where its record is at home. */
export const BEGINNINGS: Readonly<Record<string, readonly string[]>> = HOME_FIELDS;

/** Commands recorded by the community they name (see `CommandScope.receivedBy`). */
const RECEIVED_BY_COMMUNITY: ReadonlySet<DomainCommand['type']> = new Set([
  'ReportToCommunity',
  'DeregisterFromCommunity',
  'PairUnitWithCommunity',
  'UnpairUnit',
  'ReportUnitToCommunity',
]);

interface SchemaDef {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly options?: readonly z.ZodType[];
  readonly in?: z.ZodType;
}

const defOf = (schema: z.ZodType) => schema._zod.def as unknown as SchemaDef;

/**
 * Walks a value along the zod schema that parsed it, collecting every field whose schema is a
 * record id (`CommitteeId`, `MemberId`…): the schemas are the one source, so a new reference
 * field is found without a list to keep.
 */
const collect = (
  schema: z.ZodType,
  value: unknown,
  path: readonly string[],
  out: RecordReference[],
): void => {
  if (value === undefined || value === null) return;
  const def = defOf(schema);
  switch (def.type) {
    case 'string': {
      const aggregate = RECORD_IDS[schema.description ?? ''];
      if (aggregate !== undefined && typeof value === 'string')
        out.push({ aggregate, id: value, field: path.join('.') });
      return;
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
      if (def.innerType !== undefined) collect(def.innerType, value, path, out);
      return;
    case 'pipe':
      if (def.in !== undefined) collect(def.in, value, path, out);
      return;
    case 'array':
      if (def.element !== undefined && Array.isArray(value))
        value.forEach((item, i) => collect(def.element as z.ZodType, item, [...path, String(i)], out));
      return;
    case 'object':
      if (typeof value === 'object')
        for (const [key, field] of Object.entries(def.shape ?? {}))
          collect(field, (value as Record<string, unknown>)[key], [...path, key], out);
      return;
    case 'union': {
      const option = def.options?.find((o) => o.safeParse(value).success);
      if (option !== undefined) collect(option, value, path, out);
      return;
    }
    default:
      return;
  }
};

/** Every record a (parsed) command names, its own target first. */
export const referencesOf = (command: DomainCommand): readonly RecordReference[] => {
  const aggregate = aggregateOfCommand(command.type);
  if (aggregate === undefined) throw new Error(`unknown command type ${command.type}`);
  const out: RecordReference[] = [];
  collect(aggregate.commands, command, [], out);
  return out;
};

/**
 * What a command reaches: its target, whether it begins it, and every other record it names.
 *
 * @example
 * const { target, references } = commandScope(command);
 * // target: { aggregate: 'activity', id: 'a-1', field: 'activityId' }
 * // references: [{ aggregate: 'member', id: 'm-7', field: 'participants.0' }, …]
 */
export const commandScope = (command: DomainCommand): CommandScope => {
  const aggregate = aggregateOfCommand(command.type);
  if (aggregate === undefined) throw new Error(`unknown command type ${command.type}`);
  const idField = `${aggregate.name}Id`;
  const all = referencesOf(command);
  const target: RecordReference = {
    aggregate: aggregate.name,
    // The stream is `{aggregate}-{id}`.
    id: aggregate.streamOf(command).slice(aggregate.name.length + 1),
    field: idField,
  };
  const references = all.filter((r) => r.field !== idField);
  const creates = aggregate.creates.includes(command.type);
  const homeFields = HOME_FIELDS[command.type] ?? [];
  const home =
    homeFields.map((field) => references.find((r) => r.field === field)).find((r) => r !== undefined) ?? null;
  return {
    target,
    creates,
    home: creates ? home : null,
    references,
    receivedBy: RECEIVED_BY_COMMUNITY.has(command.type)
      ? (references.find((r) => r.field === 'communityId') ?? null)
      : null,
  };
};
