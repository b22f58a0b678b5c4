import type { EventStore, GlobalPosition } from '@cogov/domain';
import type { Database } from 'lmdb';
import type { Projection, SlotDatabases } from './projection.ts';
import type { ReadModelStore } from './readModelStore.ts';
import {
  ProjectionFeed,
  ProjectionRunner,
  type FeedOptions,
  type PoisonEvent,
  type RunnerStatus,
} from './runner.ts';
import { CANCELLED, DEFAULT_RETRY, StorageRetry, type RetryPolicy } from './storageRetry.ts';

export interface ProjectorOptions {
  /**
   * Most events per write transaction (default 2 500). Larger batches write each counter fewer
   * times, but LMDB holds every page a transaction dirties in memory: at changsha scale a batch of
   * 10 000 events peaked at 643 MiB against 368 MiB for 2 500, for 17 % more speed (ADR 9).
   */
  readonly batchSize?: number;
  /**
   * Longest a batch waits for more events once it has one (default 0: a batch takes what has
   * arrived while the previous one committed, so batches grow with the load and lag stays low).
   */
  readonly maxWaitMs?: number;
  /**
   * The waits between attempts at a batch whose commit failed on storage, such as a full disk
   * (default: 100 ms, doubling up to 5 s). The slot shows the stall in its status meanwhile.
   */
  readonly retry?: RetryPolicy;
}

/** A rebuild stopped on an event it could not apply or read; the running version still serves. */
export class RebuildFailedError extends Error {
  readonly _tag = 'RebuildFailed';
  constructor(
    readonly projection: string,
    readonly failure: PoisonEvent | null,
  ) {
    super(
      failure === null
        ? `rebuild of ${projection} did not catch up in time; the running version still serves`
        : `rebuild of ${projection} stopped at position ${failure.position}${failure.streamId === '' ? '' : ` (stream ${failure.streamId})`}: ${failure.error}; the running version still serves`,
    );
  }
}

/** Differences between a rebuilt slot and the one it replaces. */
export interface ValidationReport {
  readonly projection: string;
  readonly comparedAt: { readonly active: number; readonly rebuilt: number };
  readonly differences: number;
  readonly samples: readonly {
    readonly database: string;
    readonly key: unknown;
    readonly active: unknown;
    readonly rebuilt: unknown;
  }[];
}

interface Managed {
  readonly projection: Projection;
  active: ProjectionRunner;
  building: ProjectionRunner | null;
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Keeps every projection up to date from the log. A projection whose code version differs from
 * its active slot's is rebuilt into a fresh slot while the old one keeps serving, and switched in
 * atomically once it has caught up (blue/green).
 *
 * @example
 * const projector = new Projector(store, readModels, [statisticsProjection, membershipProjection]);
 * await projector.start();
 * await projector.waitFor(result.position, 2_000); // read your own writes
 */
export class Projector {
  readonly #store: EventStore;
  readonly #readModels: ReadModelStore;
  readonly #options: FeedOptions;
  readonly #managed = new Map<string, Managed>();
  readonly #waiters = new Set<() => void>();
  /** The rebuild under way of each projection: a second request joins it. */
  readonly #rebuilding = new Map<string, Promise<ValidationReport>>();
  /** Switches waiting to be tried again (a full disk): a stop cancels them. */
  readonly #switchRetries = new Set<StorageRetry>();

  constructor(
    store: EventStore,
    readModels: ReadModelStore,
    projections: readonly Projection[],
    options: ProjectorOptions = {},
  ) {
    this.#store = store;
    this.#readModels = readModels;
    this.#options = {
      size: options.batchSize ?? 2_500,
      maxWaitMs: options.maxWaitMs ?? 0,
      ...(options.retry === undefined ? {} : { retry: options.retry }),
    };
    for (const projection of projections) {
      const slots = readModels.slots(projection.name);
      const activeSlot = slots.active?.slot ?? 1;
      const active = new ProjectionRunner(store, readModels, projection, activeSlot, this.#options);
      this.#managed.set(projection.name, { projection, active, building: null });
    }
  }

