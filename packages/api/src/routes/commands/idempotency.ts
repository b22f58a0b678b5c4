import type { ReadModelStore } from '@cogov/projections';
import type { Database, Key } from 'lmdb';

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
  readonly #responses: Database<StoredResponse, string>;
  /** [stored at, key]: expired keys are swept in order of age. */
  readonly #byAge: Database<null, Key>;
  readonly #ttlMs: number;
  readonly #inFlight = new Set<string>();

  constructor(readModels: ReadModelStore, ttlMs: number) {
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

  async put(key: string, response: StoredResponse): Promise<void> {
    await this.#responses.transaction(() => {
      const previous = this.#responses.get(key);
      if (previous !== undefined) this.#byAge.removeSync([previous.at, key]);
      this.#responses.putSync(key, response);
      this.#byAge.putSync([response.at, key], null);
    });
  }

  /** Removes expired keys; returns how many. */
  async sweep(now = Date.now()): Promise<number> {
    const expired: [number, string][] = [];
    for (const key of this.#byAge.getKeys({ end: [now - this.#ttlMs, '\uffff'] }))
      expired.push(key as [number, string]);
    if (expired.length === 0) return 0;
    await this.#responses.transaction(() => {
      for (const [at, key] of expired) {
        this.#byAge.removeSync([at, key]);
        if (this.#responses.get(key)?.at === at) this.#responses.removeSync(key);
      }
    });
    return expired.length;
  }
}
