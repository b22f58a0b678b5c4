import {
  isWrongExpectedRevision,
  type AppendResult,
  type EventId,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type GlobalPosition,
  type RecordedEvent,
  type StreamId,
  type StreamRevision,
} from '@cogov/domain';
import fc from 'fast-check';

/**
 * A model-based test of the `EventStore` port: fast-check generates sequences of appends (every
 * kind of expected revision), replays of any earlier batch, groups of concurrent writers and
 * readers on shared streams, stream reads, `readAll` pages and new live subscribers; after every
 * step the store is compared with a reference model of the log.
 *
 * What it guards: no acknowledged append is lost and nothing refused is written; revisions are
 * gap-free per stream and positions unique and increasing (dense where the store says so); a
 * replayed batch answers its first result and changes nothing, wherever it sits in its stream
 * (R3); readers never see an event whose append has not been acknowledged; every subscriber
 * sees every committed event exactly once, in order, under concurrent writers (R0).
 */

type Expectation = 'any' | 'no_stream' | 'stream_exists' | 'current' | 'behind' | 'ahead';

interface ModelEvent {
  readonly eventId: EventId;
  readonly streamId: StreamId;
  readonly revision: number;
  /** Where the model says it is; for sparse positions, taken from the store once read back. */
  position: GlobalPosition;
  readonly n: number;
}

interface Batch {
  readonly streamId: StreamId;
  readonly events: readonly EventToAppend[];
  readonly result: AppendResult;
}

interface Model {
  readonly streams: Map<StreamId, ModelEvent[]>;
  readonly log: ModelEvent[];
  readonly batches: Batch[];
}

export interface StoreModelOptions {
  /** Positions are consecutive integers (in-memory, LMDB). */
  readonly densePositions: boolean;
  /**
   * The store runs in this process, so an append's acknowledgement reaches its writer before any
   * reader can see its events (in-memory, LMDB). A remote store (KurrentDB) may answer a reader
   * before the writer's acknowledgement arrives; there every event a reader saw must still be
   * acknowledged in the end.
   */
  readonly acknowledgedBeforeVisible: boolean;
  /** Runs (default: STORE_MODEL_RUNS, else 200). */
  readonly numRuns?: number;
  readonly seed?: number;
  /** Longest a subscriber may take to deliver what was committed (default 5 s). */
  readonly subscriberTimeoutMs?: number;
}

const STREAMS = 4;

/** A subscriber started at some point of a run, collecting what it is delivered. */
class Subscriber {
  readonly received: RecordedEvent[] = [];
  readonly #subscription: ReturnType<EventStore['subscribeAll']>;
  readonly #done: Promise<void>;
  #wake: (() => void) | undefined;
  #error: unknown;

  constructor(
    store: EventStore,
    readonly from: GlobalPosition,
    /** Index in the model's log of the first event it must deliver. */
    readonly fromIndex: number,
    readonly belongs: (event: RecordedEvent) => boolean,
  ) {
    const subscription = store.subscribeAll({ fromPosition: from });
    this.#subscription = subscription;
    this.#done = (async () => {
      try {
        for await (const message of subscription) {
          if (message.kind === 'event' && this.belongs(message.event)) this.received.push(message.event);
          this.#wake?.();
        }
      } catch (error) {
        this.#error = error;
      }
      this.#wake?.();
    })();
  }

  /** Waits until it has delivered `count` events of the run (or the timeout passes). */
  async waitFor(count: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count && this.#error === undefined && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        setTimeout(resolve, Math.max(1, Math.min(50, deadline - Date.now())));
      });
    }
    if (this.#error !== undefined) throw new Error('a subscriber failed', { cause: this.#error });
  }

  async close(): Promise<void> {
    await this.#subscription.close();
    await this.#done;
  }
}

interface Real {
  readonly store: EventStore;
  readonly options: StoreModelOptions;
  readonly prefix: string;
  readonly start: GlobalPosition;
  readonly subscribers: Subscriber[];
  counter: number;
}

class ModelViolation extends Error {}

// A declared type, so that the compiler narrows after a call.
const fail: (message: string) => never = (message) => {
  throw new ModelViolation(message);
};

