import { isDamagedRecord, type EventStore, type GlobalPosition, type RecordedEvent } from '@cogov/domain';
import { concatMap, from as rxFrom, type Subscription as RxSubscription } from 'rxjs';
import { batches, Gate, type Batch, type BatchOptions } from './batchSource.ts';
import type { Projection, SlotDatabases } from './projection.ts';
import type { ReadModelStore } from './readModelStore.ts';
import { CANCELLED, DEFAULT_RETRY, StorageRetry, type RetryPolicy, type Stall } from './storageRetry.ts';

export type RunnerState = 'catching-up' | 'live' | 'failed' | 'stopped';

/** A handler threw on an event: the projection stops there, naming the event. */
export interface PoisonEvent {
  readonly projection: string;
  readonly position: GlobalPosition;
  readonly type: string;
  readonly streamId: string;
  readonly error: string;
}

export interface RunnerStatus {
  readonly projection: string;
  readonly version: number;
  readonly slot: number;
  readonly state: RunnerState;
  /** The last position applied (-1: none). */
  readonly position: number;
  readonly eventsApplied: number;
  readonly failure: PoisonEvent | null;
  /**
   * The read models cannot be written (a full disk): the slot holds its position and tries the
   * same batch again until it commits. Not the event's fault; nothing is skipped.
   */
  readonly stall: Stall | null;
}

/** How a feed cuts and commits batches. */
export interface FeedOptions extends BatchOptions {
  /** The waits between attempts at a batch whose commit failed on storage. */
  readonly retry?: RetryPolicy;
}

/**
 * One projection slot: its checkpoint, state and databases. A runner is driven by a
 * {@link ProjectionFeed}, alone (`start()`) or with others sharing one subscription and one write
 * transaction per batch (`ProjectionFeed.start([...])`). Each batch commits the slot's writes
 * together with its checkpoint (exactly once). A handler that throws stops this runner only,
 * naming the projection, position and event type.
 */
export class ProjectionRunner<Names extends string = string> {
  readonly projection: Projection<Names>;
  readonly slot: number;
  readonly #store: EventStore;
  readonly #readModels: ReadModelStore;
  readonly #options: FeedOptions;
  readonly #dbs: SlotDatabases<Names>;
  readonly #listeners = new Set<(status: RunnerStatus) => void>();
  #state: RunnerState = 'stopped';
  #position: number;
  #applied = 0;
  #failure: PoisonEvent | null = null;
  #stall: Stall | null = null;
  #feed: ProjectionFeed | undefined;

  constructor(
    store: EventStore,
    readModels: ReadModelStore,
    projection: Projection<Names>,
    slot: number,
    options: FeedOptions,
  ) {
    this.#store = store;
    this.#readModels = readModels;
    this.projection = projection;
    this.slot = slot;
    this.#options = options;
    this.#dbs = readModels.slotDatabases(projection.name, slot, projection.databases);
    this.#position = readModels.checkpoint(projection.name, slot);
  }

  get databases(): SlotDatabases<Names> {
    return this.#dbs;
  }

  get position(): number {
    return this.#position;
  }

  status(): RunnerStatus {
    return {
      projection: this.projection.name,
      version: this.projection.version,
      slot: this.slot,
      state: this.#state,
      position: this.#position,
      eventsApplied: this.#applied,
      failure: this.#failure,
      stall: this.#stall,
    };
  }

