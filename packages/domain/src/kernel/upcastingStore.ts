import type { RecordedEvent } from './events.ts';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  SubscribeAllOptions,
  Subscription,
  SubscriptionMessage,
} from './eventStore.ts';
import type { EventToAppend, Event } from './events.ts';
import type { StreamId } from './ids.ts';
import type { UpcasterRegistry } from './upcasting.ts';

const UPCASTED = Symbol('cogov.upcasted');

/**
 * A store whose every read (streams, the log, subscriptions) gives events in their current
 * shape: what was written in an older schema version is lifted by the registry's upcasters on the
 * way out, and the log itself is never rewritten. `versionOf` gives the current version of a
 * type this software knows, or undefined for a type it does not (another system's, passed as
 * is). An event written by newer software than this one is an UnknownSchemaVersionError, not a
 * guess. Appends pass through unchanged.
 *
 * @example
 * const store = withUpcasting(await LmdbEventStore.open({ path }), DOMAIN_UPCASTERS, (type) => domainEvents.has(type) ? domainEvents.schemaVersion(type) : undefined);
 */
export const withUpcasting = (
  store: EventStore,
  upcasters: UpcasterRegistry,
  versionOf: (type: string) => number | undefined,
): EventStore => {
  // Wrapping twice with the same registry would only add a layer.
  if ((store as { [UPCASTED]?: UpcasterRegistry })[UPCASTED] === upcasters) return store;
  const upcast = (event: RecordedEvent): RecordedEvent => {
    const current = versionOf(event.type);
    return current === undefined || current === event.metadata.schemaVersion
      ? event
      : upcasters.upcast(event, current);
  };
  const message = (m: SubscriptionMessage): SubscriptionMessage =>
    m.kind === 'event' ? { kind: 'event', event: upcast(m.event) } : m;
  const upcasting: EventStore & { readonly [UPCASTED]: UpcasterRegistry } = {
    [UPCASTED]: upcasters,
    async readStream(streamId: StreamId, options?: ReadStreamOptions) {
      return (await store.readStream(streamId, options)).map(upcast);
    },
    appendToStream<E extends Event>(
      streamId: StreamId,
      events: readonly EventToAppend<E>[],
      options: AppendOptions,
    ): Promise<AppendResult> {
      return store.appendToStream(streamId, events, options);
    },
    async *readAll(options?: ReadAllOptions) {
      for await (const event of store.readAll(options)) yield upcast(event);
    },
    subscribeAll(options?: SubscribeAllOptions): Subscription {
      const inner = store.subscribeAll(options);
      return {
        get buffered() {
          return inner.buffered;
        },
        close: () => inner.close(),
        async *[Symbol.asyncIterator]() {
          for await (const m of inner) yield message(m);
        },
      };
    },
    lastPosition: () => store.lastPosition(),
    close: () => store.close(),
  };
  return upcasting;
};
