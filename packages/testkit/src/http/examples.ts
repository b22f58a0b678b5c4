import { AGGREGATES, type AggregateName } from '@cogov/domain';
import { z } from 'zod';

/** A JSON Schema as zod's toJSONSchema writes it (the parts we read). */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
  readonly format?: string;
  readonly description?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly minItems?: number;
  readonly items?: JsonSchema;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
}

/** The ids and the day examples use: id schemas are described by their brand (CommitteeId…). */
export interface ExampleWorld {
  readonly ids: Readonly<Record<string, string>>;
  readonly today: string;
}

const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

/** The smallest value a schema accepts (required fields only), with the world's ids and day. */
export const exampleOf = (schema: JsonSchema, world: ExampleWorld): unknown => {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum !== undefined) return schema.enum[0];
  const options = schema.anyOf ?? schema.oneOf;
  if (options !== undefined) {
    const first: JsonSchema | undefined = options.find((o) => o.type !== 'null') ?? options[0];
    return first === undefined ? null : exampleOf(first, world);
  }
  const type: string | undefined = typeof schema.type === 'string' ? schema.type : schema.type?.[0];
  switch (type) {
    case 'string': {
      if (schema.pattern === DATE_PATTERN) return world.today;
      if (schema.format === 'date-time') return `${world.today}T08:00:00Z`;
      const id = schema.description === undefined ? undefined : world.ids[schema.description];
      if (id !== undefined) return id;
      if (schema.pattern !== undefined) return 'example-1';
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    }
    case 'integer':
    case 'number': {
      const low = schema.minimum ?? (schema.exclusiveMinimum === undefined ? 0 : schema.exclusiveMinimum + 1);
      return Math.min(Math.max(low, 1), schema.maximum ?? Number.MAX_SAFE_INTEGER);
    }
    case 'boolean':
      return false;
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () =>
        schema.items === undefined ? null : exampleOf(schema.items, world),
      );
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) {
        const property = schema.properties?.[key];
        if (property !== undefined) out[key] = exampleOf(property, world);
      }
      return out;
    }
    case undefined:
    default:
      return null;
  }
};

export interface CommandRoute {
  readonly aggregate: AggregateName;
  readonly type: string;
  /** The JSON Schema of the body (the command without its type and id). */
  readonly body: JsonSchema;
  readonly idField: string;
}

/** Every command route's body schema, from the same zod schemas the API validates with. */
export const commandRoutes = (): CommandRoute[] =>
  Object.values(AGGREGATES).flatMap((aggregate) => {
    const idField = `${aggregate.name}Id`;
    return aggregate.commandDefinitions.map(({ type, fields }) => ({
      aggregate: aggregate.name,
      type,
      idField,
      body: z.toJSONSchema(fields, { io: 'input', unrepresentable: 'any' }) as JsonSchema,
    }));
  });
