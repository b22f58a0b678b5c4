import { toEpochDay, type PlainDate } from '@cogov/domain';
import type { Database, Key } from 'lmdb';
import { monthBucket } from './buckets.ts';
import type { MetricName } from './metrics.ts';

/**
 * A series-year key: metric, scope (`r:` region, `c:` committee, `u:` unit, `m:` member, `g:`
 * grid), facet, year (ADR 0020). Its value in `counters` is the year as it stands now:
 * `[lastBlock, day, value, day, value, …]`, days of the year (0 = 1 January) ascending, each once.
 */
export type SeriesKey = [MetricName, string, string, number];

/**
 * A block of a series-year's history (ADR 0020), under its series key followed by the block
 * (recording hours ÷ `BLOCK_SLOTS`): `[base, changes]`, where `base` is the year's day values
 * (`[day, value, …]`) when the block began and `changes` every change recorded in the block,
 * `[slot, day, delta, …]`, slots ascending, days ascending within a slot, each (slot, day) once.
 * The year as known at the end of slot S is the last block up to S's: its base plus its changes
 * up to S. One entry per series-year and block, however many events and hours it holds.
 */
export type BlockKey = [MetricName, string, string, number, number];
export type Block = readonly [base: readonly number[], changes: readonly number[]];

/** The length of a recording slot: statistics as known at an instant are resolved to whole hours. */
export const SLOT_MS = 3_600_000;

/** Recording hours per block of history (about five days). */
export const BLOCK_SLOTS = 128;

/** The recording slot of an instant (whole hours since the epoch, UTC). */
export const slotOf = (recordedAt: number): number => Math.floor(recordedAt / SLOT_MS);

/** The block of history a recording slot falls in. */
export const blockOf = (slot: number): number => Math.floor(slot / BLOCK_SLOTS);

/**
 * The last slot wholly recorded by `knownAt` and the instant it ends at: the figure as known at
 * 10:30 counts every event recorded by 09:59:59.999.
 */
export const resolveKnownAt = (knownAt: Date): { readonly slot: number; readonly resolved: Date } => {
  const slot = Math.floor((knownAt.getTime() + 1) / SLOT_MS) - 1;
  return { slot, resolved: new Date((slot + 1) * SLOT_MS - 1) };
};

/** The day of its year of a date (0 = 1 January). */
export const dayOfYear = (date: PlainDate): number => {
  const year = Number(date.slice(0, 4));
  let start = YEAR_STARTS.get(year);
  if (start === undefined) {
    start = toEpochDay(`${date.slice(0, 4)}-01-01` as PlainDate);
    YEAR_STARTS.set(year, start);
  }
  return toEpochDay(date) - start;
};
const YEAR_STARTS = new Map<number, number>();

/** A member's figures are kept by year (ADR 0008): every change of a member-scoped series on day 0. */
const MEMBER_DAY = 0;

/**
 * Adds up one batch's changes in memory, then writes each series-year it touched once, and once
 * per block of history its changes fall in: a batch of thousands of events touching the same
 * region and year costs one write of the year and one of its current block.
 */
export class Tally {
  /**
   * metric \0 year → scope → facet → the batch's changes, flat [slot, day, delta, …] in the order
   * applied. Nested rather than one joined key: the scopes and facets are strings the handlers
   * already hold, whose hashes are kept, where a joined key is a new string to hash per change.
   */
  readonly #series = new Map<string, Map<string, Map<string, PendingSeries>>>();
  #size = 0;
  /** The recording slot of the event being applied (see `at`). */
  #slot = 0;

