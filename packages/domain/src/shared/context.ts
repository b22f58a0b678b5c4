import type { PlainDate } from '../kernel/plainDate.ts';
import type { Policy } from '../policy/schema.ts';

/** What every decide receives besides the command and the state: the time and the rules. */
export interface DecideContext {
  /** The instant of the decision. */
  readonly now: Date;
  /** Today in the county's time zone: facts that have happened are dated no later. */
  readonly today: PlainDate;
  readonly policy: Policy;
}

/** A decide context plus the facts from other aggregates that the aggregate's rules need. */
export type ContextWith<F> = DecideContext & { readonly facts: F };
