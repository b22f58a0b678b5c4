import type { GlobalPosition, RecordedEvent, Subscription, SubscriptionMessage } from '@cogov/domain';

export interface Batch {
  readonly events: readonly RecordedEvent[];
  /** The subscription had caught up when this batch was cut: once committed, the projection is live. */
  readonly caughtUp: boolean;
  /** The position of the last event taken (or the caught-up position). */
  readonly position: GlobalPosition | null;
}

export interface BatchOptions {
  /** Most events per batch (one write transaction). */
  readonly size: number;
  /** Longest a batch waits for more events once it has one. */
  readonly maxWaitMs: number;
}

/**
 * Bounds how far the source runs ahead of the commits. Catching up, it assembles the next batch
 * while one is being committed (reading and decoding overlap the commit's write to disk), and
 * waits once one batch is committing and another is assembled. Live, it waits for each commit:
 * what arrives meanwhile then goes into one batch, rather than a first event alone in a batch of
 * its own and the rest in a third commit. `close` counts a batch handed on, `open` its commit done.
 */
export class Gate {
  /** Batches handed on and not yet committed. */
  #outstanding = 0;
  #waiters: { readonly ahead: number; readonly resolve: () => void }[] = [];

  close(): void {
    this.#outstanding++;
  }

  open(): void {
    this.#outstanding = Math.max(0, this.#outstanding - 1);
    const waiting = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiting)
      if (this.#outstanding <= waiter.ahead) waiter.resolve();
      else this.#waiters.push(waiter);
  }

  /** Resolves once at most `ahead` batches handed on are still uncommitted. */
  wait(ahead = 1): Promise<void> {
    if (this.#outstanding <= ahead) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ ahead, resolve }));
  }
}

const TIMEOUT = Symbol('timeout');

/** Longest a batch waits for the next page of history while catching up (a read, normally far less). */
const CATCH_UP_WAIT_MS = 100;

/**
 * Cuts a subscription into batches of at most `size` events. Live, a batch waits at most
 * `maxWaitMs` for more once it has one; catching up, it fills up to `size` from the history pages.
 * The gate bounds it to one batch assembled while one is committed (catching up), or none (live):
 * a slow read model slows the reading instead of filling memory.
 */
export async function* batches(
  subscription: Subscription,
  options: BatchOptions,
  gate: Gate,
): AsyncGenerator<Batch> {
  const iterator = subscription[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<SubscriptionMessage, undefined>> | undefined;
  let lastPosition: GlobalPosition | null = null;
  let live = false;
  const next = () => (pending ??= iterator.next());
  for (;;) {
    await gate.wait(live ? 0 : 1);
    const events: RecordedEvent[] = [];
    let caughtUp = false;
    let deadline = Number.POSITIVE_INFINITY;
    while (events.length < options.size) {
      let result: IteratorResult<SubscriptionMessage, undefined> | typeof TIMEOUT;
      if (events.length === 0 || subscription.buffered > 0) {
        result = await next();
      } else {
        // Catching up, the wait is for the next event alone (one was just taken).
        const wait = live ? deadline - performance.now() : Math.max(options.maxWaitMs, CATCH_UP_WAIT_MS);
        if (wait <= 0) break;
        let timer: NodeJS.Timeout | undefined;
        result = await Promise.race([
          next(),
          new Promise<typeof TIMEOUT>((resolve) => (timer = setTimeout(() => resolve(TIMEOUT), wait))),
        ]);
        clearTimeout(timer);
        if (result === TIMEOUT) break;
      }
      pending = undefined;
      if (result.done === true) {
        if (events.length > 0) yield { events, caughtUp, position: lastPosition };
        return;
      }
      const message = result.value;
      if (message.kind === 'caughtUp') {
        caughtUp = true;
        live = true;
        if (events.length === 0) lastPosition = message.position ?? lastPosition;
        break;
      }
      events.push(message.event);
      lastPosition = message.event.position;
      // Catching up, the next page of history is a read away: a batch fills up to `size`, so a
      // rebuild commits few large transactions (each counter written once per batch), waiting for
      // each next event at most CATCH_UP_WAIT_MS (a busy machine's slow reads do not cut it short).
      // Live, it takes what arrives within `maxWaitMs` of its first event, so lag stays low.
      if (live && events.length === 1) deadline = performance.now() + options.maxWaitMs;
    }
    gate.close();
    yield { events, caughtUp, position: lastPosition };
  }
}