  /**
   * @param lastSlot the latest recording slot of the events applied before this batch: slots never
   * go back (a store whose clock did is read as if the event were recorded in the latest slot seen).
   */
  constructor(lastSlot = 0) {
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

  /** Adds `amount` to a metric on a date, for every scope, once in total and once per facet. */
  add(
    metric: MetricName,
    date: PlainDate,
    amount: number,
    scopes: readonly string[],
    facets: readonly string[] = [],
  ): void {
    if (amount === 0) return;
    const year = Number(date.slice(0, 4));
    const day = dayOfYear(date);
    const slot = this.#slot;
    const id = `${metric}\u0000${year}`;
    let byScope = this.#series.get(id);
    if (byScope === undefined) {
      byScope = new Map();
      this.#series.set(id, byScope);
    }
    for (const scope of scopes) {
      const d = scope.startsWith('m:') ? MEMBER_DAY : day;
      let byFacet = byScope.get(scope);
      if (byFacet === undefined) {
        byFacet = new Map();
        byScope.set(scope, byFacet);
      }
      for (let f = -1; f < facets.length; f++) {
        const facet = f < 0 ? '' : (facets[f] as string);
        let series = byFacet.get(facet);
        if (series === undefined) {
          series = { key: [metric, scope, facet, year], changes: [] };
          byFacet.set(facet, series);
          this.#size++;
        }
        series.changes.push(slot, d, amount);
      }
    }
  }

  /** Distinct series-years the batch touches. */
  get size(): number {
    return this.#size;
  }

  /**
   * Writes the batch's changes (inside the batch's write transaction): per series-year touched,
   * its current value once, and each block of history its changes fall in once. What is stored
   * does not depend on where the log was cut into batches (a live slot and a rebuild of it compare
   * equal, ADR 9): changes of the same slot and day are merged, in a block across batches too, and
   * a change that nets to 0 is kept (as known earlier the figure may not have been 0).
   */
  flush(counters: Database, known: Database): void {
    for (const byScope of this.#series.values())
      for (const byFacet of byScope.values())
        for (const series of byFacet.values()) this.#write(counters, known, series);
    this.#series.clear();
    this.#size = 0;
  }

  #write(counters: Database, known: Database, { key, changes }: PendingSeries): void {
    const merged = mergeSlots(changes);
    const stored = counters.get(key) as number[] | undefined;
    let lastBlock = stored === undefined ? -1 : (stored[0] as number);
    let values: readonly number[] = stored === undefined ? [] : stored.slice(1);
    for (let i = 0; i < merged.length;) {
      const block = blockOf(merged[i] as number);
      let j = i;
      while (j < merged.length && blockOf(merged[j] as number) === block) j += 3;
      const added = merged.slice(i, j);
      const blockKey: BlockKey = [...key, block];
      let entry: Block;
      if (block === lastBlock) {
        const [base, earlier] = known.get(blockKey) as Block;
        entry = [base, appendChanges(earlier, added)];
      } else entry = [values, added];
      known.putSync(blockKey, entry);
      values = applyChanges(values, added);
      lastBlock = block;
      i = j;
    }
    counters.putSync(key, [lastBlock, ...values]);
  }
}

interface PendingSeries {
  readonly key: SeriesKey;
  readonly changes: number[];
}

/**
 * Changes in the order applied, slots never going back, as stored: per slot, days ascending and
 * each once (their deltas summed).
 */
const mergeSlots = (changes: readonly number[]): number[] => {
  const out: number[] = [];
  for (let i = 0; i < changes.length;) {
    const slot = changes[i] as number;
    let j = i;
    while (j < changes.length && changes[j] === slot) j += 3;
    if (j - i === 3) out.push(slot, changes[i + 1] as number, changes[i + 2] as number);
    else {
      const byDay = new Map<number, number>();
      for (let k = i; k < j; k += 3)
        byDay.set(
          changes[k + 1] as number,
          (byDay.get(changes[k + 1] as number) ?? 0) + (changes[k + 2] as number),
        );
      for (const day of [...byDay.keys()].sort((a, b) => a - b))
        out.push(slot, day, byDay.get(day) as number);
    }
    i = j;
  }
  return out;
};

/** A block's stored changes followed by later ones (merging the slot they may share). */
const appendChanges = (earlier: readonly number[], added: readonly number[]): number[] => {
  const lastSlot = earlier.length === 0 ? null : earlier[earlier.length - 3];
  if (lastSlot !== added[0]) return [...earlier, ...added];
  let start = earlier.length;
  while (start > 0 && earlier[start - 3] === lastSlot) start -= 3;
  return [...earlier.slice(0, start), ...mergeSlots([...earlier.slice(start), ...added])];
};

/** Day values after changes: every day a change touched is kept, even at 0. */
export const applyChanges = (values: readonly number[], changes: readonly number[]): number[] => {
  // The changes summed by day, days ascending (a batch's changes to one series are few), then
  // merged into the values in one pass: no map or sort over a year's days.
  const byDay = new Map<number, number>();
  for (let i = 0; i < changes.length; i += 3)
    byDay.set(
      changes[i + 1] as number,
      (byDay.get(changes[i + 1] as number) ?? 0) + (changes[i + 2] as number),
    );
  const days = [...byDay.keys()].sort((x, y) => x - y);
  const out: number[] = [];
  let i = 0;
  for (const day of days) {
    for (; i < values.length && (values[i] as number) < day; i += 2)
      out.push(values[i] as number, values[i + 1] as number);
    const delta = byDay.get(day) as number;
    if (i < values.length && values[i] === day) {
      out.push(day, (values[i + 1] as number) + delta);
      i += 2;
    } else out.push(day, delta);
  }
  for (; i < values.length; i += 2) out.push(values[i] as number, values[i + 1] as number);
  return out;
};

/** The sum of day values over days [from, to] (inclusive), from `offset` on in `values`. */
export const sumDays = (values: readonly number[], from: number, to: number, offset = 0): number => {
  let sum = 0;
  for (let i = offset; i < values.length; i += 2) {
    const day = values[i] as number;
    if (day > to) break;
    if (day >= from) sum += values[i + 1] as number;
  }
  return sum;
};

/** The sum over days [from, to] of a block as known at the end of `slot`. */
export const sumBlockAt = (block: Block, slot: number, from: number, to: number): number => {
  const [base, changes] = block;
  let sum = sumDays(base, from, to);
  for (let i = 0; i < changes.length; i += 3) {
    if ((changes[i] as number) > slot) break;
    const day = changes[i + 1] as number;
    if (day >= from && day <= to) sum += changes[i + 2] as number;
  }
  return sum;
};

/** A series-year's day values as known at the end of `slot` (undefined: it had no change by then). */
export const valuesAt = (known: Database, key: readonly Key[], slot: number): number[] | undefined => {
  const block = lastBlock(known, key, slot);
  if (block === undefined) return undefined;
  return applyChanges(
    block[0],
    block[1].filter((_, i, all) => (all[i - (i % 3)] as number) <= slot),
  );
};

/** The last block of a series-year's history up to `slot`'s. */
export const lastBlock = (known: Database, key: readonly Key[], slot: number): Block | undefined => {
  for (const { value } of known.getRange({
    start: [...key, blockOf(slot)] as Key,
    end: key as Key,
    reverse: true,
    limit: 1,
  }))
    return value as Block;
  return undefined;
};

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
