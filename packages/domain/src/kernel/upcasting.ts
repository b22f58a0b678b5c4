import { CogovError } from './errors.ts';
import type { RecordedEvent } from './events.ts';

/** Lifts an event's data from one schema version to the next. Pure. */
export type Upcaster = (data: unknown) => unknown;

/** An event written by newer software than this one: reading it would guess at its meaning. */
export class UnknownSchemaVersionError extends CogovError {
  readonly _tag = 'UnknownSchemaVersion';
  constructor(
    readonly type: string,
    readonly version: number,
    readonly current: number,
  ) {
    super(`event ${type} has schema version ${version}; this software knows up to ${current}`);
  }
}

/**
 * Upcasters from (type, schemaVersion) to the next version, applied on read so that `evolve`
 * and the projections only ever see the current shape of each event.
 *
 * @example
 * const upcasters = new UpcasterRegistry().register('MemberAppointed', 1, (data) => ({ ...(data as object), duties: [] }));
 */
export class UpcasterRegistry {
  readonly #steps = new Map<string, Upcaster>();

  register(type: string, fromVersion: number, upcast: Upcaster): this {
    this.#steps.set(`${type}@${fromVersion}`, upcast);
    return this;
  }

  get isEmpty(): boolean {
    return this.#steps.size === 0;
  }

  /** The event in the shape of `currentVersion`; the same object when it already is. */
  upcast<E extends RecordedEvent>(event: E, currentVersion: number): E {
    let version = event.metadata.schemaVersion;
    if (version === currentVersion) return event;
    if (version > currentVersion) throw new UnknownSchemaVersionError(event.type, version, currentVersion);
    let data: unknown = event.data;
    while (version < currentVersion) {
      const step = this.#steps.get(`${event.type}@${version}`);
      if (step === undefined) {
        throw new UnknownSchemaVersionError(event.type, version, currentVersion);
      }
      data = step(data);
      version += 1;
    }
    return { ...event, data, metadata: { ...event.metadata, schemaVersion: version } };
  }
}
