import {
  POINTS_SETTLED_CODES,
  pointsFor,
  type CogovService,
  type DomainEvent,
  type EventStore,
  type GlobalPosition,
  type RecordedEvent,
} from '@cogov/domain';
import { concatMap, from, type Subscription as RxSubscription } from 'rxjs';
import { batches, Gate, type Batch, type BatchOptions } from './batchSource.ts';
import type { ReadModelStore } from './readModelStore.ts';
import { CANCELLED, DEFAULT_RETRY, StorageRetry, type RetryPolicy, type Stall } from './storageRetry.ts';

export interface ProcessManagerStatus {
  readonly name: string;
  readonly state: 'running' | 'stopped' | 'failed';
  readonly position: number;
  readonly commandsIssued: number;
  /** Commands the rules refused for another reason than "already done": kept for an operator. */
  readonly refused: readonly { readonly position: number; readonly command: string; readonly code: string }[];
  readonly error: string | null;
  /**
   * The log or the read models cannot be written (a full disk): the event being handled, or the
   * checkpoint, is tried again until it goes through. Commands are idempotent, so a retry scores
   * nothing twice.
   */
  readonly stall: Stall | null;
}

const CHECKPOINT = 'process-manager:points';

/**
 * Runs the points rule (`pointsFor`) over the log with its own checkpoint: each triggering event
 * becomes AwardPoints commands with the event as their cause and causation id. Delivery is at
 * least once; the commands are idempotent (command id and cause), so every cause scores once.
 */
export class ProcessManagerRunner {
  readonly #store: EventStore;
  readonly #readModels: ReadModelStore;
  readonly #cogov: CogovService;
  readonly #options: BatchOptions;
  #state: ProcessManagerStatus['state'] = 'stopped';
  #position: number;
  #issued = 0;
  readonly #refused: { position: number; command: string; code: string }[] = [];
  #error: string | null = null;
  #stall: Stall | null = null;
  readonly #retryPolicy: RetryPolicy;
  #retry = new StorageRetry();
  #subscription: { close(): Promise<void> } | undefined;
  #rx: RxSubscription | undefined;

  constructor(
    store: EventStore,
    readModels: ReadModelStore,
    cogov: CogovService,
    options: BatchOptions & { readonly retry?: RetryPolicy } = { size: 500, maxWaitMs: 5 },
  ) {
    this.#retryPolicy = options.retry ?? DEFAULT_RETRY;
    this.#store = store;
    this.#readModels = readModels;
    this.#cogov = cogov;
    this.#options = options;
    this.#position = readModels.meta<number>(CHECKPOINT) ?? -1;
  }

  status(): ProcessManagerStatus {
    return {
      name: 'points',
      state: this.#state,
      position: this.#position,
      commandsIssued: this.#issued,
      refused: this.#refused.slice(-20),
      error: this.#error,
      stall: this.#stall,
    };
  }

  start(): void {
    if (this.#state === 'running') return;
    this.#state = 'running';
    this.#retry = new StorageRetry(this.#retryPolicy);
    const subscription = this.#store.subscribeAll({ fromPosition: (this.#position + 1) as GlobalPosition });
    this.#subscription = subscription;
    const gate = new Gate();
    this.#rx = from(batches(subscription, this.#options, gate))
      .pipe(concatMap((batch) => from(this.#process(batch).finally(() => gate.open()))))
      .subscribe({
        error: (error: unknown) => {
          this.#state = 'failed';
          this.#error = String(error);
        },
      });
  }

  async stop(): Promise<void> {
    if (this.#state === 'running') this.#state = 'stopped';
    this.#retry.cancel();
    this.#stall = null;
    this.#rx?.unsubscribe();
    await this.#subscription?.close();
  }

  async #process(batch: Batch): Promise<void> {
    if (this.#state !== 'running') return;
    const stalled = (stall: Stall | null) => {
      this.#stall = stall;
    };
    for (const event of batch.events) {
      const done = await this.#retry.run(() => this.#handle(event as RecordedEvent<DomainEvent>), stalled);
      if (done === CANCELLED) return;
    }
    const last = batch.events[batch.events.length - 1];
    if (last !== undefined) {
      const done = await this.#retry.run(
        () => this.#readModels.write(() => this.#readModels.putMeta(CHECKPOINT, last.position)),
        stalled,
      );
      if (done === CANCELLED) return;
      this.#position = last.position;
    }
  }

  async #handle(event: RecordedEvent<DomainEvent>): Promise<void> {
    for (const { command, commandId } of pointsFor(event, this.#cogov.policy)) {
      const result = await this.#cogov.execute(command, {
        commandId,
        causationId: event.eventId,
        ...(event.metadata.correlationId === undefined
          ? {}
          : { correlationId: event.metadata.correlationId }),
        actor: 'process-manager:points',
      });
      if (result.status === 'accepted') {
        if (!result.replayed) this.#issued++;
      } else if (!POINTS_SETTLED_CODES.has(result.rejection.code)) {
        this.#refused.push({ position: event.position, command: command.type, code: result.rejection.code });
        if (this.#refused.length > 1_000) this.#refused.shift();
      }
    }
  }
}
