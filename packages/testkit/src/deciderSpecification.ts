import { isRejection, type Decider, type Event, type Rejection } from '@cogov/domain';
import { expect } from 'vitest';

/**
 * Given/when/then for a decider: given past events, when a command arrives (in a context),
 * then these events are recorded, or the command is rejected with this code.
 *
 * @example
 * DeciderSpecification.for(regionDecider, context)
 *   .given([regionDefined])
 *   .when({ type: 'RetireRegion', regionId, retiredOn, reason })
 *   .then([{ type: 'RegionRetired', data: { regionId, retiredOn, reason } }]);
 */
export class DeciderSpecification<C, E extends Event, S, Ctx> {
  private constructor(
    private readonly decider: Decider<C, E, S, Ctx>,
    private readonly context: Ctx,
  ) {}

  static for<C, E extends Event, S, Ctx>(
    decider: Decider<C, E, S, Ctx>,
    context: Ctx,
  ): DeciderSpecification<C, E, S, Ctx> {
    return new DeciderSpecification(decider, context);
  }

  given(events: readonly E[]): Given<C, E, S, Ctx> {
    let state = this.decider.initialState;
    for (const event of events) state = this.decider.evolve(state, event);
    return new Given(this.decider, this.context, state);
  }
}

export class Given<C, E extends Event, S, Ctx> {
  constructor(
    private readonly decider: Decider<C, E, S, Ctx>,
    private readonly context: Ctx,
    /** The state folded from the given events. */
    readonly state: S,
  ) {}

  /** Decides `command`; `context` (partial) overrides the specification's context. */
  when(command: C, context?: Partial<Ctx>): Then<E, S> {
    const merged = context === undefined ? this.context : { ...this.context, ...context };
    const decision = this.decider.decide(command, this.state, merged);
    return new Then(decision, (events) => events.reduce(this.decider.evolve, this.state));
  }
}

export class Then<E extends Event, S> {
  constructor(
    private readonly decision: readonly E[] | Rejection,
    private readonly foldOnto: (events: readonly E[]) => S,
  ) {}

  /** Asserts the exact events recorded; returns the state after them. */
  then(expected: readonly E[]): S {
    if (isRejection(this.decision)) {
      expect.fail(`expected events, got rejection ${this.decision.code}: ${this.decision.message}`);
    }
    expect(this.decision).toEqual(expected);
    return this.foldOnto(this.decision);
  }

  /** Asserts the events with a matcher (e.g. to ignore generated ids); returns them. */
  thenEvents(check: (events: readonly E[]) => void): readonly E[] {
    if (isRejection(this.decision)) {
      expect.fail(`expected events, got rejection ${this.decision.code}: ${this.decision.message}`);
    }
    check(this.decision);
    return this.decision;
  }

  /** Asserts a rejection by its stable code (never by its message), and optionally some details. */
  thenRejects(code: string, details?: Readonly<Record<string, unknown>>): Rejection {
    if (!isRejection(this.decision)) {
      expect.fail(
        `expected rejection ${code}, got events ${this.decision.map((e) => e.type).join(', ') || '(none)'}`,
      );
    }
    expect(this.decision.code).toBe(code);
    if (details !== undefined) expect(this.decision.details).toMatchObject(details);
    return this.decision;
  }
}