  /** Called on every state or position change. */
  onChange(listener: (status: RunnerStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Starts this slot on a subscription of its own. */
  start(): void {
    ProjectionFeed.start(this.#store, this.#readModels, this.#options, [this]);
  }

  async stop(): Promise<void> {
    if (this.#state === 'stopped') return;
    if (this.#state !== 'failed') this.#state = 'stopped';
    await this.#feed?.detach(this);
    this.#feed = undefined;
    this.#notify();
  }

  /** Called by the feed that drives this slot: the checkpoint as committed now. */
  join(feed: ProjectionFeed): boolean {
    if (this.#state !== 'stopped') return false;
    this.#feed = feed;
    this.#state = 'catching-up';
    // A runner stopped earlier may have committed since construction.
    this.#position = this.#readModels.checkpoint(this.projection.name, this.slot);
    return true;
  }

  /** Takes batches (not stopped, not failed). */
  get accepting(): boolean {
    return this.#state === 'catching-up' || this.#state === 'live';
  }

  /** The events of a batch this slot has not applied yet. */
  unapplied(events: readonly RecordedEvent[]): readonly RecordedEvent[] {
    const first = events[0];
    if (first === undefined || first.position > this.#position) return events;
    return events.filter((event) => event.position > this.#position);
  }

  /**
   * Inside the batch's write transaction: applies events and the checkpoint in a child
   * transaction, so that a handler that throws leaves nothing of this slot's batch (and the other
   * slots of the transaction untouched).
   */
  applyInTransaction(events: readonly RecordedEvent[]): void {
    const last = events[events.length - 1] as RecordedEvent;
    this.#readModels.nested(() => {
      this.projection.apply(this.#dbs, events);
      this.#readModels.putCheckpoint(this.projection.name, this.slot, last.position);
    });
  }

  /** After the batch's commit. */
  advance(position: number, count: number): void {
    this.#position = position;
    this.#applied += count;
    this.#stall = null;
    this.#notify();
  }

  /** Told by the feed: its batch could not be committed and is being tried again (or is, `null`). */
  stalled(stall: Stall | null): void {
    if (!this.accepting || this.#stall === stall) return;
    this.#stall = stall;
    this.#notify();
  }

  /** The feed caught up with the log with this batch committed. */
  caughtUp(): void {
    if (this.#state !== 'catching-up') return;
    this.#state = 'live';
    this.#notify();
  }

  /**
   * Finds the event that throws: commits the ones before it, each alone, then stops on it. A
   * commit that fails on storage is the disk's fault, not the event's: it is retried.
   */
  async isolatePoison(events: readonly RecordedEvent[], retry: StorageRetry): Promise<void> {
    for (const event of events) {
      if (!this.accepting) return;
      try {
        const done = await retry.run(
          () => this.#readModels.write(() => this.applyInTransaction([event])),
          (stall) => this.stalled(stall),
        );
        if (done === CANCELLED) return;
        this.advance(event.position, 1);
      } catch (error) {
        this.fail({
          projection: this.projection.name,
          position: event.position,
          type: event.type,
          streamId: event.streamId,
          error: error instanceof Error ? error.message : String(error),
        });
        return;
      }
    }
  }

  fail(failure: PoisonEvent): void {
    if (!this.accepting) return;
    this.#failure = failure;
    this.#stall = null;
    this.#state = 'failed';
    const feed = this.#feed;
    this.#feed = undefined;
    // The slot has failed already; a failure to close the feed's subscription adds nothing.
    feed?.detach(this).catch(() => undefined);
    this.#notify();
  }

  #notify(): void {
    const status = this.status();
    for (const listener of [...this.#listeners]) listener(status);
  }
}

/** Most events of a batch committed on the main thread (`writeNow`) once every slot is live. */
const LIVE_BATCH = 256;

/**
 * One subscription to the log driving one or more projection slots: each event is read and
 * decoded once, and each batch commits every slot's writes and checkpoints in one write
 * transaction. The subscription starts after the lowest checkpoint; a slot ahead skips what it
 * has applied. A slot whose handler throws leaves the feed; the others go on. A batch whose commit
 * fails on storage (a full disk) is tried again with back-off, every slot holding its position and
 * showing the stall, until it commits or the feed stops.
 */
export class ProjectionFeed {
  readonly #readModels: ReadModelStore;
  readonly #runners: ProjectionRunner[];
  readonly #retry: StorageRetry;
  #subscription: { close(): Promise<void> } | undefined;
  #rx: RxSubscription | undefined;
  /**
   * The attempt at a batch under way: a slot leaving waits for it, so that a successor never
   * resumes behind it. Not the retries after it, which leave the slot out.
   */
  #attempt: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(readModels: ReadModelStore, runners: ProjectionRunner[], retry: RetryPolicy) {
    this.#readModels = readModels;
    this.#runners = runners;
    this.#retry = new StorageRetry(retry);
  }

  /** Starts the given (stopped) slots on one subscription; slots already running are left alone. */
  static start(
    store: EventStore,
    readModels: ReadModelStore,
    options: FeedOptions,
    runners: readonly ProjectionRunner[],
  ): ProjectionFeed | null {
    const members: ProjectionRunner[] = [];
    const feed = new ProjectionFeed(readModels, members, options.retry ?? DEFAULT_RETRY);
    for (const runner of runners) if (runner.join(feed)) members.push(runner);
    if (members.length === 0) return null;
    const from = Math.min(...members.map((runner) => runner.position)) + 1;
    const subscription = store.subscribeAll({ fromPosition: from as GlobalPosition });
    feed.#subscription = subscription;
    const gate = new Gate();
    feed.#rx = rxFrom(batches(subscription, options, gate))
      .pipe(concatMap((batch) => rxFrom(feed.#commit(batch).finally(() => gate.open()))))
      .subscribe({
        error: (error: unknown) => {
          const damaged = isDamagedRecord(error) ? error : null;
          for (const runner of [...members])
            runner.fail({
              projection: runner.projection.name,
              position: (damaged?.position ?? runner.position + 1) as GlobalPosition,
              type: damaged === null ? '(reading the log)' : '(a damaged log record)',
              streamId: damaged?.streamId ?? '',
              error: error instanceof Error ? error.message : String(error),
            });
        },
      });
    return feed;
  }

  /** A slot leaves (stopped or failed); the subscription closes with the last one. */
  async detach(runner: ProjectionRunner): Promise<void> {
    const index = this.#runners.indexOf(runner);
    if (index >= 0) this.#runners.splice(index, 1);
    if (this.#runners.length === 0 && !this.#closed) {
      this.#closed = true;
      this.#retry.cancel();
      this.#rx?.unsubscribe();
      await this.#subscription?.close();
    }
    await this.#attempt;
  }

  /** Commits a batch for every slot that takes it, trying again while storage fails. */
  async #commit(batch: Batch): Promise<void> {
    let done: void | typeof CANCELLED;
    try {
      done = await this.#retry.run(
        () => {
          const attempt = this.#commitOnce(batch);
          this.#attempt = attempt.catch(() => undefined);
          return attempt;
        },
        (stall) => {
          for (const runner of this.#runners) runner.stalled(stall);
        },
      );
    } catch (error) {
      // Neither a handler's (kept in its slot) nor the storage's: nothing to retry or blame.
      for (const runner of [...this.#runners])
        runner.fail({
          projection: runner.projection.name,
          position: (runner.position + 1) as GlobalPosition,
          type: '(committing a batch)',
          streamId: '',
          error: error instanceof Error ? error.message : String(error),
        });
      return;
    }
    if (done === CANCELLED) return;
    if (batch.caughtUp) for (const runner of this.#runners) if (runner.accepting) runner.caughtUp();
  }

  /**
   * One attempt: the slots' parts of the batch not applied yet (a retry skips what an attempt
   * before it committed), in one transaction; a part whose handler throws is then applied event
   * by event to find the poison. Rejects with `StoreUnavailableError` when the commit fails.
   */
  async #commitOnce(batch: Batch): Promise<void> {
    const work = this.#runners
      .filter((runner) => runner.accepting)
      .map((runner) => ({ runner, events: runner.unapplied(batch.events) }))
      .filter(({ events }) => events.length > 0);
    if (work.length === 0) return;
    const broken = new Set<(typeof work)[number]>();
    const apply = () => {
      for (const part of work) {
        try {
          part.runner.applyInTransaction(part.events);
        } catch {
          broken.add(part);
        }
      }
    };
    // Live, a batch is what arrived during the last commit: committed on this thread at once.
    // Catching up, the write thread commits while the next batch is read and decoded.
    if (batch.events.length <= LIVE_BATCH && work.every(({ runner }) => runner.status().state === 'live'))
      this.#readModels.writeNow(apply);
    else await this.#readModels.write(apply);
    for (const part of work) {
      if (broken.has(part)) continue;
      const last = part.events[part.events.length - 1] as RecordedEvent;
      part.runner.advance(last.position, part.events.length);
    }
    for (const part of broken) await part.runner.isolatePoison(part.events, this.#retry);
  }
}
