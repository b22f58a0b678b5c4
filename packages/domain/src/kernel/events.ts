import type { z } from 'zod';
import type { EventId, GlobalPosition, StreamId, StreamRevision } from './ids.ts';

/** A domain event: what happened, in the past tense, with its data. */
export interface Event<T extends string = string, D = unknown> {
  readonly type: T;
  readonly data: D;
}

/** Who and what caused an event; stamped by the command handler, kept by the store. */
export interface EventMetadata {
  /** The version of the event's data shape when it was written; upcasters lift older ones. */
  readonly schemaVersion: number;
  /** The token or user that recorded the fact. */
  readonly actor?: string;
  /** Ties together everything done for one request or one process. */
  readonly correlationId?: string;
  /** The command id or the event id that caused this event. */
  readonly causationId?: string;
  /** The id of the command that produced this event; commands are idempotent on it. */
  readonly commandId?: string;
  /**
   * A digest of the command as its sender made it (an HTTP request's method, path and body): the
   * same command id sent again with another command is refused, however long ago it was first used.
   */
  readonly commandHash?: string;
}

/** An event on its way into a store. */
export type EventToAppend<E extends Event = Event> = E & {
  /** Appends are idempotent on event ids; a store assigns a UUID when it is left out. */
  readonly eventId?: EventId;
  readonly metadata?: EventMetadata;
};

/** The envelope a store adds to an event it has recorded. */
export interface RecordedEnvelope {
  readonly streamId: StreamId;
  readonly revision: StreamRevision;
  readonly position: GlobalPosition;
  readonly eventId: EventId;
  /** When the store recorded the event (UTC); business dates live in `data`. */
  readonly recordedAt: Date;
  readonly metadata: EventMetadata;
}

/** An event as a store returns it. Distributes over a union, so `type` still narrows `data`. */
export type RecordedEvent<E extends Event = Event> = E extends Event ? E & RecordedEnvelope : never;

/** One event type: its name, the zod schema of its data (the single source of truth) and version. */
export interface EventDefinition<T extends string = string, S extends z.ZodType = z.ZodType> {
  readonly type: T;
  readonly schema: S;
  readonly schemaVersion: number;
}

/** The event type a definition describes. */
export type EventOf<D> = D extends EventDefinition<infer T, infer S> ? Event<T, z.output<S>> : never;

/**
 * Defines an event type from a zod schema of its data.
 *
 * @example
 * const RegionRenamed = defineEvent('RegionRenamed', z.strictObject({ name: z.string() }));
 * type RegionRenamed = EventOf<typeof RegionRenamed>;
 */
export const defineEvent = <const T extends string, S extends z.ZodType>(
  type: T,
  schema: S,
  options: { readonly schemaVersion?: number } = {},
): EventDefinition<T, S> => ({ type, schema, schemaVersion: options.schemaVersion ?? 1 });

/** The events of one aggregate, looked up by type. */
export interface EventCatalog<E extends Event> {
  readonly definitions: ReadonlyMap<string, EventDefinition>;
  readonly types: readonly E['type'][];
  /** Whether this catalog defines an event type. */
  has(type: string): type is E['type'];
  /**
   * Whether an event (a recorded one, say) is one of this catalog's, typed as such: the guard a
   * read model dispatches on instead of a cast. It checks the type, not the data (which the
   * command handler validated before the event was stored).
   */
  is<T extends Event>(event: T): event is T & E;
  /** The current schema version of a type (1 for an unknown type). */
  schemaVersion(type: string): number;
  /** Validates an event's data against its schema; returns the issues or the parsed event. */
  validate(
    event: Event,
  ):
    | { readonly ok: true; readonly event: E }
    | { readonly ok: false; readonly issues: readonly z.core.$ZodIssue[] };
}

/**
 * Gathers the event definitions of an aggregate.
 *
 * @example
 * const regionEvents = eventCatalog([RegionDefined, RegionRenamed, RegionRetired]);
 */
export const eventCatalog = <const Defs extends readonly EventDefinition[]>(
  definitions: Defs,
): EventCatalog<EventOf<Defs[number]>> => {
  type E = EventOf<Defs[number]>;
  const byType = new Map<string, EventDefinition>(definitions.map((d) => [d.type, d]));
  return {
    definitions: byType,
    types: definitions.map((d) => d.type),
    has: (type: string): type is E['type'] => byType.has(type),
    is: <T extends Event>(event: T): event is T & E => byType.has(event.type),
    schemaVersion: (type) => byType.get(type)?.schemaVersion ?? 1,
    validate(event) {
      const definition = byType.get(event.type);
      if (definition === undefined) {
        return {
          ok: false,
          issues: [
            {
              code: 'custom',
              message: `unknown event type ${event.type}`,
              path: ['type'],
              input: event.type,
            },
          ],
        };
      }
      const parsed = definition.schema.safeParse(event.data);
      return parsed.success
        ? { ok: true, event: { type: event.type, data: parsed.data } as E }
        : { ok: false, issues: parsed.error.issues };
    },
  };
};

/** Merges catalogs of several aggregates, e.g. to validate any event of the domain. */
export const mergeCatalogs = <E extends Event>(catalogs: readonly EventCatalog<Event>[]): EventCatalog<E> =>
  eventCatalog(catalogs.flatMap((c) => [...c.definitions.values()])) as unknown as EventCatalog<E>;
