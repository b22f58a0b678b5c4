import type { Event } from './events.ts';

/**
 * A command the rules refuse, as a value. `code` is stable (documented in docs/errors.md);
 * `message` is for people and may change; `details` names the offending values.
 */
export interface Rejection<Code extends string = string> {
  readonly _tag: 'Rejection';
  readonly code: Code;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/** What `decide` returns: the events to record, or a rejection. */
export type Decision<E extends Event> = readonly E[] | Rejection;

/**
 * An aggregate as three pure functions. `decide` takes the time, the policy and any facts
 * it needs from its context, never from a global; `evolve` is total over every event ever written.
 *
 * @example
 * const counter: Decider<{ type: 'Add'; n: number }, { type: 'Added'; data: { n: number } }, number, unknown> = {
 *   initialState: 0,
 *   decide: (c) => [{ type: 'Added', data: { n: c.n } }],
 *   evolve: (s, e) => s + e.data.n,
 * };
 */
export interface Decider<C, E extends Event, S, Ctx> {
  readonly decide: (command: C, state: S, context: Ctx) => Decision<E>;
  readonly evolve: (state: S, event: E) => S;
  readonly initialState: S;
}

/**
 * Builds a rejection.
 *
 * @example
 * return reject('COMMITTEE_DISSOLVED', 'the committee was dissolved', { committeeId });
 */
export const reject = <const Code extends string>(
  code: Code,
  message: string,
  details: Readonly<Record<string, unknown>> = {},
): Rejection<Code> => ({ _tag: 'Rejection', code, message, details });

export const isRejection = (value: unknown): value is Rejection =>
  typeof value === 'object' && value !== null && (value as { _tag?: unknown })._tag === 'Rejection';

/**
 * Ends an exhaustive switch: adding a case to the union makes every such switch a compile error.
 */
export const assertNever = (value: never, what = 'value'): never => {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
};

/** Folds events into a state. */
export const fold = <E extends Event, S>(
  evolve: (state: S, event: E) => S,
  initial: S,
  events: Iterable<E>,
): S => {
  let state = initial;
  for (const event of events) state = evolve(state, event);
  return state;
};