const uuid = () => globalThis.crypto.randomUUID() as EventId;
const streamOf = (real: Real, i: number) => `${real.prefix}_s${i}-1` as StreamId;
const belongsTo = (prefix: string) => (event: RecordedEvent) => event.streamId.startsWith(`${prefix}_`);

const headOf = (model: Model, streamId: StreamId): number => (model.streams.get(streamId)?.length ?? 0) - 1;

/** The revision an expectation names, from the stream's head when the append is sent. */
const expectedFrom = (expectation: Expectation, head: number): ExpectedRevision => {
  switch (expectation) {
    case 'any':
    case 'no_stream':
    case 'stream_exists':
      return expectation;
    case 'current':
      return Math.max(head, 0) as StreamRevision;
    case 'behind':
      return Math.max(head - 1, 0) as StreamRevision;
    case 'ahead':
      return (head + 1) as StreamRevision;
  }
};

/** Whether an append with this expected revision is accepted on a stream whose last revision is `head`. */
const accepts = (expected: ExpectedRevision, head: number): boolean =>
  expected === 'any' ||
  (expected === 'no_stream' && head === -1) ||
  (expected === 'stream_exists' && head >= 0) ||
  expected === head;

const describeExpected = (expected: ExpectedRevision) => JSON.stringify(expected);

/** Records an acknowledged append in the model, checking that it sits where the model says it must. */
const applyToModel = (
  model: Model,
  real: Real,
  streamId: StreamId,
  events: readonly EventToAppend[],
  result: AppendResult,
): void => {
  const head = headOf(model, streamId);
  const last = model.log[model.log.length - 1];
  if (result.nextExpectedRevision !== head + events.length)
    fail(
      `${streamId}: acknowledged at revision ${result.nextExpectedRevision}, but the stream was at ${head} and ${events.length} events were added`,
    );
  const firstPosition = result.position - (real.options.densePositions ? events.length - 1 : 0);
  if (real.options.densePositions) {
    const next = last === undefined ? real.start : last.position + 1;
    if (firstPosition !== next)
      fail(
        `${streamId}: acknowledged at position ${result.position}, but the log's next position is ${next}`,
      );
  } else if (last !== undefined && result.position <= last.position) {
    fail(`${streamId}: acknowledged at position ${result.position}, not after ${last.position}`);
  }
  const stream = model.streams.get(streamId) ?? [];
  events.forEach((event, k) => {
    const recorded: ModelEvent = {
      eventId: event.eventId as EventId,
      streamId,
      revision: head + 1 + k,
      // Sparse positions are checked for order only; the store's own come from readAll.
      position: (real.options.densePositions ? firstPosition + k : result.position) as GlobalPosition,
      n: (event.data as { n: number }).n,
    };
    stream.push(recorded);
    model.log.push(recorded);
  });
  model.streams.set(streamId, stream);
  model.batches.push({ streamId, events, result });
};

const newBatch = (real: Real, size: number): EventToAppend[] =>
  Array.from({ length: size }, () => {
    const n = real.counter++;
    return { type: 'Modelled', eventId: uuid(), data: { n, text: `第 ${n} 件 — ✓` } };
  });

const sameEvent = (actual: RecordedEvent, expected: ModelEvent, dense: boolean): boolean =>
  actual.eventId === expected.eventId &&
  actual.streamId === expected.streamId &&
  actual.revision === expected.revision &&
  (actual.data as { n?: unknown }).n === expected.n &&
  (!dense || actual.position === expected.position);

const show = (e: RecordedEvent | ModelEvent | undefined) =>
  e === undefined ? 'nothing' : `${e.streamId}@${e.revision} pos ${e.position} id ${e.eventId.slice(0, 8)}`;

const compareSequence = (
  what: string,
  actual: readonly RecordedEvent[],
  expected: readonly ModelEvent[],
  dense: boolean,
): void => {
  const length = Math.max(actual.length, expected.length);
  for (let i = 0; i < length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (a === undefined || e === undefined || !sameEvent(a, e, dense))
      fail(`${what}: at index ${i} the store has ${show(a)}, the model ${show(e)}`);
  }
};

const collect = async (iterable: AsyncIterable<RecordedEvent>, belongs: (e: RecordedEvent) => boolean) => {
  const out: RecordedEvent[] = [];
  for await (const event of iterable) if (belongs(event)) out.push(event);
  return out;
};

