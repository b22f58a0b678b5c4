import { z } from 'zod';

/**
 * The identifiers a client may choose for an aggregate: letters, digits and `_ . : -`,
 * starting with a letter or digit, at most 100 characters. They become part of a stream
 * id (`committee-{id}`) and of URLs, so they are kept printable and short.
 */
export const IDENTIFIER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;

/** Builds a branded identifier schema; the brand makes ids of different aggregates distinct types. */
export const identifier = <const B extends string>(brand: B) =>
  z
    .string()
    .regex(IDENTIFIER_PATTERN, {
      message: 'an identifier: 1-100 letters, digits or _ . : - starting with a letter or digit',
    })
    .describe(brand)
    .brand<B>();

/** A stream's id, e.g. `committee-linchengzhen`: an aggregate category, a dash and its id. */
export const StreamId = z.string().min(1).max(256).brand<'StreamId'>();
export type StreamId = z.infer<typeof StreamId>;

/** An event's unique id (a UUID in practice); appends are idempotent on it. */
export const EventId = z.string().min(1).max(128).brand<'EventId'>();
export type EventId = z.infer<typeof EventId>;

/** A position in a store's global log; strictly increasing in commit order. */
export const GlobalPosition = z.number().int().nonnegative().brand<'GlobalPosition'>();
export type GlobalPosition = z.infer<typeof GlobalPosition>;

/** An event's 0-based index within its stream. */
export const StreamRevision = z.number().int().nonnegative().brand<'StreamRevision'>();
export type StreamRevision = z.infer<typeof StreamRevision>;

/**
 * Trusted constructors for values a store or a fold produced itself.
 * Never use them on input from outside: parse that with the schemas above.
 */
export const unsafe = {
  streamId: (value: string) => value as StreamId,
  eventId: (value: string) => value as EventId,
  position: (value: number) => value as GlobalPosition,
  revision: (value: number) => value as StreamRevision,
} as const;

/**
 * The stream of one aggregate instance: `{category}-{id}`.
 *
 * @example
 * streamIdOf('committee', committeeId) // 'committee-linchengzhen'
 */
export const streamIdOf = (category: string, id: string): StreamId => `${category}-${id}` as StreamId;

/** The category of a stream id: what comes before its first dash. */
export const categoryOf = (streamId: StreamId): string => {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
};
