import { isRejection, type Decider, type Rejection } from './decider.ts';
import {
  CogovError,
  CommandIdReusedError,
  ConcurrencyExhaustedError,
  isWrongExpectedRevision,
  WrongExpectedRevisionError,
} from './errors.ts';
import type { Event, EventCatalog, EventToAppend, RecordedEvent } from './events.ts';
import type { EventStore } from './eventStore.ts';
import { DigestSet } from './digestSet.ts';
import { RecentCache } from './recentCache.ts';
import type { EventId, GlobalPosition, StreamId, StreamRevision } from './ids.ts';
import type { UpcasterRegistry } from './upcasting.ts';

/** A decider emitted an event its own schema refuses: a bug, stopped before it reaches the store. */
export class InvalidEventError extends CogovError {
  readonly _tag = 'InvalidEvent';
  constructor(
    readonly type: string,
    readonly issues: readonly unknown[],
  ) {
    super(`decide produced an invalid ${type}: ${JSON.stringify(issues)}`);
  }
}

export interface CommandHandlerConfig<C, E extends Event, S, Ctx> {
  readonly decider: Decider<C, E, S, Ctx>;
  /** The stream a command is about. */
  readonly streamOf: (command: C) => StreamId;
  /** Validates what `decide` emits and gives each event type its schema version. */
  readonly catalog?: EventCatalog<E>;
  readonly upcasters?: UpcasterRegistry;
  /** Attempts on a concurrency conflict before giving up (default 8). */
  readonly maxAttempts?: number;
  /** Folded states kept in memory, by stream (default 10 000; 0 turns the cache off). */
  readonly cacheSize?: number;
}

export interface HandleOptions<S, Ctx> {
  /** Builds the decide context (time, policy, facts) for the loaded state; called on every attempt. */
  readonly context: (state: S, revision: number) => Ctx | Promise<Ctx>;
  /** Makes the command idempotent: a command id seen before returns its first result, appending nothing. */
  readonly commandId?: string;
  /** A digest of the command as sent: the command id seen before with another digest is refused. */
  readonly commandHash?: string;
  /** The revision the caller saw (HTTP If-Match): checked, never retried. */
  readonly expectedRevision?: StreamRevision | 'no_stream';
  readonly actor?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
}

export type HandleResult<E extends Event, S> =
  | {
      readonly status: 'accepted';
      readonly streamId: StreamId;
      /** The events the command recorded (for a repeated command id: the ones it recorded first). */
      readonly events: readonly E[];
      readonly eventIds: readonly EventId[];
      /** The stream's revision after the command (-1 when nothing was ever recorded). */
      readonly revision: number;
      /** The global position of the last recorded event, null when the command recorded nothing. */
      readonly position: GlobalPosition | null;
      readonly state: S;
      /** True when the command id had been handled before and this is its first result again. */
      readonly replayed: boolean;
    }
  | {
      readonly status: 'rejected';
      readonly streamId: StreamId;
      readonly rejection: Rejection;
      readonly revision: number;
      readonly state: S;
    };

interface CommandRecord {
  readonly firstRevision: number;
  readonly lastRevision: number;
  readonly position: GlobalPosition;
  readonly hash: string | undefined;
}

interface Loaded<S> {
  readonly state: S;
  readonly revision: number;
  readonly commands: Map<string, CommandRecord>;
  /** False once a stream has more commands than are kept: then a miss may need a full read. */
  readonly commandsComplete: boolean;
  /**
   * The digest of every command id in the stream up to `revision` (null: none yet), so that a new
   * command id, the usual case, is known new without reading the stream. Only ever added to, and
   * only with ids recorded in the stream, so a state may share it with the states after it.
   */
  readonly seen: DigestSet | null;
}

/**
 * Command results a folded state keeps, the most recent: a retry of one of them is answered
 * without a read. Older ones are known by their digests and cost a read of the stream. Each kept
 * result costs about 260 bytes (its HTTP key and digest), so 256 of them made a cached state of a
 * busy stream weigh 66 KB, up to 650 MiB for the 10 000 states cached per aggregate kind.
 */
const COMMANDS_KEPT = 16;

/**
 * Load → decide → append with the loaded revision. On a concurrency conflict it reloads and
 * decides again, a bounded number of times. Folded states are cached per stream (events are
 * immutable, so a cached fold plus the events after it is always the current state).
 *
 * @example
 * const handler = new CommandHandler(store, { decider: regionDecider, streamOf: (c) => regionStream(c.regionId) });
 * const result = await handler.handle(command, { context: () => ({ now: new Date(), policy }) });
 */
export class CommandHandler<C, E extends Event, S, Ctx> {
  readonly #store: EventStore;
  readonly #config: CommandHandlerConfig<C, E, S, Ctx>;
  /** Folded states by stream, the least recently used forgotten first. */
  readonly #cache: RecentCache<StreamId, Loaded<S>> | null;
  /** The last command queued on each stream: one command at a time per stream in this process. */
  readonly #lanes = new Map<StreamId, Promise<unknown>>();

