import { exampleOf, type ExampleWorld, type JsonSchema } from './examples.ts';

/** The brands of the id schemas of records that have a place in the region tree. */
export const RECORD_BRANDS = [
  'RegionId',
  'CommitteeId',
  'MemberId',
  'UnitId',
  'GridId',
  'IssueId',
  'ProjectId',
  'ActivityId',
] as const;
export type RecordBrand = (typeof RECORD_BRANDS)[number];

/** One field of a body that names a record, and how to make a valid body naming any id there. */
export interface ReferenceProbe {
  /** As problems name it: `body.participants.0`, `body.assignee.unitId`. */
  readonly field: string;
  readonly brand: RecordBrand;
  /** The smallest valid body with `id` in this field (optional fields and union members chosen to reach it). */
  readonly body: (id: string) => unknown;
}

interface Probe {
  readonly path: readonly string[];
  readonly brand: RecordBrand;
  readonly make: (id: string) => unknown;
}

const isBrand = (value: string | undefined): value is RecordBrand =>
  (RECORD_BRANDS as readonly string[]).includes(value ?? '');

/**
 * Every field of a schema whose type is a record id, found from the JSON Schema the API documents
 * (descriptions carry the brands), independently of the domain code that decides scope.
 */
const probesOf = (schema: JsonSchema, world: ExampleWorld): Probe[] => {
  const options = schema.anyOf ?? schema.oneOf;
  if (options !== undefined) return options.flatMap((option) => probesOf(option, world));
  const type = typeof schema.type === 'string' ? schema.type : schema.type?.[0];
  if (type === 'string')
    return isBrand(schema.description)
      ? [{ path: [], brand: schema.description, make: (id: string) => id }]
      : [];
  if (type === 'array' && schema.items !== undefined) {
    const items = schema.items;
    return probesOf(items, world).map((p) => ({
      path: ['0', ...p.path],
      brand: p.brand,
      make: (id: string) => [p.make(id)],
    }));
  }
  if (type === 'object')
    return Object.entries(schema.properties ?? {}).flatMap(([key, property]) =>
      probesOf(property, world).map((p) => ({
        path: [key, ...p.path],
        brand: p.brand,
        make: (id: string) => ({ ...(exampleOf(schema, world) as object), [key]: p.make(id) }),
      })),
    );
  return [];
};

/** The reference fields of a command body. */
export const referenceProbes = (body: JsonSchema, world: ExampleWorld): ReferenceProbe[] =>
  probesOf(body, world).map((p) => ({
    field: ['body', ...p.path].join('.'),
    brand: p.brand,
    body: p.make,
  }));
