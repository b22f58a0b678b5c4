import { isStoreUnavailable } from '@cogov/domain';

/** How long a projection waits between attempts at a write that failed on storage. */
export interface RetryPolicy {
  /** The first wait, in milliseconds (default 100); each next one doubles. */
  readonly firstMs: number;
  /** The longest wait, in milliseconds (default 5 000). */
  readonly maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { firstMs: 100, maxMs: 5_000 };

/**
 * Writing stopped on storage (a full disk, an I/O error) rather than on an event: the same work
 * is tried again, with a longer wait each time, until it commits. Nothing is skipped meanwhile.
 */
export interface Stall {
  /** When the first attempt failed (ISO 8601). */
  readonly since: string;
  /** Failed attempts so far. */
  readonly attempts: number;
  /** What the last attempt failed with. */
  readonly error: string;
}

/** What {@link StorageRetry.run} resolves with once cancelled (the work was given up, not done). */
export const CANCELLED: unique symbol = Symbol('cancelled');

/**
 * Runs work again, with exponential back-off, while it fails on storage
 * (`StoreUnavailableError`: the read models' commit or the log's append failed). Any other error is
 * thrown at once: it is the work's own (a handler's), and retrying cannot cure it. `cancel()` ends
 * the waiting for good (the feed stopped).
 */
export class StorageRetry {
  readonly #policy: RetryPolicy;
  #cancelled = false;
  #timer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;

  constructor(policy: RetryPolicy = DEFAULT_RETRY) {
    this.#policy = policy;
  }

  get cancelled(): boolean {
    return this.#cancelled;
  }

  /**
   * Resolves with the work's result once an attempt succeeds, or {@link CANCELLED}. `onStall` is
   * told of each failed attempt, and of the recovery (`null`) when there was one.
   */
  async run<T>(
    work: () => Promise<T>,
    onStall: (stall: Stall | null) => void,
  ): Promise<T | typeof CANCELLED> {
    let since: string | null = null;
    for (let attempt = 1; ; attempt++) {
      if (this.#cancelled) return CANCELLED;
      try {
        const result = await work();
        if (since !== null) onStall(null);
        return result;
      } catch (error) {
        if (!isStoreUnavailable(error)) throw error;
        since ??= new Date().toISOString();
        onStall({ since, attempts: attempt, error: error.message });
        await this.#sleep(Math.min(this.#policy.maxMs, this.#policy.firstMs * 2 ** (attempt - 1)));
      }
    }
  }

  /** Gives up: a wait under way ends now, and no attempt follows. */
  cancel(): void {
    this.#cancelled = true;
    clearTimeout(this.#timer);
    this.#wake?.();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
      // The wait does not hold the process open: a server stopping mid-stall exits.
      this.#timer = setTimeout(resolve, ms).unref();
    });
  }
}
