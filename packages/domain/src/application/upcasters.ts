import { memberAppointedV1toV2 } from '../committee/events.ts';
import type { EventStore } from '../kernel/eventStore.ts';
import { UpcasterRegistry } from '../kernel/upcasting.ts';
import { withUpcasting } from '../kernel/upcastingStore.ts';
import { domainEvents } from './aggregates.ts';

/**
 * Every upcaster of cogov's events: what lifts an event written in an older schema version to the
 * current one. Each schema change adds a step here and a test that a log written before it
 * rebuilds to the same read models as one written after.
 */
export const DOMAIN_UPCASTERS = new UpcasterRegistry().register('MemberAppointed', 1, memberAppointedV1toV2);

/** The current schema version of a cogov event type, or undefined for a type cogov does not define. */
export const domainSchemaVersion = (type: string): number | undefined =>
  domainEvents.has(type) ? domainEvents.schemaVersion(type) : undefined;

/**
 * The store with every read giving cogov's events in their current shape (see `withUpcasting`):
 * what the projections, the API and an embedding system should read through.
 *
 * @example
 * const store = withDomainUpcasting(await LmdbEventStore.open({ path: './data/events' }));
 */
export const withDomainUpcasting = (store: EventStore): EventStore =>
  withUpcasting(store, DOMAIN_UPCASTERS, domainSchemaVersion);