  /** Starts every projection; rebuilds those whose version changed (the old slot serves meanwhile). */
  async start(): Promise<void> {
    // The active slots share one subscription and one write transaction per batch.
    const current: ProjectionRunner[] = [];
    const building: ProjectionRunner[] = [];
    for (const managed of this.#managed.values()) {
      const { projection } = managed;
      const slots = this.#readModels.slots(projection.name);
      if (slots.active === null) {
        await this.#readModels.write(() =>
          this.#readModels.putSlots(projection.name, {
            active: { slot: managed.active.slot, version: projection.version },
            building: null,
          }),
        );
      }
      const activeVersion = this.#readModels.slots(projection.name).active?.version ?? projection.version;
      if (activeVersion === projection.version) {
        this.#watch(managed.active);
        current.push(managed.active);
      } else {
        // New code: the old slot keeps answering queries (frozen) while the new version builds.
        building.push(
          await this.#startBuilding(
            managed,
            slots.building?.version === projection.version ? slots.building.slot : undefined,
            { defer: true },
          ),
        );
      }
    }
    ProjectionFeed.start(this.#store, this.#readModels, this.#options, current);
    // Slots being built share a subscription of their own, from the start of the log.
    ProjectionFeed.start(this.#store, this.#readModels, this.#options, building);
  }

  /**
   * Rebuilds a projection from the start of the log into a fresh slot, checks it against the
   * running one and switches it in. Resolves with the differences found.
   */
  rebuild(name: string, options: { readonly timeoutMs?: number } = {}): Promise<ValidationReport> {
    // One at a time per projection. Two at once shared one building slot: the second stopped the
    // first's runner and emptied the slot under it, and the first then compared a half-built slot
    // (and could switch it in), or, timing out, emptied the slot that had meanwhile become active.
    const running = this.#rebuilding.get(name);
    if (running !== undefined) return running;
    const run = this.#rebuild(name, options).finally(() => this.#rebuilding.delete(name));
    this.#rebuilding.set(name, run);
    return run;
  }

  async #rebuild(name: string, options: { readonly timeoutMs?: number }): Promise<ValidationReport> {
    const managed = this.#managed.get(name);
    if (managed === undefined)
      throw new Error(`unknown projection ${name}; known: ${[...this.#managed.keys()].join(', ')}`);
    const building = await this.#startBuilding(managed, undefined, { switchWhenLive: false });
    const caughtUp = await this.#until(
      () =>
        building.status().state === 'failed' ||
        building.status().state === 'stopped' ||
        (building.status().state === 'live' && building.position >= managed.active.position),
      options.timeoutMs ?? 600_000,
    );
    const failure = building.status().failure;
    if (failure !== null || !caughtUp || building.status().state !== 'live') {
      // The active slot keeps serving; the half-built one is dropped (never the active one).
      await building.stop();
      if (managed.building === building) managed.building = null;
      const slots = this.#readModels.slots(name);
      if (slots.active?.slot !== building.slot)
        await this.#readModels.write(() => {
          this.#readModels.clearSlot(name, building.slot, managed.projection.databases);
          this.#readModels.putSlots(name, {
            active: slots.active,
            building: slots.building?.slot === building.slot ? null : slots.building,
          });
        });
      throw new RebuildFailedError(name, failure);
    }
    const report = this.validate(managed.projection, managed.active, building);
    await this.#switch(managed, building);
    return report;
  }

  /** The databases queries should read for a projection: its active slot's. */
  databases<Names extends string>(name: string): SlotDatabases<Names> {
    const managed = this.#managed.get(name);
    if (managed === undefined) throw new Error(`unknown projection ${name}`);
    return managed.active.databases;
  }

  /** The code version of the slot queries read (during a blue/green rebuild, the previous one's). */
  activeVersion(name: string): number {
    const managed = this.#managed.get(name);
    if (managed === undefined) throw new Error(`unknown projection ${name}`);
    return this.#readModels.slots(name).active?.version ?? managed.projection.version;
  }

  /** The log position a projection's queries reflect. */
  position(name: string): number {
    return this.#managed.get(name)?.active.position ?? -1;
  }

  /** The lowest position reflected by all projections: what every query reflects at least. */
  minimumPosition(): number {
    return Math.min(...[...this.#managed.values()].map((m) => m.active.position));
  }

  status(): readonly (RunnerStatus & { readonly role: 'active' | 'building' })[] {
    return [...this.#managed.values()].flatMap((m) => [
      { ...m.active.status(), role: 'active' as const },
      ...(m.building === null ? [] : [{ ...m.building.status(), role: 'building' as const }]),
    ]);
  }

  /** Every active projection is live (caught up with the log and following it). */
  ready(): boolean {
    return [...this.#managed.values()].every((m) => m.active.status().state === 'live');
  }

  /** Resolves true once every active projection is live, false on timeout. */
  waitUntilReady(timeoutMs: number): Promise<boolean> {
    return this.#until(() => this.ready(), timeoutMs);
  }

  /** Resolves true once every active projection has applied `position` (read-your-writes), false on timeout. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return this.#until(
      () => [...this.#managed.values()].every((m) => m.active.position >= position),
      timeoutMs,
    );
  }

  async stop(): Promise<void> {
    for (const retry of this.#switchRetries) retry.cancel();
    await Promise.all(
      [...this.#managed.values()].flatMap((m) => [
        m.active.stop(),
        ...(m.building === null ? [] : [m.building.stop()]),
      ]),
    );
  }

  /** Compares two slots of a projection database by database, key by key. */
  validate(projection: Projection, active: ProjectionRunner, rebuilt: ProjectionRunner): ValidationReport {
    let differences = 0;
    const samples: ValidationReport['samples'][number][] = [];
    for (const name of projection.databases) {
      const a = (active.databases as Record<string, Database>)[name] as Database;
      const b = (rebuilt.databases as Record<string, Database>)[name] as Database;
      const left = a.getRange({})[Symbol.iterator]();
      const right = b.getRange({})[Symbol.iterator]();
      let l = left.next();
      let r = right.next();
      const note = (key: unknown, x: unknown, y: unknown) => {
        differences++;
        if (samples.length < 20) samples.push({ database: name, key, active: x, rebuilt: y });
      };
      while (l.done !== true || r.done !== true) {
        const lk = l.done === true ? undefined : l.value.key;
        const rk = r.done === true ? undefined : r.value.key;
        const order = lk === undefined ? 1 : rk === undefined ? -1 : compareKeys(lk, rk);
        if (order === 0) {
          if (
            !sameValue(
              l.done === true ? undefined : l.value.value,
              r.done === true ? undefined : r.value.value,
            )
          ) {
            note(
              lk,
              l.done === true ? undefined : l.value.value,
              r.done === true ? undefined : r.value.value,
            );
          }
          l = left.next();
          r = right.next();
        } else if (order < 0) {
          note(lk, l.done === true ? undefined : l.value.value, undefined);
          l = left.next();
        } else {
          note(rk, undefined, r.done === true ? undefined : r.value.value);
          r = right.next();
        }
      }
    }
    return {
      projection: projection.name,
      comparedAt: { active: active.position, rebuilt: rebuilt.position },
      differences,
      samples,
    };
  }

  async #startBuilding(
    managed: Managed,
    resumeSlot: number | undefined,
    options: { switchWhenLive?: boolean; defer?: boolean } = {},
  ): Promise<ProjectionRunner> {
    const { projection } = managed;
    await managed.building?.stop();
    // Two slots take turns (the active one and the one being built): the environment's table of
    // databases stays bounded however many times a projection is rebuilt.
    const slot = resumeSlot ?? (managed.active.slot === 1 ? 2 : 1);
    if (resumeSlot === undefined) {
      await this.#readModels.write(() => {
        this.#readModels.clearSlot(projection.name, slot, projection.databases);
        this.#readModels.putSlots(projection.name, {
          active: this.#readModels.slots(projection.name).active,
          building: { slot, version: projection.version },
        });
      });
    }
    const building = new ProjectionRunner(this.#store, this.#readModels, projection, slot, this.#options);
    managed.building = building;
    this.#watch(building);
    if (options.switchWhenLive !== false) {
      building.onChange((status) => {
        if (status.state === 'live' && managed.building === building)
          this.#switchWhenWritten(managed, building);
      });
    }
    if (options.defer !== true) building.start();
    return building;
  }

  /**
   * Switches a slot built in the background in once it is live, trying again while the read
   * models cannot be written (the switch is a write): the old slot serves meanwhile. Unhandled,
   * a failed switch ended the process. Any other failure stops the built slot, named.
   */
  #switchWhenWritten(managed: Managed, building: ProjectionRunner): void {
    const retry = new StorageRetry(this.#options.retry ?? DEFAULT_RETRY);
    this.#switchRetries.add(retry);
    this.#switch(managed, building, (apply) =>
      retry.run(
        () => this.#readModels.write(apply),
        (stall) => building.stalled(stall),
      ),
    )
      .catch((error: unknown) =>
        building.fail({
          projection: managed.projection.name,
          position: building.position as GlobalPosition,
          type: '(switching to the rebuilt slot)',
          streamId: '',
          error: error instanceof Error ? error.message : String(error),
        }),
      )
      .finally(() => this.#switchRetries.delete(retry));
  }

  /**
   * Makes a built slot the active one, then empties the old one. `write` commits each step (with
   * retries, for a switch in the background); a step it gives up on (`CANCELLED`: the projector
   * stopped) ends the switch there: before the first, nothing changed; before the second, the old
   * slot keeps its data until the next build, which empties its slot first.
   */
  async #switch(
    managed: Managed,
    building: ProjectionRunner,
    write: (apply: () => void) => Promise<unknown> = (apply) => this.#readModels.write(apply),
  ): Promise<void> {
    const previous = managed.active;
    const switched = await write(() =>
      this.#readModels.putSlots(managed.projection.name, {
        active: { slot: building.slot, version: managed.projection.version },
        building: null,
      }),
    );
    if (switched === CANCELLED) return;
    managed.active = building;
    managed.building = null;
    await previous.stop();
    await write(() =>
      this.#readModels.clearSlot(managed.projection.name, previous.slot, managed.projection.databases),
    );
    this.#wake();
  }

  #watch(runner: ProjectionRunner): void {
    runner.onChange(() => this.#wake());
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  #until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (condition()) finish(true);
      };
      // A wait never holds the process open (a server stopping while a long wait is pending).
      const timer = setTimeout(() => finish(false), timeoutMs).unref();
      const finish = (value: boolean) => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(value);
      };
      this.#waiters.add(check);
    });
  }
}

/** lmdb-js's key order for the keys we use (numbers, strings, arrays of them). */
const compareKeys = (a: unknown, b: unknown): number => {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareKeys(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
};
