import type { RecordedEvent } from '@cogov/domain';
import type { Database } from 'lmdb';

/** The databases of one projection slot, by name. */
export type SlotDatabases<Names extends string> = { readonly [N in Names]: Database };

/**
 * A read model fed by the global log. `apply` runs synchronously inside the batch's write
 * transaction; what it writes commits together with the checkpoint, or not at all. A new
 * `version` rebuilds into a fresh slot (blue/green).
 */
export interface Projection<Names extends string = string> {
  readonly name: string;
  readonly version: number;
  readonly databases: readonly Names[];
  apply(dbs: SlotDatabases<Names>, events: readonly RecordedEvent[]): void;
}
