import type { CommitteeState } from '../committee/state.ts';
import { CommandHandler, type HandleResult } from '../kernel/commandHandler.ts';
import type { Decider } from '../kernel/decider.ts';
import type { RecordedEvent } from '../kernel/events.ts';
import type { EventStore } from '../kernel/eventStore.ts';
import { streamIdOf, type StreamRevision } from '../kernel/ids.ts';
import { dateInZone } from '../kernel/plainDate.ts';
import type { UpcasterRegistry } from '../kernel/upcasting.ts';
import type { Policy } from '../policy/schema.ts';
import type { RegionState } from '../region/state.ts';
import type { DecideContext } from '../shared/context.ts';
import type { FactRequest } from '../shared/facts.ts';
import type { RegionId } from '../shared/ids.ts';
import {
  aggregateModule,
  aggregateOfCommand,
  type AggregateName,
  type DomainCommand,
  type DomainEvent,
} from './aggregates.ts';
import { DOMAIN_UPCASTERS } from './upcasters.ts';

export interface CogovServiceOptions {
  readonly store: EventStore;
  readonly policy: Policy;
  /** The time of decisions; the system clock by default. */
  readonly clock?: () => Date;
  /** Folded states kept per aggregate kind (default 10 000). */
  readonly cacheSize?: number;
  readonly upcasters?: UpcasterRegistry;
}

export interface ExecuteOptions {
  /** Makes the command idempotent: the same id returns the first result and records nothing. */
  readonly commandId?: string;
  /** A digest of the command as sent; the same command id with another digest is refused (CommandIdReusedError). */
  readonly commandHash?: string;
  /** The revision the caller saw (HTTP If-Match). */
  readonly expectedRevision?: StreamRevision | 'no_stream';
  readonly actor?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
}

export type ExecuteResult = HandleResult<DomainEvent, unknown>;

/** A record's place with its home resolved to a region (see `Place`). */
export interface ResolvedPlace {
  /** The region it belongs to; null: nowhere. */
  readonly home: RegionId | null;
  /** Communities it also serves in. */
  readonly serves: readonly RegionId[];
}

/** The facts a decide may read, all loaded from the event store. */
interface LoadedFacts {
  regions: readonly RegionState[];
  committee?: unknown;
  unit?: unknown;
  member?: unknown;
  grid?: unknown;
}

type FactsContext = DecideContext & { readonly facts: LoadedFacts };
type AnyHandler = CommandHandler<DomainCommand, DomainEvent, unknown, FactsContext>;

/**
 * The application layer: routes each command to its aggregate, loads the facts its rules read
 * from other aggregates (current states, from the store), and runs load → decide → append.
 * An embedding system needs only this and a store.
 *
 * @example
 * const cogov = new CogovService({ store: new InMemoryEventStore(), policy: HUITONG_2022 });
 * const result = await cogov.execute({ type: 'DefineRegion', regionId, name: '会同县', level: 'county', definedOn }, { actor: 'admin' });
 * if (result.status === 'rejected') console.log(result.rejection.code);
 */
export class CogovService {
  readonly policy: Policy;
  readonly store: EventStore;
  readonly #clock: () => Date;
  readonly #handlers: Record<AggregateName, AnyHandler>;

