import type { LmdbEventStore } from './lmdbEventStore.ts';
import type { ChainBreak, ChainPoint } from './verify.ts';

/** Where the server's watch over its own log stands. */
export interface IntegrityStatus {
  /** verifying: catching up with the log; verified: everything up to `verifiedTo` checks out; broken: see `break`. */
  readonly state: 'verifying' | 'verified' | 'broken';
  /** The last position verified (−1: none yet). */
  readonly verifiedTo: number;
  readonly break: ChainBreak | null;
  /** When the last verification ran (ISO 8601), or null. */
  readonly checkedAt: string | null;
}

/**
 * Verifies a running store's log in the background: all of it at start (a byte flipped on disk
 * in a record written years ago is found then, not when someone reads it), then, every
 * `intervalMs`, what was appended since. It works in slices, so requests are not held up (about
 * a second of one core per 300 000 events). A break is kept, and reported by `/readyz`, until
 * restart.
 */
export class IntegrityMonitor {
  readonly #store: LmdbEventStore;
  readonly #intervalMs: number;
  #point: ChainPoint | undefined;
  #break: ChainBreak | null = null;
  #checkedAt: Date | null = null;
  #running: Promise<void> | null = null;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #caughtUp = false;

  constructor(store: LmdbEventStore, options: { readonly intervalMs?: number } = {}) {
    this.#store = store;
    this.#intervalMs = options.intervalMs ?? 1_000;
  }

  /** Starts watching (the first verification runs at once, in the background). */
  start(): void {
    this.#schedule(0);
  }

  status(): IntegrityStatus {
    return {
      state: this.#break !== null ? 'broken' : this.#caughtUp ? 'verified' : 'verifying',
      verifiedTo: this.#point?.position ?? -1,
      break: this.#break,
      checkedAt: this.#checkedAt?.toISOString() ?? null,
    };
  }

  /** Verifies what was appended since the last run, now (tests; an operator's request). */
  async check(): Promise<IntegrityStatus> {
    while (this.#running !== null) await this.#running;
    this.#running = this.#run().finally(() => {
      this.#running = null;
    });
    await this.#running;
    return this.status();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    while (this.#running !== null) await this.#running;
  }

  #schedule(delay: number): void {
    if (this.#stopped || this.#break !== null) return;
    this.#timer = setTimeout(() => {
      void this.check().then(
        () => this.#schedule(this.#intervalMs),
        () => this.#schedule(this.#intervalMs),
      );
    }, delay);
    this.#timer.unref();
  }

  async #run(): Promise<void> {
    if (this.#stopped || this.#break !== null) return;
    const head = await this.#store.lastPosition();
    if (head === null || (this.#point !== undefined && this.#point.position >= head)) {
      this.#caughtUp = true;
      this.#checkedAt = new Date();
      return;
    }
    const report = await this.#store.verifyInSlices({
      ...(this.#point === undefined ? {} : { after: this.#point }),
      to: head,
      scanIndex: false,
    });
    this.#checkedAt = new Date();
    if (report.break !== null) {
      this.#break = report.break;
      return;
    }
    if (report.headHash !== null && report.to >= 0)
      this.#point = { position: report.to, hash: report.headHash };
    this.#caughtUp = true;
  }
}
