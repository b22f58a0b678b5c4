import type { PlainDate } from '@cogov/domain';
import type { Database, Key } from 'lmdb';
import { dayBucket, monthBucket, yearBucket, type Granularity } from './buckets.ts';
import type { MetricName } from './metrics.ts';

/** A counter key: metric, scope (`r:` region, `c:` committee, `u:` unit, `m:` member, `g:` grid), facet, granularity, bucket. */
export type CounterKey = [MetricName, string, string, Granularity, number];

/**
 * A counter's value at the end of a recording hour in which it changed, under its counter key
 * followed by the hour (ADR 0015): the figure as known at an instant reads, per counter, the last
 * value recorded by then. One key per counter and hour in which it changed, not per event.
 */
export type KnownKey = [MetricName, string, string, Granularity, number, number];

/** The length of a recording slot: statistics as known at an instant are resolved to whole hours. */
export const SLOT_MS = 3_600_000;

/** The recording slot of an instant (whole hours since the epoch, UTC). */
export const slotOf = (recordedAt: number): number => Math.floor(recordedAt / SLOT_MS);

/**
 * The last slot wholly recorded by `knownAt` and the instant it ends at: the figure as known at
 * 10:30 counts every event recorded by 09:59:59.999.
 */
export const resolveKnownAt = (knownAt: Date): { readonly slot: number; readonly resolved: Date } => {
  const slot = Math.floor((knownAt.getTime() + 1) / SLOT_MS) - 1;
  return { slot, resolved: new Date((slot + 1) * SLOT_MS - 1) };
};

/**
 * Adds up one batch's counter changes in memory, then writes each touched counter once:
 * a batch of thousands of events touching the same region and month costs one write per key.
 */
export class Tally {
  /** metric \0 scope \0 facet → granularity → bucket → delta: one string key per (metric, scope, facet). */
  readonly #deltas = new Map<string, Series>();
  readonly #granularities: readonly Granularity[];
  /** The recording slot of the event being applied (see `at`). */
  #slot = 0;

  /**
   * @param lastSlot the latest recording slot of the events applied before this batch: slots never
   * go back (a store whose clock did is read as if the event were recorded in the latest slot seen).
   */
  constructor(granularities: readonly Granularity[], lastSlot = 0) {
    this.#granularities = granularities;
    this.#slot = lastSlot;
  }

  /** The event being applied was recorded at this instant: its changes are known from its hour on. */
  at(recordedAt: Date): void {
    this.#slot = Math.max(this.#slot, slotOf(recordedAt.getTime()));
  }

  /** The latest recording slot applied so far. */
  get slot(): number {
    return this.#slot;
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
    const slot = this.#slot;
    for (const scope of scopes) {
      const member = scope.startsWith('m:');
      for (let f = -1; f < facets.length; f++) {
        const facet = f < 0 ? '' : (facets[f] as string);
        const id = `${metric}\u0000${scope}\u0000${facet}`;
        let series = this.#deltas.get(id);
        if (series === undefined) {
          series = { metric, scope, facet, changes: new Map() };
          this.#deltas.set(id, series);
        }
        if (member) record(series.changes, cell(Y, y), slot, amount);
        else
          for (const granularity of this.#granularities) {
            record(
              series.changes,
              granularity === 'd' ? cell(D, d) : granularity === 'm' ? cell(M, m) : cell(Y, y),
              slot,
              amount,
            );
          }
      }
    }
  }