  constructor(store: EventStore, config: CommandHandlerConfig<C, E, S, Ctx>) {
    this.#store = store;
    this.#config = config;
    const cacheSize = config.cacheSize ?? 10_000;
    this.#cache = cacheSize > 0 ? new RecentCache(cacheSize) : null;
  }

  /** The current state of a stream and its revision (-1 when it does not exist). */
  async load(streamId: StreamId): Promise<{ readonly state: S; readonly revision: number }> {
    const loaded = await this.#load(streamId);
    return { state: loaded.state, revision: loaded.revision };
  }

  /** The state of a stream at a past revision or as recorded by a past instant (time travel; not cached). */
  async loadAt(
    streamId: StreamId,
    at: { readonly revision?: StreamRevision; readonly recordedAt?: Date },
  ): Promise<{ readonly state: S; readonly revision: number; readonly events: readonly RecordedEvent<E>[] }> {
    const events = (await this.#store.readStream(streamId, {
      ...(at.revision === undefined ? {} : { toRevision: at.revision }),
      ...(at.recordedAt === undefined ? {} : { untilRecordedAt: at.recordedAt }),
    })) as readonly RecordedEvent<E>[];
    let state = this.#config.decider.initialState;
    const upcast = events.map((event) => this.#upcast(event));
    for (const event of upcast) state = this.#config.decider.evolve(state, event);
    return {
      state,
      revision: upcast.length === 0 ? -1 : (upcast[upcast.length - 1] as RecordedEvent).revision,
      events: upcast,
    };
  }

  /**
   * Commands on one stream take turns within this process (a hot stream would otherwise make its
   * concurrent commands conflict and retry in lockstep); conflicts with other processes are
   * retried.
   */
  handle(command: C, options: HandleOptions<S, Ctx>): Promise<HandleResult<E, S>> {
    const streamId = this.#config.streamOf(command);
    const before = this.#lanes.get(streamId);
    const run =
      before === undefined
        ? this.#handle(streamId, command, options)
        : before.then(
            () => this.#handle(streamId, command, options),
            () => this.#handle(streamId, command, options),
          );
    // Settles once the command has, either way, and then frees the lane unless a later command took it.
    const settled: Promise<void> = run
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        if (this.#lanes.get(streamId) === settled) this.#lanes.delete(streamId);
      });
    this.#lanes.set(streamId, settled);
    return run;
  }

  async #handle(streamId: StreamId, command: C, options: HandleOptions<S, Ctx>): Promise<HandleResult<E, S>> {
    const maxAttempts = options.expectedRevision === undefined ? (this.#config.maxAttempts ?? 8) : 1;
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.#load(streamId);
      if (options.commandId !== undefined) {
        const first = await this.#previousResult(streamId, loaded, options.commandId, options);
        if (first !== null) return first;
      }
      if (options.expectedRevision !== undefined) {
        const expected = options.expectedRevision === 'no_stream' ? -1 : options.expectedRevision;
        if (expected !== loaded.revision) {
          throw new WrongExpectedRevisionError(streamId, options.expectedRevision, loaded.revision);
        }
      }
      const context = await options.context(loaded.state, loaded.revision);
      const decision = this.#config.decider.decide(command, loaded.state, context);
      if (isRejection(decision)) {
        return {
          status: 'rejected',
          streamId,
          rejection: decision,
          revision: loaded.revision,
          state: loaded.state,
        };
      }
      if (decision.length === 0) {
        return {
          status: 'accepted',
          streamId,
          events: [],
          eventIds: [],
          revision: loaded.revision,
          position: null,
          state: loaded.state,
          replayed: false,
        };
      }
      const toAppend = decision.map((event) => this.#prepare(event, options));
      try {
        const result = await this.#store.appendToStream(streamId, toAppend, {
          expectedRevision: loaded.revision === -1 ? 'no_stream' : (loaded.revision as StreamRevision),
        });
        let state = loaded.state;
        for (const event of decision) state = this.#config.decider.evolve(state, event);
        const commands = new Map(loaded.commands);
        let commandsComplete = loaded.commandsComplete;
        let seen = loaded.seen;
        if (options.commandId !== undefined) {
          commands.set(options.commandId, {
            firstRevision: loaded.revision + 1,
            lastRevision: result.nextExpectedRevision,
            position: result.position,
            hash: options.commandHash,
          });
          commandsComplete = trimCommands(commands) && commandsComplete;
          seen ??= new DigestSet();
          seen.add(options.commandId);
        }
        this.#remember(streamId, {
          state,
          revision: result.nextExpectedRevision,
          commands,
          commandsComplete,
          seen,
        });
        return {
          status: 'accepted',
          streamId,
          events: decision,
          eventIds: result.eventIds,
          revision: result.nextExpectedRevision,
          position: result.position,
          state,
          replayed: false,
        };
      } catch (error) {
        if (!isWrongExpectedRevision(error) || attempt >= maxAttempts) {
          if (isWrongExpectedRevision(error) && maxAttempts > 1) {
            throw new ConcurrencyExhaustedError(streamId, attempt);
          }
          throw error;
        }
        // Someone else wrote first: the cached fold is still a valid prefix, so reloading reads only the new events.
        if (attempt > 2) await new Promise((resolve) => setTimeout(resolve, Math.random() * attempt * 2));
      }
    }
  }

  /** Forgets cached states (after a store was replaced under the handler, for instance). */
  clearCache(): void {
    this.#cache?.clear();
  }

  #prepare(event: E, options: HandleOptions<S, Ctx>): EventToAppend<E> {
    const catalog = this.#config.catalog;
    if (catalog !== undefined) {
      const validated = catalog.validate(event);
      if (!validated.ok) throw new InvalidEventError(event.type, validated.issues);
    }
    const causationId = options.causationId ?? options.commandId;
    const correlationId = options.correlationId ?? options.commandId;
    // The store gives the ids: ids it mints itself need no check that they were used before.
    return {
      ...event,
      metadata: {
        schemaVersion: catalog?.schemaVersion(event.type) ?? 1,
        ...(options.actor === undefined ? {} : { actor: options.actor }),
        ...(correlationId === undefined ? {} : { correlationId }),
        ...(causationId === undefined ? {} : { causationId }),
        ...(options.commandId === undefined ? {} : { commandId: options.commandId }),
        ...(options.commandHash === undefined ? {} : { commandHash: options.commandHash }),
      },
    };
  }

  #upcast(event: RecordedEvent<E>): RecordedEvent<E> {
    const { upcasters, catalog } = this.#config;
    if (upcasters === undefined || upcasters.isEmpty) return event;
    return upcasters.upcast(event, catalog?.schemaVersion(event.type) ?? event.metadata.schemaVersion);
  }

  async #load(streamId: StreamId): Promise<Loaded<S>> {
    const cached = this.#cache?.get(streamId);
    const events = (await this.#store.readStream(
      streamId,
      cached === undefined ? {} : { fromRevision: (cached.revision + 1) as StreamRevision },
    )) as readonly RecordedEvent<E>[];
    // A hit: the cache's get has already kept it as recently used.
    if (cached !== undefined && events.length === 0) return cached;
    let state = cached?.state ?? this.#config.decider.initialState;
    let revision = cached?.revision ?? -1;
    const commands = new Map(cached?.commands);
    let commandsComplete = cached?.commandsComplete ?? true;
    let seen = cached?.seen ?? null;
    for (const raw of events) {
      const event = this.#upcast(raw);
      state = this.#config.decider.evolve(state, event);
      revision = event.revision;
      const commandId = event.metadata.commandId;
      if (commandId !== undefined) {
        const known = commands.get(commandId);
        commands.set(commandId, {
          firstRevision: known?.firstRevision ?? event.revision,
          lastRevision: event.revision,
          position: event.position,
          hash: known?.hash ?? event.metadata.commandHash,
        });
        seen ??= new DigestSet();
        seen.add(commandId);
      }
    }
    commandsComplete = trimCommands(commands) && commandsComplete;
    const loaded = { state, revision, commands, commandsComplete, seen };
    this.#remember(streamId, loaded);
    return loaded;
  }

  async #previousResult(
    streamId: StreamId,
    loaded: Loaded<S>,
    commandId: string,
    options: HandleOptions<S, Ctx>,
  ): Promise<HandleResult<E, S> | null> {
    let record = loaded.commands.get(commandId);
    // Only an id the stream may hold (a retry of an old command, or a digest shared by chance)
    // costs a read of the whole stream; reading it for every new id made each command on a stream
    // of more than COMMANDS_KEPT commands cost as much as its length.
    if (record === undefined && !loaded.commandsComplete && loaded.seen?.mayHave(commandId) === true) {
      const all = await this.#store.readStream(streamId);
      const mine = all.filter((e) => e.metadata.commandId === commandId);
      const first = mine[0];
      const last = mine[mine.length - 1];
      if (first !== undefined && last !== undefined) {
        record = {
          firstRevision: first.revision,
          lastRevision: last.revision,
          position: last.position,
          hash: first.metadata.commandHash,
        };
      }
    }
    if (record === undefined) return null;
    if (record.hash !== undefined && options.commandHash !== undefined && record.hash !== options.commandHash)
      throw new CommandIdReusedError(commandId, streamId);
    const events = await this.#store.readStream(streamId, {
      fromRevision: record.firstRevision as StreamRevision,
      toRevision: record.lastRevision as StreamRevision,
    });
    return {
      status: 'accepted',
      streamId,
      events: events
        .map((e) => this.#upcast(e as RecordedEvent<E>))
        .map(({ type, data }) => ({ type, data }) as E),
      eventIds: events.map((e) => e.eventId),
      revision: record.lastRevision,
      position: record.position,
      state: loaded.state,
      replayed: true,
    };
  }

  #remember(streamId: StreamId, loaded: Loaded<S>): void {
    this.#cache?.set(streamId, loaded);
  }
}

/** Keeps the most recent command ids; returns false when older ones had to be dropped. */
const trimCommands = (commands: Map<string, CommandRecord>): boolean => {
  let complete = true;
  while (commands.size > COMMANDS_KEPT) {
    const oldest = commands.keys().next();
    if (oldest.done === true) break;
    commands.delete(oldest.value);
    complete = false;
  }
  return complete;
};
