import type { Event, EventToAppend, RecordedEvent } from './events.ts';
import type { EventStore, Subscription, SubscriptionMessage } from './eventStore.ts';

/** What a deployment's key store does for the personal-data store (cogov's: `PersonalDataVault`). */
export interface PersonalDataCipher {
  /** The value sealed under the subject's key (made on first use); throws once the subject is erased. */
  seal(subject: string, plaintext: string): unknown;
  /** The plaintext of a sealed value, null when its subject has been erased, undefined when `value` is not sealed. */
  open(value: unknown): string | null | undefined;
  /** Destroys the subject's key (idempotent). */
  erase(subject: string): void;
}

/** A personal field of an event type: its name in `data`, and whose data it is. */
export interface PersonalField {
  readonly field: string;
  readonly subject: (data: Readonly<Record<string, unknown>>) => string;
}

/** Which fields of which event types hold personal data, and which events erase a subject's. */
export interface PersonalDataPolicy {
  readonly fields: Readonly<Record<string, readonly PersonalField[]>>;
  /** The subjects whose data an event erases (their keys are destroyed once it is stored). */
  readonly erases: (event: Event) => readonly string[];
}

/** What every read shows in place of an erased person's data. */
export const ERASED = '〔已删除 erased〕';

/**
 * A store that keeps personal data sealed (PIPL): on append, the policy's personal fields are
 * sealed under their subject's own key, so the log (and its hash chain) only ever holds
 * ciphertext; on every read (streams, the log, subscriptions) they are opened again, or shown as
 * `ERASED` once the subject's key has been destroyed. An event that erases a subject destroys its
 * key as soon as the event is stored. Read models that must never hold plaintext read the inner
 * store instead and reveal at query time.
 */
export const withPersonalData = (
  store: EventStore,
  cipher: PersonalDataCipher,
  policy: PersonalDataPolicy,
): EventStore => {
  const transform = <T extends { readonly type: string; readonly data: unknown }>(
    event: T,
    change: (value: unknown, subject: string) => unknown,
  ): T => {
    const fields = policy.fields[event.type];
    if (fields === undefined) return event;
    const data = { ...(event.data as Record<string, unknown>) };
    for (const { field, subject } of fields)
      if (data[field] !== undefined && data[field] !== null) data[field] = change(data[field], subject(data));
    return { ...event, data };
  };
  const open = (event: RecordedEvent): RecordedEvent =>
    transform(event, (value) => {
      const plain = cipher.open(value);
      return plain === undefined ? value : (plain ?? ERASED);
    });
  const message = (m: SubscriptionMessage): SubscriptionMessage =>
    m.kind === 'event' ? { kind: 'event', event: open(m.event) } : m;
  return {
    async readStream(streamId, options) {
      return (await store.readStream(streamId, options)).map(open);
    },
    async appendToStream<E extends Event>(
      streamId: Parameters<EventStore['appendToStream']>[0],
      events: readonly EventToAppend<E>[],
      options: Parameters<EventStore['appendToStream']>[2],
    ) {
      const sealed = events.map((event) =>
        transform(event, (value, subject) =>
          typeof value === 'string' ? cipher.seal(subject, value) : value,
        ),
      );
      const result = await store.appendToStream(streamId, sealed, options);
      // Stored: now the keys go. A crash before this line is finished at the next start (ADR 16).
      for (const event of events) for (const subject of policy.erases(event)) cipher.erase(subject);
      return result;
    },
    async *readAll(options) {
      for await (const event of store.readAll(options)) yield open(event);
    },
    subscribeAll(options): Subscription {
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
};