  /** Distinct counters the batch touches. */
  get size(): number {
    let n = 0;
    for (const series of this.#deltas.values()) n += series.changes.size;
    return n;
  }

  /**
   * Writes the batch's changes (inside the batch's write transaction): one get and put per counter,
   * and per counter its value at the end of each recording hour in which it changed (`known`). The
   * counter's stored value is its value at the latest hour, so no read of `known` is needed.
   */
  flush(counters: Database, known: Database): void {
    for (const series of this.#deltas.values()) {
      for (const [code, changes] of series.changes) {
        const key: CounterKey = [
          series.metric,
          series.scope,
          series.facet,
          GRANULARITIES[code & 3] as Granularity,
          (code - (code & 3)) / 4,
        ];
        let value = (counters.get(key) as number | undefined) ?? 0;
        // Slots in ascending order (they never go back), one entry per slot. Every counter an
        // event touched is written, even when its changes cancel out, so that what is stored
        // does not depend on where the log was cut into batches (a live slot and a rebuild of it
        // compare equal, ADR 9).
        for (let i = 0; i < changes.length; i += 2) {
          value += changes[i + 1] as number;
          known.putSync([...key, changes[i] as number] satisfies KnownKey, value);
        }
        // Kept at 0 rather than removed: as known earlier it may not have been 0.
        counters.putSync(key, value);
      }
    }
    this.#deltas.clear();
  }
}

/**
 * One batch's changes of a (metric, scope, facet): per counter (granularity and bucket packed in
 * one number, see `cell`), a flat list of recording slot and delta pairs, slots ascending and each
 * once. Flat numbers rather than objects per slot: a rebuild of history meets a new slot at nearly
 * every event, and objects per slot made a tenth of the rebuild garbage collection.
 */
interface Series {
  readonly metric: MetricName;
  readonly scope: string;
  readonly facet: string;
  readonly changes: Map<number, number[]>;
}

const D = 0;
const M = 1;
const Y = 2;
const GRANULARITIES: readonly Granularity[] = ['d', 'm', 'y'];

/** A counter of a series as one number: its bucket times four plus its granularity's index. */
const cell = (granularity: number, bucket: number): number => bucket * 4 + granularity;

const record = (changes: Map<number, number[]>, code: number, slot: number, amount: number): void => {
  const list = changes.get(code);
  if (list === undefined) changes.set(code, [slot, amount]);
  else if (list[list.length - 2] === slot) list[list.length - 1] = (list[list.length - 1] as number) + amount;
  else list.push(slot, amount);
};

/** The granularities of member-scoped counters. */
export const MEMBER_GRANULARITIES: readonly Granularity[] = ['y'];

/**
 * Histograms (days to resolve): per bucket a map value → count, merged on read for medians; and,
 * like counters, each bucket's histogram at the end of every recording hour in which it changed.
 */
export class HistogramTally {
  readonly #deltas = new Map<string, { key: Key[]; bySlot: Map<number, Map<number, number>> }>();
  #slot: number;

  constructor(lastSlot = 0) {
    this.#slot = lastSlot;
  }

  /** The event being applied was recorded at this instant (see `Tally.at`). */
  at(recordedAt: Date): void {
    this.#slot = Math.max(this.#slot, slotOf(recordedAt.getTime()));
  }

  add(metric: string, date: PlainDate, value: number, scopes: readonly string[]): void {
    for (const scope of scopes) {
      const key: Key[] = [metric, scope, 'm', monthBucket(date)];
      const id = key.join('\u0000');
      let entry = this.#deltas.get(id);
      if (entry === undefined) {
        entry = { key, bySlot: new Map() };
        this.#deltas.set(id, entry);
      }
      let counts = entry.bySlot.get(this.#slot);
      if (counts === undefined) {
        counts = new Map();
        entry.bySlot.set(this.#slot, counts);
      }
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
  }

  /** Merges the batch's counts into `histograms`, and each recording hour's result into `known`. */
  flush(histograms: Database, known: Database): void {
    for (const { key, bySlot } of this.#deltas.values()) {
      const next: Record<string, number> = {
        ...((histograms.get(key) as Record<string, number> | undefined) ?? {}),
      };
      for (const [slot, counts] of bySlot) {
        for (const [value, n] of counts) next[value] = (next[value] ?? 0) + n;
        known.putSync([...key, slot], { ...next });
      }
      histograms.putSync(key, next);
    }
    this.#deltas.clear();
  }
}