/** After every step: the whole visible state of the store equals the model's. */
const checkInvariants = async (model: Model, real: Real): Promise<void> => {
  const { store, options } = real;
  const belongs = belongsTo(real.prefix);
  const all = await collect(store.readAll({ fromPosition: real.start }), belongs);
  compareSequence('readAll', all, model.log, options.densePositions);
  if (!options.densePositions) model.log.forEach((e, i) => (e.position = (all[i] as RecordedEvent).position));
  for (let i = 1; i < all.length; i++)
    if ((all[i] as RecordedEvent).position <= (all[i - 1] as RecordedEvent).position)
      fail(
        `readAll: position ${(all[i] as RecordedEvent).position} follows ${(all[i - 1] as RecordedEvent).position}`,
      );
  for (let i = 0; i < STREAMS; i++) {
    const streamId = streamOf(real, i);
    compareSequence(
      `readStream(${streamId})`,
      await store.readStream(streamId),
      model.streams.get(streamId) ?? [],
      options.densePositions,
    );
  }
  const last = await store.lastPosition();
  const modelLast = all[all.length - 1];
  if (modelLast !== undefined && last !== modelLast.position)
    fail(`lastPosition is ${String(last)}, the log ends at ${modelLast.position}`);
  for (const subscriber of real.subscribers) {
    const expected = model.log.slice(subscriber.fromIndex);
    await subscriber.waitFor(expected.length, options.subscriberTimeoutMs ?? 5_000);
    // Let anything delivered beyond the model (a duplicate) arrive before comparing.
    await new Promise((resolve) => setImmediate(resolve));
    compareSequence(
      `subscriber from position ${subscriber.from}`,
      subscriber.received,
      expected,
      options.densePositions,
    );
  }
};

// ── Commands ─────────────────────────────────────────────────────────────────────────────────

interface AppendSpec {
  readonly kind: 'append';
  readonly stream: number;
  readonly size: number;
  readonly expectation: Expectation;
}

interface ReplaySpec {
  readonly kind: 'replay';
  /** Which earlier batch (modulo how many there are). */
  readonly pick: number;
  readonly expectation: Expectation;
}

class AppendCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly spec: AppendSpec) {}

  check = () => true;

  async run(model: Model, real: Real): Promise<void> {
    const streamId = streamOf(real, this.spec.stream);
    const head = headOf(model, streamId);
    const expected = expectedFrom(this.spec.expectation, head);
    const events = newBatch(real, this.spec.size);
    let result: AppendResult | undefined;
    let error: unknown;
    try {
      result = await real.store.appendToStream(streamId, events, { expectedRevision: expected });
    } catch (caught) {
      error = caught;
    }
    if (accepts(expected, head)) {
      if (result === undefined)
        fail(`${streamId} at ${head}: expected ${describeExpected(expected)} was refused (${String(error)})`);
      applyToModel(model, real, streamId, events, result);
    } else {
      if (result !== undefined)
        fail(
          `${streamId} at ${head}: expected ${describeExpected(expected)} was accepted at ${result.nextExpectedRevision}`,
        );
      if (!isWrongExpectedRevision(error))
        fail(`${streamId}: refused with ${String(error)}, not a wrong expected revision`);
    }
    await checkInvariants(model, real);
  }

  toString = () => `append(s${this.spec.stream}, ${this.spec.size}, ${this.spec.expectation})`;
}

class ReplayCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly spec: ReplaySpec) {}

  check = (model: Readonly<Model>) => model.batches.length > 0;

  async run(model: Model, real: Real): Promise<void> {
    const batch = model.batches[this.spec.pick % model.batches.length] as Batch;
    const expected = expectedFrom(this.spec.expectation, headOf(model, batch.streamId));
    const again = await real.store.appendToStream(batch.streamId, batch.events, {
      expectedRevision: expected,
    });
    if (
      again.nextExpectedRevision !== batch.result.nextExpectedRevision ||
      again.position !== batch.result.position
    )
      fail(
        `replaying a batch of ${batch.streamId} answered ${JSON.stringify(again)}, first ${JSON.stringify(batch.result)}`,
      );
    await checkInvariants(model, real);
  }

  toString = () => `replay(#${this.spec.pick}, ${this.spec.expectation})`;
}

