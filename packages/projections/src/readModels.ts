import { withDomainUpcasting, type CogovService, type EventStore } from '@cogov/domain';
import { LookupQueries } from './lookups/queries.ts';
import type { LOOKUP_DATABASES } from './lookups/projection.ts';
import { lookupsProjection } from './lookups/projection.ts';
import { MembershipQueries } from './membership/queries.ts';
import type { MEMBERSHIP_DATABASES } from './membership/projection.ts';
import { membershipProjection } from './membership/projection.ts';
import { ProcessManagerRunner } from './runtime/processManager.ts';
import { Projector } from './runtime/projector.ts';
import type { FileStamp } from '@cogov/storage';
import { ReadModelStore } from './runtime/readModelStore.ts';
import type { RetryPolicy } from './runtime/storageRetry.ts';
import type { STATISTICS_DATABASES } from './statistics/projection.ts';
import { statisticsProjection } from './statistics/projection.ts';
import { StatisticsQueries } from './statistics/queries.ts';

export interface ReadModelsOptions {
  /** The read models' directory (created if missing). */
  readonly path: string;
  readonly store: EventStore;
  /** When given, the points process manager runs too, issuing its commands through this service. */
  readonly cogov?: CogovService;
  /** The county's time zone: "today" for roster queries. */
  readonly timeZone?: string;
  readonly batchSize?: number;
  readonly maxWaitMs?: number;
  /** The waits between attempts at a write that failed on storage (a full disk); see `ProjectorOptions.retry`. */
  readonly retry?: RetryPolicy;
  /** A stamp from `ReadModelStore.precheck` (run while the log opens): the file's check is not run twice. */
  readonly prechecked?: FileStamp | null;
  /** Opens names the log holds sealed (personal data): the read models keep them sealed too. */
  readonly reveal?: (value: unknown) => string;
}

/**
 * Everything an embedding system needs to read: the projector over the three read models (and the
 * points process manager), and their queries bound to the active slots.
 *
 * @example
 * const readModels = openReadModels({ path: './data/read-models', store });
 * await readModels.start();
 * readModels.statistics().summary('r:huitong', '2022-01-01', '2022-12-31');
 */
export class ReadModels {
  readonly store: ReadModelStore;
  readonly projector: Projector;
  readonly processManager: ProcessManagerRunner | null;
  readonly #timeZone: string;
  readonly #reveal: ((value: unknown) => string) | undefined;

  constructor(options: ReadModelsOptions) {
    this.#reveal = options.reveal;
    this.store = ReadModelStore.open({
      path: options.path,
      ...(options.prechecked === undefined ? {} : { prechecked: options.prechecked }),
    });
    // Projections see every event in its current shape, whatever version it was written in.
    const store = withDomainUpcasting(options.store);
    this.#timeZone = options.timeZone ?? 'Asia/Shanghai';
    this.projector = new Projector(
      store,
      this.store,
      [statisticsProjection(), membershipProjection(), lookupsProjection()],
      {
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
        ...(options.maxWaitMs === undefined ? {} : { maxWaitMs: options.maxWaitMs }),
        ...(options.retry === undefined ? {} : { retry: options.retry }),
      },
    );
    this.processManager =
      options.cogov === undefined
        ? null
        : new ProcessManagerRunner(store, this.store, options.cogov, {
            size: 500,
            maxWaitMs: 5,
            ...(options.retry === undefined ? {} : { retry: options.retry }),
          });
  }

  async start(): Promise<void> {
    await this.projector.start();
    this.processManager?.start();
  }

  async stop(): Promise<void> {
    await this.processManager?.stop();
    await this.projector.stop();
  }

  async close(): Promise<void> {
    await this.stop();
    await this.store.close();
  }

  statistics(): StatisticsQueries {
    const version = this.projector.activeVersion('statistics');
    return new StatisticsQueries(
      this.projector.databases<(typeof STATISTICS_DATABASES)[number]>('statistics'),
      {
        // While a rebuild by this version is under way, the previous version serves what it keeps.
        layout: version >= 5 ? 'series' : 'rollups',
        // Versions before 3 kept no values by recording hour: they cannot answer knownAt.
        keepsRecordingTimes: version >= 3,
      },
    );
  }

  membership(): MembershipQueries {
    return new MembershipQueries(
      this.projector.databases<(typeof MEMBERSHIP_DATABASES)[number]>('membership'),
      this.#timeZone,
    );
  }

  lookups(): LookupQueries {
    return new LookupQueries(
      this.projector.databases<(typeof LOOKUP_DATABASES)[number]>('lookups'),
      this.#reveal,
      this.projector.activeVersion('lookups'),
    );
  }

  ready(): boolean {
    return this.projector.ready();
  }

  /** Waits (bounded) until every read model has caught up with the log and follows it. */
  waitUntilReady(timeoutMs: number): Promise<boolean> {
    return this.projector.waitUntilReady(timeoutMs);
  }

  /** Waits (bounded) until every read model reflects `position`: read your own writes. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return this.projector.waitFor(position, timeoutMs);
  }
}

export const openReadModels = (options: ReadModelsOptions): ReadModels => new ReadModels(options);