  constructor(options: CogovServiceOptions) {
    this.policy = options.policy;
    this.store = options.store;
    this.#clock = options.clock ?? (() => new Date());
    const handlerFor = (name: AggregateName): AnyHandler => {
      const aggregate = aggregateModule(name);
      return new CommandHandler(options.store, {
        decider: aggregate.decider as unknown as Decider<DomainCommand, DomainEvent, unknown, FactsContext>,
        streamOf: aggregate.streamOf,
        catalog: aggregate.events,
        upcasters: options.upcasters ?? DOMAIN_UPCASTERS,
        ...(options.cacheSize === undefined ? {} : { cacheSize: options.cacheSize }),
      });
    };
    this.#handlers = {
      region: handlerFor('region'),
      committee: handlerFor('committee'),
      member: handlerFor('member'),
      unit: handlerFor('unit'),
      grid: handlerFor('grid'),
      issue: handlerFor('issue'),
      project: handlerFor('project'),
      activity: handlerFor('activity'),
    };
  }

  /** The decision context for now: the instant, today in the county, the policy. */
  context(): DecideContext {
    const now = this.#clock();
    return { now, today: dateInZone(now, this.policy.timeZone), policy: this.policy };
  }

  /** Executes a (validated) command. Rejections come back as values; store failures are thrown. */
  async execute(command: DomainCommand, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const aggregate = aggregateOfCommand(command.type);
    if (aggregate === undefined) throw new Error(`unknown command type ${command.type}`);
    const handler = this.#handlers[aggregate.name];
    return handler.handle(command, {
      ...options,
      context: async (state) => ({
        ...this.context(),
        facts: await this.#facts(aggregate.facts(command, state)),
      }),
    });
  }

  /** The current state of an aggregate and its stream revision (-1 when it does not exist). */
  load(
    aggregate: AggregateName,
    id: string,
  ): Promise<{ readonly state: unknown; readonly revision: number }> {
    return this.#handlers[aggregate].load(streamIdOf(aggregate, id));
  }

  /** An aggregate as it was at a stream revision or as the store knew it at an instant. */
  loadAt(
    aggregate: AggregateName,
    id: string,
    at: { readonly revision?: StreamRevision; readonly recordedAt?: Date },
  ): Promise<{
    readonly state: unknown;
    readonly revision: number;
    readonly events: readonly RecordedEvent<DomainEvent>[];
  }> {
    return this.#handlers[aggregate].loadAt(streamIdOf(aggregate, id), at);
  }

  /**
   * Where a record is in the region tree, from its current state (null: it does not exist). A
   * member registered with a unit is where the unit is.
   */
  async placeOf(aggregate: AggregateName, id: string): Promise<ResolvedPlace | null> {
    const module = aggregateModule(aggregate);
    const place = module.placeOf((await this.load(aggregate, id)).state);
    if (place === null) return null;
    if (place.home === null || 'region' in place.home)
      return { home: place.home?.region ?? null, serves: place.serves };
    const unit = await this.placeOf('unit', place.home.unit);
    return { home: unit?.home ?? null, serves: place.serves };
  }

  /** The stream a command writes to. */
  streamOf(command: DomainCommand) {
    const aggregate = aggregateOfCommand(command.type);
    if (aggregate === undefined) throw new Error(`unknown command type ${command.type}`);
    return aggregate.streamOf(command);
  }

  async #facts(request: FactRequest): Promise<LoadedFacts> {
    const [committee, unit, member, grid] = await Promise.all([
      request.committee === undefined ? undefined : this.load('committee', request.committee),
      request.unit === undefined ? undefined : this.load('unit', request.unit),
      request.member === undefined ? undefined : this.load('member', request.member),
      request.grid === undefined ? undefined : this.load('grid', request.grid),
    ]);
    // A command that names a committee but no region is governed by the committee's region.
    const committeeState = committee?.state as CommitteeState | undefined;
    const region =
      request.region ??
      (committeeState?.status === 'active' || committeeState?.status === 'dissolved'
        ? committeeState.regionId
        : undefined);
    return {
      regions: region === undefined ? [] : await this.#regionChain(region),
      ...(committee === undefined ? {} : { committee: committee.state }),
      ...(unit === undefined ? {} : { unit: unit.state }),
      ...(member === undefined ? {} : { member: member.state }),
      ...(grid === undefined ? {} : { grid: grid.state }),
    };
  }

  /** A region and the regions above it, nearest first. */
  async #regionChain(regionId: RegionId): Promise<readonly RegionState[]> {
    const self = (await this.load('region', regionId)).state as RegionState;
    if (self.status === 'absent') return [self];
    const above = await Promise.all(
      self.ancestors.map(async (id) => (await this.load('region', id)).state as RegionState),
    );
    return [self, ...above.reverse()];
  }
}
