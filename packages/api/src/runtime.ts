import {
  CogovService,
  memberSubject,
  withDomainPersonalData,
  withDomainUpcasting,
  type EventStore,
  type Policy,
} from '@cogov/domain';
import type { KurrentDbEventStore } from '@cogov/eventstore/esdb';
import { IntegrityMonitor, LmdbEventStore, type IntegrityStatus } from '@cogov/eventstore/lmdb';
import { InstallationKey, PersonalDataVault } from '@cogov/storage';
import { openReadModels, type ReadModels } from '@cogov/projections';
import { dataPaths, policyOf, type Config } from './config.ts';
import { startPrechecks, type Prechecks } from './prechecks.ts';
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
  /** The KurrentDB log itself (null over the embedded store): its streams' chains (ADR 14). */
  readonly kurrent: KurrentDbEventStore | null;
  /** The background verification of the log's chain (the embedded log's, or the streams'). */
  readonly integrity: {
    /** Starts the background verification (done by `openRuntime` unless `startIntegrity` is false). */
    start(): void;
    status(): IntegrityStatus;
    /** Verifies what was appended since the last check, now. */
    check(): Promise<IntegrityStatus>;
    stop(): Promise<void>;
  } | null;
  /** The key checkpoints are signed with (`keys/` in the data directory). */
  readonly installationKey: InstallationKey;
  /** The people's data keys (`keys/personal/`): erasing one makes that person's data unreadable. */
  readonly vault: PersonalDataVault;
  /** When the runtime was opened (for /metrics and /readyz). */
  readonly startedAt: Date;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Decisions' and records' clock (a scenario's simulated time while seeding a demo). */
  readonly clock?: () => Date;
  /** Leave the points process manager off (while seeding, the scenario awards points itself). */
  readonly withoutProcessManager?: boolean;
  /**
   * The checks of the log's and the read models' files, started earlier (`startPrechecks`), so
   * that they ran while the server's code loaded. Started here when not given.
   */
  readonly prechecks?: Prechecks;
  /**
   * Start the log's background verification now (default true). `startServer` starts it once the
   * server listens instead: on two cores the whole-log verification's worker would otherwise
   * compete with building the app for the start's CPU (P9). `integrity.start()` starts it.
   */
  readonly startIntegrity?: boolean;
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
  // Both files are checked in child processes at once (and, from `cogov serve`, while the code loaded).
  const prechecks = options.prechecks ?? startPrechecks(config);
  const readModelsChecked = prechecks.readModels;
  const raw: EventStore =
    config.kurrentdbConnectionString === undefined
      ? await LmdbEventStore.open({
          path: paths.events,
          prechecked: await prechecks.log,
          ...(options.clock === undefined ? {} : { clock: options.clock }),
        })
      : // Loaded only for a KurrentDB: its gRPC client is an optional peer dependency.
        (await import('@cogov/eventstore/esdb')).KurrentDbEventStore.connect({
          connectionString: config.kurrentdbConnectionString,
        });
  // Personal data is sealed on its way into the log and opened on every read of the API (records,
  // /events, audits), which also gives events in their current shape. The read models read the
  // sealed log: no plaintext name is ever written to disk (ADR 16).
  const vault = PersonalDataVault.open(paths.personalKeys);
  const store = withDomainUpcasting(withDomainPersonalData(raw, vault.asCipher()));
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
      prechecked: await readModelsChecked,
      store: raw,
      reveal: (value) => vault.reveal(value),
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
    // Expired keys are swept hourly: kept without end they would fill the disk beside the read models.
    idempotency.startSweeping(3_600_000, (error) =>
      console.warn(
        `cogov: sweeping expired idempotency keys failed (retried within the hour): ${String(error)}`,
      ),
    );
    const opened = readModels;
    finishErasures(opened, vault, raw).catch((error: unknown) =>
      console.error(`cogov: finishing erasures of personal data failed: ${(error as Error).message}`),
    );
    const log = raw instanceof LmdbEventStore ? raw : null;
    const kurrent = log === null ? (raw as KurrentDbEventStore) : null;
    const integrity =
      log !== null
        ? new IntegrityMonitor(log)
        : new (await import('@cogov/eventstore/esdb')).StreamIntegrityMonitor(kurrent as KurrentDbEventStore);
    if (options.startIntegrity !== false) integrity.start();
    return {
      config,
      policy,
      storeKind,
      store,
      cogov,
      readModels: opened,
      idempotency,
      log,
      kurrent,
      integrity,
      installationKey,
      vault,
      startedAt: new Date(),
      // The log is closed whatever happens to the rest (a read models' close fails on a full
      // disk): its directory is released and its writes answered.
      close: async () => {
        try {
          await integrity.stop();
          await idempotency.stopSweeping();
          await opened.close();
        } finally {
          await store.close();
        }
      },
    };
  } catch (error) {
    await readModels?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw error;
  }
};

/**
 * A store over the configured data directory's log that seals personal data on its way in (what
 * every writer outside the server, such as demo seeding, must write through).
 */
export const sealingPersonalData = (store: EventStore, config: Pick<Config, 'dataDir'>): EventStore =>
  withDomainPersonalData(store, PersonalDataVault.open(dataPaths(config).personalKeys).asCipher());

/**
 * Finishes erasures a crash interrupted (the event stored, the key not yet destroyed) and undoes
 * a restored backup of the keys: once the lookups have read the log, every member they show as
 * erased has their key destroyed (idempotent).
 */
const finishErasures = async (readModels: ReadModels, vault: PersonalDataVault, log: EventStore) => {
  try {
    const head = (await log.lastPosition()) ?? -1;
    if (!(await readModels.waitFor(head, 3_600_000))) return;
    // From the lookups' index of erased members: a scan of every member blocked the start of a
    // city's server for half a second.
    for (const memberId of readModels.lookups().erasedMembers()) vault.erase(memberSubject(memberId));
  } catch (error) {
    console.error(`cogov: finishing erasures of personal data failed: ${(error as Error).message}`);
  }
};
