import type { Rejection } from '../kernel/decider.ts';
import type { PlainDate } from '../kernel/plainDate.ts';
import type { RegionState } from '../region/state.ts';
import type { DecideContext } from './context.ts';
import { refuse } from './rejections.ts';

/** A rejection when a fact that has happened is dated after today. */
export const inFuture = (date: PlainDate, field: string, context: DecideContext): Rejection | null =>
  date > context.today ? refuse('DATE_IN_FUTURE', { field, date, today: context.today }) : null;

/** A rejection when `date` lies before `earlier`, which it must follow. */
export const beforeDate = (
  date: PlainDate,
  earlier: PlainDate,
  field: string,
  after: string,
): Rejection | null =>
  date < earlier ? refuse('DATE_OUT_OF_ORDER', { field, date, mustNotPrecede: after, earlier }) : null;

/**
 * A rejection unless the region chain (the region itself first, then its ancestors) exists
 * and none of it is retired.
 */
export const regionChainLive = (chain: readonly RegionState[]): Rejection | null => {
  const self = chain[0];
  if (self === undefined || self.status === 'absent') return refuse('REGION_NOT_FOUND');
  const retired = chain.find((r) => r.status === 'retired');
  return retired !== undefined && retired.status === 'retired'
    ? refuse('REGION_RETIRED', { regionId: retired.id })
    : null;
};

/** The first non-null rejection of a list of checks, evaluated in order. */
export const firstOf = (...checks: readonly (() => Rejection | null)[]): Rejection | null => {
  for (const check of checks) {
    const rejection = check();
    if (rejection !== null) return rejection;
  }
  return null;
};
