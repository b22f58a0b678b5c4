import { addDays, PlainDate, type Decider, type Event, isRejection } from '@cogov/domain';
import fc from 'fast-check';

/** One generated step: which action, on what, with what variation, how many days later, valid or not. */
export interface Step {
  readonly action: number;
  readonly target: number;
  readonly variant: number;
  readonly days: number;
  /** Most steps are built to be accepted; the others are deliberately wrong. */
  readonly valid: boolean;
}

export const step = (validShare = 85): fc.Arbitrary<Step> =>
  fc.record({
    action: fc.nat(99),
    target: fc.nat(1000),
    variant: fc.nat(1000),
    days: fc.integer({ min: -20, max: 45 }),
    valid: fc.nat(99).map((n) => n < validShare),
  });

export const stepPlan = (maxLength = 60, validShare = 85) =>
  fc.array(step(validShare), { minLength: Math.min(10, maxLength), maxLength, size: 'max' });

const FIRST = PlainDate.parse('2020-01-01');
const LAST = PlainDate.parse('2029-12-31');

/** A clock that moves by each step's days, staying within 2020–2029. */
export const clock = () => {
  let current = FIRST;
  return {
    advance(days: number): PlainDate {
      const next = addDays(current, days);
      current = next < FIRST ? FIRST : next > LAST ? LAST : next;
      return current;
    },
    get now() {
      return current;
    },
  };
};

export const pick = <T>(items: readonly T[], n: number): T | undefined =>
  items.length === 0 ? undefined : items[n % items.length];

/** The outcome of driving a decider through generated commands. */
export interface Driven<C, E extends Event> {
  readonly commands: readonly C[];
  /** Events recorded, in order, each with the index of the command that produced it. */
  readonly events: readonly E[];
  readonly accepted: number;
  readonly rejected: readonly string[];
}

/** Runs commands through decide/evolve as a store would, collecting what was recorded. */
export const drive = <C, E extends Event, S, Ctx>(
  decider: Decider<C, E, S, Ctx>,
  next: (state: S, index: number) => C | undefined,
  context: (command: C, state: S) => Ctx,
  count: number,
  initial: readonly E[] = [],
): Driven<C, E> & { readonly state: S } => {
  let state = initial.reduce(decider.evolve, decider.initialState);
  const events: E[] = [...initial];
  const commands: C[] = [];
  const rejected: string[] = [];
  let accepted = 0;
  for (let i = 0; i < count; i++) {
    const command = next(state, i);
    if (command === undefined) continue;
    commands.push(command);
    const decision = decider.decide(command, state, context(command, state));
    if (isRejection(decision)) {
      rejected.push(decision.code);
      continue;
    }
    accepted++;
    for (const event of decision) {
      events.push(event);
      state = decider.evolve(state, event);
    }
  }
  return { commands, events, accepted, rejected, state };
};