/**
 * Several writers (and replays) on shared streams at once, with readers racing them. Acknowledged
 * appends, in the order of their positions, must form a valid sequential history; a refusal must
 * be one a concurrent writer could explain; readers see only acknowledged events, each stream a
 * prefix of what it ends as.
 */
class ConcurrentCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly specs: readonly (AppendSpec | ReplaySpec)[],
    readonly readers: readonly number[],
  ) {}

  check = () => true;

  async run(model: Model, real: Real): Promise<void> {
    const acknowledged = new Set<string>();
    const issued = new Map<string, number>();
    const heads = new Map<StreamId, number>();
    for (let i = 0; i < STREAMS; i++) heads.set(streamOf(real, i), headOf(model, streamOf(real, i)));
    type Outcome =
      | {
          kind: 'append';
          streamId: StreamId;
          expected: ExpectedRevision;
          events: EventToAppend[];
          result?: AppendResult;
          error?: unknown;
        }
      | { kind: 'replay'; batch: Batch; result?: AppendResult; error?: unknown };
    const outcomes: Outcome[] = [];
    const writes = this.specs.map(async (spec, i) => {
      await new Promise((resolve) => (i % 2 === 0 ? setImmediate(resolve) : resolve(undefined)));
      if (spec.kind === 'append') {
        const streamId = streamOf(real, spec.stream);
        const expected = expectedFrom(spec.expectation, heads.get(streamId) ?? -1);
        const events = newBatch(real, spec.size);
        for (const e of events) issued.set(e.eventId as string, i);
        const outcome: Outcome = { kind: 'append', streamId, expected, events };
        outcomes.push(outcome);
        try {
          outcome.result = await real.store.appendToStream(streamId, events, { expectedRevision: expected });
          for (const e of events) acknowledged.add(e.eventId as string);
        } catch (error) {
          outcome.error = error;
        }
      } else if (model.batches.length > 0) {
        const batch = model.batches[spec.pick % model.batches.length] as Batch;
        const outcome: Outcome = { kind: 'replay', batch };
        outcomes.push(outcome);
        try {
          outcome.result = await real.store.appendToStream(batch.streamId, batch.events, {
            expectedRevision: expectedFrom(spec.expectation, heads.get(batch.streamId) ?? -1),
          });
        } catch (error) {
          outcome.error = error;
        }
      }
    });
    const sawUnacknowledged: string[] = [];
    const seenByReaders: RecordedEvent[][] = [];
    let writing = true;
    const allWritten = Promise.all(writes).finally(() => (writing = false));
    // Each reader reads its stream again and again while the writers are at it, so that some
    // reads land between a commit and its acknowledgement. Every other reader follows its stream
    // as a command handler does, asking only for what came after the last revision it has: what
    // it gathers must be the stream, with nothing skipped, once the writers are done.
    const followed: { streamId: StreamId; events: RecordedEvent[] }[] = [];
    const reads = this.readers.map(async (stream, i) => {
      for (let k = 0; k < i; k++) await new Promise((resolve) => setImmediate(resolve));
      const streamId = streamOf(real, stream);
      const follower = i % 2 === 1 ? { streamId, events: [] as RecordedEvent[] } : null;
      if (follower !== null) followed.push(follower);
      let last = false;
      do {
        last = !writing;
        const events =
          follower === null
            ? await real.store.readStream(streamId)
            : await real.store.readStream(streamId, {
                fromRevision: follower.events.length as StreamRevision,
              });
        // Checked in the same turn the read resolves: what the writers had been told by then.
        if (real.options.acknowledgedBeforeVisible)
          for (const e of events)
            if (issued.has(e.eventId) && !acknowledged.has(e.eventId))
              sawUnacknowledged.push(`${show(e)} was read before its append was acknowledged`);
        if (follower === null) seenByReaders.push([...events]);
        else follower.events.push(...events);
        await new Promise((resolve) => setImmediate(resolve));
        // A follower reads once more after the last write, to catch up.
      } while (writing || (follower !== null && !last));
    });
    await Promise.all([allWritten, ...reads]);
    if (sawUnacknowledged.length > 0)
      fail(`${sawUnacknowledged[0] as string} (${sawUnacknowledged.length} such reads)`);

    for (const outcome of outcomes) {
      if (outcome.kind !== 'replay') continue;
      if (outcome.result === undefined)
        fail(`a replay of ${outcome.batch.streamId} failed: ${String(outcome.error)}`);
      if (
        outcome.result.nextExpectedRevision !== outcome.batch.result.nextExpectedRevision ||
        outcome.result.position !== outcome.batch.result.position
      )
        fail(`a concurrent replay of ${outcome.batch.streamId} answered ${JSON.stringify(outcome.result)}`);
    }
    const appends = outcomes.filter((o): o is Extract<Outcome, { kind: 'append' }> => o.kind === 'append');
    const accepted = appends
      .filter((o) => o.result !== undefined)
      .sort((a, b) => (a.result as AppendResult).position - (b.result as AppendResult).position);
    for (const outcome of accepted) {
      const head = headOf(model, outcome.streamId);
      if (!accepts(outcome.expected, head))
        fail(
          `${outcome.streamId}: an append expecting ${describeExpected(outcome.expected)} was accepted when, in position order, the stream was at ${head}`,
        );
      applyToModel(model, real, outcome.streamId, outcome.events, outcome.result as AppendResult);
    }
    for (const outcome of appends) {
      if (outcome.result !== undefined) continue;
      if (!isWrongExpectedRevision(outcome.error))
        fail(`${outcome.streamId}: refused with ${String(outcome.error)}, not a wrong expected revision`);
      // A refusal must be one that a concurrent writer could explain: had nothing else of this
      // group been accepted on the stream, the head it started from must refuse it.
      const others = accepted.some((a) => a.streamId === outcome.streamId);
      if (!others && accepts(outcome.expected, heads.get(outcome.streamId) ?? -1))
        fail(
          `${outcome.streamId}: an append expecting ${describeExpected(outcome.expected)} was refused although nothing else was written to the stream (lost update)`,
        );
    }
    for (const { streamId, events } of followed)
      compareSequence(
        `a follower of ${streamId} reading from the revision after the last it had`,
        events,
        model.streams.get(streamId) ?? [],
        real.options.densePositions,
      );
    for (const events of seenByReaders) {
      const streamId = events[0]?.streamId;
      if (streamId === undefined) continue;
      compareSequence(
        `a concurrent readStream(${streamId})`,
        events,
        (model.streams.get(streamId) ?? []).slice(0, events.length),
        real.options.densePositions,
      );
    }
    await checkInvariants(model, real);
  }

  toString = () =>
    `concurrently(${this.specs.map((s) => (s.kind === 'append' ? `append(s${s.stream},${s.size},${s.expectation})` : `replay(#${s.pick},${s.expectation})`)).join(', ')}; reads ${this.readers.join(',')})`;
}

class ReadStreamCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly stream: number,
    readonly from: number,
    readonly span: number | null,
  ) {}

  check = () => true;

  async run(model: Model, real: Real): Promise<void> {
    const streamId = streamOf(real, this.stream);
    // No span: to the end of the stream (what a command handler asks after its cached revision).
    const to = this.span === null ? Number.MAX_SAFE_INTEGER : this.from + this.span;
    const events = await real.store.readStream(streamId, {
      fromRevision: this.from as StreamRevision,
      ...(this.span === null ? {} : { toRevision: to as StreamRevision }),
    });
    compareSequence(
      `readStream(${streamId}, ${this.from}..${this.span === null ? 'end' : to})`,
      events,
      (model.streams.get(streamId) ?? []).filter((e) => e.revision >= this.from && e.revision <= to),
      real.options.densePositions,
    );
  }

  toString = () =>
    `readStream(s${this.stream}, ${this.from}, ${this.span === null ? 'to the end' : `+${this.span}`})`;
}

class ReadAllCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly offset: number,
    readonly limit: number,
  ) {}

  check = (model: Readonly<Model>) => model.log.length > 0;

  async run(model: Model, real: Real): Promise<void> {
    const index = this.offset % model.log.length;
    const fromPosition = (model.log[index] as ModelEvent).position;
    // A shared server may hold other writers' events between ours: page by hand there.
    const page = real.options.densePositions
      ? await collect(real.store.readAll({ fromPosition, limit: this.limit }), () => true)
      : (await collect(real.store.readAll({ fromPosition }), belongsTo(real.prefix))).slice(0, this.limit);
    compareSequence(
      `readAll(from ${fromPosition}, limit ${this.limit})`,
      page,
      model.log.slice(index, index + this.limit),
      real.options.densePositions,
    );
  }

  toString = () => `readAll(#${this.offset}, ${this.limit})`;
}

class SubscribeCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly offset: number) {}

  check = (model: Readonly<Model>) => model.log.length > 0;

  async run(model: Model, real: Real): Promise<void> {
    const index = this.offset % (model.log.length + 1);
    const last = model.log[model.log.length - 1] as ModelEvent;
    const from = (
      index < model.log.length ? (model.log[index] as ModelEvent).position : last.position + 1
    ) as GlobalPosition;
    real.subscribers.push(new Subscriber(real.store, from, index, belongsTo(real.prefix)));
    await checkInvariants(model, real);
  }

  toString = () => `subscribe(#${this.offset})`;
}

const expectation = fc.constantFrom<Expectation>(
  'any',
  'no_stream',
  'stream_exists',
  'current',
  'behind',
  'ahead',
);
const appendSpec = fc.record({
  kind: fc.constant('append' as const),
  stream: fc.integer({ min: 0, max: STREAMS - 1 }),
  size: fc.integer({ min: 1, max: 3 }),
  expectation,
});
const replaySpec = fc.record({ kind: fc.constant('replay' as const), pick: fc.nat(), expectation });

const commands = [
  appendSpec.map((spec) => new AppendCommand(spec)),
  appendSpec.map((spec) => new AppendCommand(spec)),
  replaySpec.map((spec) => new ReplayCommand(spec)),
  fc
    .tuple(
      fc.array(fc.oneof({ weight: 3, arbitrary: appendSpec }, { weight: 1, arbitrary: replaySpec }), {
        minLength: 2,
        maxLength: 6,
      }),
      fc.array(fc.integer({ min: 0, max: STREAMS - 1 }), { maxLength: 4 }),
    )
    .map(([specs, readers]) => new ConcurrentCommand(specs, readers)),
  fc
    .tuple(
      fc.integer({ min: 0, max: STREAMS - 1 }),
      fc.nat({ max: 6 }),
      fc.option(fc.nat({ max: 6 }), { nil: null }),
    )
    .map(([stream, from, span]) => new ReadStreamCommand(stream, from, span)),
  fc
    .tuple(fc.nat(), fc.integer({ min: 1, max: 8 }))
    .map(([offset, limit]) => new ReadAllCommand(offset, limit)),
  fc.nat().map((offset) => new SubscribeCommand(offset)),
];

/**
 * Runs the model-based test against a store. Throws (with fast-check's counterexample and seed)
 * when the store departs from the model.
 *
 * @example
 * await checkStoreAgainstModel(store, { densePositions: true, acknowledgedBeforeVisible: true });
 */
export const checkStoreAgainstModel = async (
  store: EventStore,
  options: StoreModelOptions,
): Promise<void> => {
  const runs = options.numRuns ?? Number(process.env['STORE_MODEL_RUNS'] ?? 200);
  await fc.assert(
    fc.asyncProperty(fc.commands(commands, { maxCommands: 40, size: 'medium' }), async (cmds) => {
      const prefix = `model${Math.random().toString(36).slice(2, 10)}`;
      const last = await store.lastPosition();
      const real: Real = {
        store,
        options,
        prefix,
        start: (last === null ? 0 : last + 1) as GlobalPosition,
        subscribers: [],
        counter: 0,
      };
      const model: Model = { streams: new Map(), log: [], batches: [] };
      // A subscriber from the start of the run, live before the first append.
      real.subscribers.push(new Subscriber(store, real.start, 0, belongsTo(prefix)));
      try {
        await fc.asyncModelRun(() => ({ model, real }), cmds);
        await checkInvariants(model, real);
      } finally {
        await Promise.all(real.subscribers.map((s) => s.close()));
      }
    }),
    { numRuns: runs, ...(options.seed === undefined ? {} : { seed: options.seed }) },
  );
};
