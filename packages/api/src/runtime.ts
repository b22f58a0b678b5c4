import { CogovService, withDomainUpcasting, type EventStore, type Policy } from '@cogov/domain';
import { IntegrityMonitor, LmdbEventStore } from '@cogov/eventstore/lmdb';
import { InstallationKey } from '@cogov/storage';
import { openReadModels, type ReadModels } from '@cogov/projections';
import { dataPaths, policyOf, type Config } from './config.ts';
import { IdempotencyStore } from './routes/commands/idempotency.ts';

/** Everything a running cogov holds open: the log, the service over it, the read models. */
export interface Runtime {
  readonly config: Config;
  readonly policy: Policy;
  readonly storeKind: 'lmdb' | 'kurrentdb';
  readonly store: EventStore;
  readonly cogov: CogovService;
  readonly readModels: ReadModels;
  readonly idempotency: IdempotencyStore;
  /** The embedded log itself (null over KurrentDB): what verification and checkpoints read. */
  readonly log: LmdbEventStore | null;
  /** The background verification of the embedded log (null over KurrentDB). */
  readonly integrity: IntegrityMonitor | null;
  /** The key checkpoints are signed with (`keys/` in the data directory). */
  readonly installationKey: InstallationKey;
  /** When the runtime was opened (for /metrics and /readyz). */
  readonly startedAt: Date;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Decisions' and records' clock (a scenario's simulated time while seeding a demo). */
  readonly clock?: () => Date;
  /** Leave the points process manager off (while seeding, the scenario awards points itself). */
  readonly withoutProcessManager?: boolean;
}

export { dataPaths } from './config.ts';

/**
 * Opens the store the configuration names (embedded LMDB under `dataDir`, or a KurrentDB cluster)
 * and the read models beside it, and starts the projector (and the points process manager).
 * Nothing is replayed at start: the read models resume from their checkpoints.
 */
export const openRuntime = async (config: Config, options: RuntimeOptions = {}): Promise<Runtime> => {
  const policy = policyOf(config);
  const paths = dataPaths(config);
  const storeKind = config.kurrentdbConnectionString === undefined ? 'lmdb' : 'kurrentdb';
  const raw: EventStore =
    config.kurrentdbConnectionString === undefined
      ? await LmdbEventStore.open({
          path: paths.events,
          ...(options.clock === undefined ? {} : { clock: options.clock }),
        })
      : // Loaded only for a KurrentDB: its gRPC client is an optional peer dependency.
        (await import('@cogov/eventstore/esdb')).KurrentDbEventStore.connect({
          connectionString: config.kurrentdbConnectionString,
        });
  // Every read of the API (records, /events, audits) gives events in their current shape.
  const store = withDomainUpcasting(raw);
  let readModels: ReadModels | undefined;
  try {
    const installationKey = InstallationKey.loadOrCreate(paths.keys);
    const cogov = new CogovService({
      store,
      policy,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
    readModels = openReadModels({
      path: paths.readModels,
      store,
      timeZone: policy.timeZone,
      ...(options.withoutProcessManager === true ? {} : { cogov }),
    });
    const recovered = readModels.store.recovered;
    if (recovered !== null)
      console.warn(
        `cogov: the read models were damaged (${recovered.reason}); the file was moved aside to ${recovered.movedTo} and they are being rebuilt from the log`,
      );
    const idempotency = new IdempotencyStore(readModels.store, config.idempotencyTtlHours * 3_600_000);
    await readModels.start();
    const opened = readModels;
    const log = raw instanceof LmdbEventStore ? raw : null;
    const integrity = log === null ? null : new IntegrityMonitor(log);
    integrity?.start();
    return {
      config,
      policy,
      storeKind,
      store,
      cogov,
      readModels: opened,
      idempotency,
      log,
      integrity,
      installationKey,
      startedAt: new Date(),
      close: async () => {
        await integrity?.stop();
        await opened.close();
        await store.close();
      },
    };
  } catch (error) {
    await readModels?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw error;
  }
};
