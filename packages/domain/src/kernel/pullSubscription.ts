import type { RecordedEvent } from './events.ts';
import type { Subscription, SubscriptionMessage } from './eventStore.ts';
import type { GlobalPosition } from './ids.ts';

/** What a store provides so that `pullSubscription` can serve `subscribeAll` for it. */
export interface PageSource {
  /** Up to `limit` events from `from` (inclusive), in position order; only events already acknowledged. */
  readPage(from: GlobalPosition, limit: number): Promise<readonly RecordedEvent[]> | readonly RecordedEvent[];
  /**
   * Resolves once the log may hold an event after `after` (at once if it already does), or when
   * `signal` aborts. Stores wake these waiters on commit: there is no polling.
   */
  waitForAppend(after: GlobalPosition | null, signal: AbortSignal): Promise<void>;
}

export interface PullSubscriptionOptions {
  readonly fromPosition?: GlobalPosition | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Events read per page; the most a subscription ever holds ahead of its consumer. */
  readonly pageSize?: number;
}

const done: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * A subscription that reads one page at a time only when its consumer asks for more, so a slow
 * consumer slows the reading instead of filling memory; it yields `caughtUp` once, then waits
 * for commits. Shared by the in-memory and LMDB stores.
 */
export const pullSubscription = (source: PageSource, options: PullSubscriptionOptions = {}): Subscription => {
  const pageSize = options.pageSize ?? 512;
  const abort = new AbortController();
  const onAbort = () => abort.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted === true) abort.abort();

  let page: readonly RecordedEvent[] = [];
  let index = 0;
  let nextFrom = options.fromPosition ?? (0 as GlobalPosition);
  let lastDelivered: GlobalPosition | null =
    options.fromPosition === undefined || options.fromPosition === 0
      ? null
      : ((options.fromPosition - 1) as GlobalPosition);
  let caughtUpSent = false;

  const close = () => {
    abort.abort();
    options.signal?.removeEventListener('abort', onAbort);
    page = [];
    index = 0;
  };

  const next = async (): Promise<IteratorResult<SubscriptionMessage, undefined>> => {
    for (;;) {
      if (abort.signal.aborted) return done;
      if (index < page.length) {
        const event = page[index++] as RecordedEvent;
        lastDelivered = event.position;
        return { done: false, value: { kind: 'event', event } };
      }
      page = await source.readPage(nextFrom, pageSize);
      index = 0;
      const last = page[page.length - 1];
      if (last !== undefined) {
        nextFrom = (last.position + 1) as GlobalPosition;
        continue;
      }
      if (!caughtUpSent) {
        caughtUpSent = true;
        return { done: false, value: { kind: 'caughtUp', position: lastDelivered } };
      }
      await source.waitForAppend(lastDelivered, abort.signal);
    }
  };

  const iterator: AsyncIterator<SubscriptionMessage, undefined> = {
    next,
    return: () => {
      close();
      return Promise.resolve(done);
    },
  };

  return {
    get buffered() {
      return page.length - index;
    },
    close: () => {
      close();
      return Promise.resolve();
    },
    [Symbol.asyncIterator]: () => iterator,
  };
};

/**
 * A set of waiters for "the log grew past position p", woken by a store after each commit.
 */
export class AppendSignal {
  #waiters = new Set<{ after: number; resolve: () => void }>();

  /** Resolves when `head()` exceeds `after` (now or after a later `notify`), or on abort. */
  wait(after: GlobalPosition | null, head: () => GlobalPosition | null, signal: AbortSignal): Promise<void> {
    const from = after ?? -1;
    const current = head();
    if ((current ?? -1) > from || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = {
        after: from,
        resolve: () => {
          this.#waiters.delete(waiter);
          signal.removeEventListener('abort', waiter.resolve);
          resolve();
        },
      };
      this.#waiters.add(waiter);
      signal.addEventListener('abort', waiter.resolve, { once: true });
    });
  }

  /** Wakes every waiter whose position is now behind the head. */
  notify(head: GlobalPosition | null): void {
    const position = head ?? -1;
    for (const waiter of [...this.#waiters]) if (position > waiter.after) waiter.resolve();
  }

  /** Wakes everyone (the store is closing). */
  wakeAll(): void {
    for (const waiter of [...this.#waiters]) waiter.resolve();
  }
}
