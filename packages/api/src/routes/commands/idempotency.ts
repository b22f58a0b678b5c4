import type { ReadModelStore } from '@cogov/projections';
import type { Database, Key } from 'lmdb';

const SWEEP_BATCH = 10_000;

/** The first response to a request made with an Idempotency-Key, returned again for its retries. */
export interface StoredResponse {
  /** What the request was (method, path, body): the same key with another request is refused. */
  readonly fingerprint: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** When it was stored (ms since the epoch). */
  readonly at: number;
}

/**
 * Idempotency keys and their first responses, kept in the read models' environment (the API's
 * own local state) for a configurable time. A key is scoped by the client that used it. The
 * command itself is also idempotent in the log (the key becomes its command id), so a retry after
 * a crash between the append and the stored response still writes nothing twice.
 */
export class IdempotencyStore {
  readonly #readModels: ReadModelStore;
  readonly #responses: Database<StoredResponse, string>;
  /** [stored at, key]: expired keys are swept in order of age. */
  readonly #byAge: Database<null, Key>;
  readonly #ttlMs: number;
  readonly #inFlight = new Set<string>();
  #sweeper: NodeJS.Timeout | undefined;
  #sweeping: Promise<unknown> = Promise.resolve();

  constructor(readModels: ReadModelStore, ttlMs: number) {
    this.#readModels = readModels;
    this.#responses = readModels.root.openDB<StoredResponse, string>({ name: 'api/idempotency' });
    this.#byAge = readModels.root.openDB<null, Key>({ name: 'api/idempotency-by-age' });
    this.#ttlMs = ttlMs;
  }

  /** The stored response for a key, unless it has expired. */
  get(key: string, now = Date.now()): StoredResponse | undefined {
    const stored = this.#responses.get(key);
    return stored === undefined || stored.at + this.#ttlMs < now ? undefined : stored;
  }

  /** Marks a key as being handled; false if a request with it is already in flight. */
  begin(key: string): boolean {
    if (this.#inFlight.has(key)) return false;
    this.#inFlight.add(key);
    return true;
  }

  end(key: string): void {
    this.#inFlight.delete(key);
  }

  /**
   * Stores a key's first response. A failed commit (a full disk) rejects with
   * `StoreUnavailableError`; the command is in the log by then, and a retry with the key finds it
   * there (the key is its command id).
   */
  async put(key: string, response: StoredResponse): Promise<void> {
    await this.#readModels.write(() => {
      const previous = this.#responses.get(key);
      if (previous !== undefined) this.#byAge.removeSync([previous.at, key]);
      this.#responses.putSync(key, response);
      this.#byAge.putSync([response.at, key], null);
    });
  }

  /** Removes expired keys (at most 10 000 a call); returns how many. */
  async sweep(now = Date.now()): Promise<number> {
    const expired: [number, string][] = [];
    // At most SWEEP_BATCH a turn: after a long stop, one transaction would hold them all.
    for (const key of this.#byAge.getKeys({ end: [now - this.#ttlMs, '\uffff'], limit: SWEEP_BATCH }))
      expired.push(key as [number, string]);
    if (expired.length === 0) return 0;
    await this.#readModels.write(() => {
      for (const [at, key] of expired) {
        this.#byAge.removeSync([at, key]);
        if (this.#responses.get(key)?.at === at) this.#responses.removeSync(key);
      }
    });
    return expired.length;
  }

  /**
   * Sweeps expired keys now and then every `intervalMs` (unref'd: it never holds the process
   * open). A sweep that fails (a full disk) is reported to `onError` and tried at the next turn.
   */
  startSweeping(intervalMs: number, onError: (error: unknown) => void): void {
    if (this.#sweeper !== undefined) return;
    const sweep = () => {
      this.#sweeping = this.sweep().catch(onError);
    };
    sweep();
    this.#sweeper = setInterval(sweep, intervalMs).unref();
  }

  /** Stops sweeping; resolves once a sweep under way has finished. */
  async stopSweeping(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
    await this.#sweeping;
  }
}
