import type { PlainDate } from '@cogov/domain';
import type { Database } from 'lmdb';
import { dayBucket, monthBucket, yearBucket, type Granularity } from './buckets.ts';
import type { MetricName } from './metrics.ts';

/** A counter key: metric, scope (`r:` region, `c:` committee, `u:` unit, `m:` member, `g:` grid), facet, granularity, bucket. */
export type CounterKey = [MetricName, string, string, Granularity, number];

/**
 * Adds up one batch's counter changes in memory, then writes each touched counter once:
 * a batch of thousands of events touching the same region and month costs one write per key.
 */
export class Tally {
  readonly #deltas = new Map<string, { key: CounterKey; delta: number }>();
  readonly #granularities: readonly Granularity[];

  constructor(granularities: readonly Granularity[]) {
    this.#granularities = granularities;
  }

  /** Adds `amount` to a metric on a date, for every scope, once in total and once per facet. */
  add(
    metric: MetricName,
    date: PlainDate,
    amount: number,
    scopes: readonly string[],
    facets: readonly string[] = [],
  ): void {
    if (amount === 0) return;
    for (const granularity of this.#granularities) {
      const bucket =
        granularity === 'd' ? dayBucket(date) : granularity === 'm' ? monthBucket(date) : yearBucket(date);
      for (const scope of scopes) {
        this.#bump([metric, scope, '', granularity, bucket], amount);
        for (const facet of facets) this.#bump([metric, scope, facet, granularity, bucket], amount);
      }
    }
  }

  get size(): number {
    return this.#deltas.size;
  }

  /** Writes the batch's changes (inside the batch's write transaction). */
  flush(counters: Database): void {
    for (const { key, delta } of this.#deltas.values()) {
      if (delta === 0) continue;
      const current = (counters.get(key) as number | undefined) ?? 0;
      const next = current + delta;
      if (next === 0) counters.removeSync(key);
      else counters.putSync(key, next);
    }
    this.#deltas.clear();
  }

  #bump(key: CounterKey, amount: number): void {
    const id = `${key[0]}\u0000${key[1]}\u0000${key[2]}\u0000${key[3]}\u0000${key[4]}`;
    const entry = this.#deltas.get(id);
    if (entry === undefined) this.#deltas.set(id, { key, delta: amount });
    else entry.delta += amount;
  }
}

/** Histograms (days to resolve): per bucket a map value → count, merged on read for medians. */
export class HistogramTally {
  readonly #deltas = new Map<
    string,
    { key: [string, string, Granularity, number]; counts: Map<number, number> }
  >();

  add(metric: string, date: PlainDate, value: number, scopes: readonly string[]): void {
    for (const scope of scopes) {
      const key: [string, string, Granularity, number] = [metric, scope, 'm', monthBucket(date)];
      const id = key.join('\u0000');
      let entry = this.#deltas.get(id);
      if (entry === undefined) {
        entry = { key, counts: new Map() };
        this.#deltas.set(id, entry);
      }
      entry.counts.set(value, (entry.counts.get(value) ?? 0) + 1);
    }
  }

  flush(histograms: Database): void {
    for (const { key, counts } of this.#deltas.values()) {
      const current = (histograms.get(key) as Record<string, number> | undefined) ?? {};
      const next: Record<string, number> = { ...current };
      for (const [value, count] of counts) next[value] = (next[value] ?? 0) + count;
      histograms.putSync(key, next);
    }
    this.#deltas.clear();
  }
}
