import type { GlobalPosition } from '@cogov/domain/kernel';
import type { IntegrityStatus } from '../lmdb/integrityMonitor.ts';
import type { ChainBreak } from '../lmdb/verify.ts';
import type { KurrentDbEventStore } from './kurrentDbEventStore.ts';
import { verifyStreamChains, type StreamHeads } from './streamChain.ts';

/**
 * The background watch over a KurrentDB log's stream chains (ADR 14): all of `$all` at start,
 * then, every `intervalMs`, what was appended since, continuing every stream's head so that the
 * links between old and new events are checked too. A break is kept, and reported by `/readyz`,
 * until restart.
 */
export class StreamIntegrityMonitor {
  readonly #store: KurrentDbEventStore;
  readonly #intervalMs: number;
  readonly #heads: StreamHeads = new Map();
  #verifiedTo = -1;
  #break: ChainBreak | null = null;
  #checkedAt: Date | null = null;
  #caughtUp = false;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | null = null;
  #stopped = false;

  constructor(store: KurrentDbEventStore, options: { readonly intervalMs?: number } = {}) {
    this.#store = store;
    this.#intervalMs = options.intervalMs ?? 5_000;
  }

  start(): void {
    this.#schedule(0);
  }

  status(): IntegrityStatus {
    return {
      state: this.#break !== null ? 'broken' : this.#caughtUp ? 'verified' : 'verifying',
      verifiedTo: this.#verifiedTo,
      break: this.#break,
      checkedAt: this.#checkedAt?.toISOString() ?? null,
    };
  }

  /** Verifies what was appended since the last check, now. */
  async check(): Promise<IntegrityStatus> {
    await (this.#running ??= this.#run().finally(() => (this.#running = null)));
    return this.status();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(ms: number): void {
    if (this.#stopped || this.#break !== null) return;
    this.#timer = setTimeout(() => {
      void this.check()
        .catch(() => undefined) // unavailable for now: tried again next time
        .finally(() => this.#schedule(this.#intervalMs));
    }, ms);
    this.#timer.unref();
  }

  async #run(): Promise<void> {
    // Read from the last event verified (a position KurrentDB knows), and skip it.
    const last = this.#verifiedTo;
    const report = await verifyStreamChains(
      this.#store.readAllChained(last < 0 ? {} : { fromPosition: last as GlobalPosition }),
      { from: last + 1, heads: this.#heads, headsFromStart: true },
    );
    this.#checkedAt = new Date();
    if (report.break !== null) this.#break = report.break;
    else {
      if (report.events > 0) this.#verifiedTo = report.to;
      this.#caughtUp = true;
    }
  }
}
