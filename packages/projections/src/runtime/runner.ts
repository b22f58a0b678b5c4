import { isDamagedRecord, type EventStore, type GlobalPosition, type RecordedEvent } from '@cogov/domain';
import { concatMap, from, type Subscription as RxSubscription } from 'rxjs';
import { batches, Gate, type Batch, type BatchOptions } from './batchSource.ts';
import type { Projection, SlotDatabases } from './projection.ts';
import type { ReadModelStore } from './readModelStore.ts';

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
}

/**
 * Runs one projection slot: subscribes from its checkpoint, cuts batches, and commits each batch
 * in one write transaction with the checkpoint (exactly once). A handler that throws stops this
 * runner only, naming the projection, position and event type.
 */
export class ProjectionRunner<Names extends string = string> {
  readonly projection: Projection<Names>;
  readonly slot: number;
  readonly #store: EventStore;
  readonly #readModels: ReadModelStore;
  readonly #options: BatchOptions;
  readonly #dbs: SlotDatabases<Names>;
  readonly #listeners = new Set<(status: RunnerStatus) => void>();
  #state: RunnerState = 'stopped';
  #position: number;
  #applied = 0;
  #failure: PoisonEvent | null = null;
  #subscription: { close(): Promise<void> } | undefined;
  #rx: RxSubscription | undefined;
  /** The batch being committed: stop() waits for it, so a successor never resumes behind it. */
  #inFlight: Promise<void> = Promise.resolve();

  constructor(
    store: EventStore,
    readModels: ReadModelStore,
    projection: Projection<Names>,
    slot: number,
    options: BatchOptions,
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
    };
  }

  /** Called on every state or position change. */
  onChange(listener: (status: RunnerStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    if (this.#state !== 'stopped') return;
    this.#state = 'catching-up';
    // The checkpoint as committed now (a runner stopped earlier may have committed since construction).
    this.#position = this.#readModels.checkpoint(this.projection.name, this.slot);
    const subscription = this.#store.subscribeAll({ fromPosition: (this.#position + 1) as GlobalPosition });
    this.#subscription = subscription;
    const gate = new Gate();
    this.#rx = from(batches(subscription, this.#options, gate))
      .pipe(
        concatMap((batch) => {
          this.#inFlight = this.#commit(batch).finally(() => gate.open());
          return from(this.#inFlight);
        }),
      )
      .subscribe({
        error: (error: unknown) => {
          const damaged = isDamagedRecord(error) ? error : null;
          this.#fail({
            projection: this.projection.name,
            position: (damaged?.position ?? this.#position + 1) as GlobalPosition,
            type: damaged === null ? '(reading the log)' : '(a damaged log record)',
            streamId: damaged?.streamId ?? '',
            error: error instanceof Error ? error.message : String(error),
          });
        },
      });
  }

  async stop(): Promise<void> {
    if (this.#state === 'stopped') return;
    if (this.#state !== 'failed') this.#state = 'stopped';
    this.#rx?.unsubscribe();
    await this.#subscription?.close();
    await this.#inFlight;
    this.#notify();
  }

  async #commit(batch: Batch): Promise<void> {
    if (this.#state === 'failed' || this.#state === 'stopped') return;
    const last = batch.events[batch.events.length - 1];
    if (last !== undefined) {
      try {
        await this.#applyAtomically(batch.events);
        this.#advance(last.position, batch.events.length);
      } catch {
        // Find the event that throws: commit the ones before it, then stop on it.
        await this.#isolatePoison(batch.events);
        return;
      }
    }
    if (batch.caughtUp && this.#state === 'catching-up') {
      this.#state = 'live';
      this.#notify();
    }
  }

  #applyAtomically(events: readonly RecordedEvent[]): Promise<void> {
    const last = events[events.length - 1] as RecordedEvent;
    return this.#readModels.write(() => {
      // A child transaction: if the handler throws, nothing of this batch is kept.
      void this.#readModels.root.childTransaction(() => {
        this.projection.apply(this.#dbs, events);
        this.#readModels.putCheckpoint(this.projection.name, this.slot, last.position);
      });
    });
  }

  async #isolatePoison(events: readonly RecordedEvent[]): Promise<void> {
    for (const event of events) {
      try {
        await this.#applyAtomically([event]);
        this.#advance(event.position, 1);
      } catch (error) {
        this.#fail({
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

  #advance(position: number, count: number): void {
    this.#position = position;
    this.#applied += count;
    this.#notify();
  }

  #fail(failure: PoisonEvent): void {
    this.#failure = failure;
    this.#state = 'failed';
    this.#rx?.unsubscribe();
    void this.#subscription?.close();
    this.#notify();
  }

  #notify(): void {
    const status = this.status();
    for (const listener of [...this.#listeners]) listener(status);
  }
}
