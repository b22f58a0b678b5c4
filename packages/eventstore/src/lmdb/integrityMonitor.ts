import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LmdbEventStore } from './lmdbEventStore.ts';
import type { ChainBreak, ChainPoint, VerifyReport } from './verify.ts';

/** The compiled worker beside this module (absent when running from TypeScript sources: then in slices). */
const WORKER = fileURLToPath(new URL('./verifyWorker.js', import.meta.url));

/** Verifies a log up to `to` in a worker thread, reading it read-only beside the open store. */
const verifyInWorker = (path: string, to: number): Promise<VerifyReport> =>
  new Promise((resolve, reject) => {
    // No inherited execArgv: the worker runs compiled JavaScript whatever loader the parent runs under.
    const worker = new Worker(WORKER, { workerData: { path, to }, execArgv: [] });
    worker.once('message', (message: { report?: VerifyReport; error?: string }) => {
      if (message.report !== undefined) resolve(message.report);
      else reject(new Error(message.error ?? 'verification worker failed'));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`verification worker exited with ${code}`));
    });
  });

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
 * `intervalMs`, what was appended since. The whole-log verification runs in a worker thread
 * (another core: start-up and requests are not held up; about a second per 300 000 events), the
 * later ones in slices between requests. A break is kept, and reported by `/readyz`, until restart.
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

  readonly #useWorker: boolean;

  /** @param options.worker verify the whole log in a worker thread (default: when compiled). */
  constructor(
    store: LmdbEventStore,
    options: { readonly intervalMs?: number; readonly worker?: boolean } = {},
  ) {
    this.#store = store;
    this.#intervalMs = options.intervalMs ?? 1_000;
    this.#useWorker = options.worker ?? existsSync(WORKER);
  }

  /** Starts watching (the first verification runs at once, in the background). */
  start(): void {
    this.#schedule(0);
  }

  /** Whether the whole-log verification runs in a worker thread. */
  get usesWorker(): boolean {
    return this.#useWorker;
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
    const report =
      this.#point === undefined && this.#useWorker
        ? await verifyInWorker(this.#store.path, head)
        : await this.#store.verifyInSlices({
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
