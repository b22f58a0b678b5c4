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
  /** metric \0 scope \0 facet → granularity → bucket → delta: one string key per (metric, scope, facet). */
  readonly #deltas = new Map<string, Series>();
  readonly #granularities: readonly Granularity[];

  constructor(granularities: readonly Granularity[]) {
    this.#granularities = granularities;
  }

  /**
   * Adds `amount` to a metric on a date, for every scope, once in total and once per facet.
   * Member scopes (`m:`) are kept by year only (ADR 0008): a person's figures are read per year,
   * and per-day keys for each of 100 000 members would triple the writes of a rebuild.
   */
  add(
    metric: MetricName,
    date: PlainDate,
    amount: number,
    scopes: readonly string[],
    facets: readonly string[] = [],
  ): void {
    if (amount === 0) return;
    const d = dayBucket(date);
    const m = monthBucket(date);
    const y = yearBucket(date);
    for (const scope of scopes) {
      const member = scope.startsWith('m:');
      for (let f = -1; f < facets.length; f++) {
        const facet = f < 0 ? '' : (facets[f] as string);
        const id = `${metric}\u0000${scope}\u0000${facet}`;
        let series = this.#deltas.get(id);
        if (series === undefined) {
          series = { metric, scope, facet, d: new Map(), m: new Map(), y: new Map() };
          this.#deltas.set(id, series);
        }
        if (member) bump(series.y, y, amount);
        else
          for (const granularity of this.#granularities)
            bump(series[granularity], granularity === 'd' ? d : granularity === 'm' ? m : y, amount);
      }
    }
  }

  /** Distinct counters the batch touches. */
  get size(): number {
    let n = 0;
    for (const series of this.#deltas.values()) n += series.d.size + series.m.size + series.y.size;
    return n;
  }

  /** Writes the batch's changes (inside the batch's write transaction): one get and put per counter. */
  flush(counters: Database): void {
    for (const series of this.#deltas.values()) {
      for (const granularity of GRANULARITIES) {
        for (const [bucket, delta] of series[granularity]) {
          if (delta === 0) continue;
          const key: CounterKey = [series.metric, series.scope, series.facet, granularity, bucket];
          const next = ((counters.get(key) as number | undefined) ?? 0) + delta;
          if (next === 0) counters.removeSync(key);
          else counters.putSync(key, next);
        }
      }
    }
    this.#deltas.clear();
  }
}

interface Series {
  readonly metric: MetricName;
  readonly scope: string;
  readonly facet: string;
  readonly d: Map<number, number>;
  readonly m: Map<number, number>;
  readonly y: Map<number, number>;
}

const GRANULARITIES: readonly Granularity[] = ['d', 'm', 'y'];

const bump = (buckets: Map<number, number>, bucket: number, amount: number) =>
  buckets.set(bucket, (buckets.get(bucket) ?? 0) + amount);

/** The granularities of member-scoped counters. */
export const MEMBER_GRANULARITIES: readonly Granularity[] = ['y'];

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
