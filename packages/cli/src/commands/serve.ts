// Light modules only: the server's code is loaded once the data directory's checks are running.
import { dataPaths, sha256, type Config, type Role } from '@cogov/api/config';
import { allocatorWarning } from '../allocator.ts';
import { startPrechecks } from '@cogov/api/prechecks';
import { InvalidArgumentError } from 'commander';
import { DEMO_REGIONS } from '../demo/regions.ts';
import { configFrom, type CommonFlags } from '../options.ts';
import { progressOn } from '../progress.ts';
import { newToken } from './token.ts';

interface ServeFlags extends CommonFlags {
  readonly demo?: string;
  readonly scale?: number;
}

interface DemoToken {
  readonly role: Role;
  readonly token: string;
  readonly scope: string;
}

/**
 * Seeds the demo into an empty store, and decides whether demo tokens may be made: only for a
 * store that holds the demo alone (seeded now, or seeded by an earlier run and written since only
 * through demo tokens). Real records never get an unscoped admin token from a demo flag.
 */
const prepareDemo = async (config: Config, demo: string, scale: number | undefined): Promise<DemoToken[]> => {
  const { isPureDemoStore, markDemo, seedScenario } = await import('../demo/seed.ts');
  const seeded = await seedScenario(config, demo, {
    ...(scale === undefined ? {} : { scale }),
    progress: progressOn(),
  });
  if (seeded === null) console.error(`# the store already holds events: not seeding ${demo} again`);
  else markDemo(config, demo, seeded.lastPosition);
  if (config.tokens.length > 0) return [];
  let pure = seeded !== null;
  if (!pure && config.kurrentdbConnectionString === undefined) {
    const { LmdbEventStore } = await import('@cogov/eventstore/lmdb');
    const store = await LmdbEventStore.open({ path: dataPaths(config).events });
    pure = await isPureDemoStore(config, demo, store).finally(() => store.close());
  }
  if (!pure) {
    console.error(
      `# ${dataPaths(config).root} holds records that are not the ${demo} demo's: no demo tokens are made for it.\n` +
        '#   Make a token with `cogov token create --name <who> --role <role> --scope <region>` and put its entry in COGOV_TOKENS,\n' +
        '#   or run the demo on a fresh directory (--data-dir).',
    );
    return [];
  }
  const regions = DEMO_REGIONS[demo] as { root: string; town: string };
  return (
    [
      ['admin', '*'],
      ['auditor', '*'],
      ['clerk', regions.town],
      ['reader', '*'],
    ] as const
  ).map(([role, scope]) => ({ role, token: newToken(), scope }));
};

/** `cogov serve`: the HTTP API on the configured store, optionally over a seeded demo. */
export const serve = async (flags: ServeFlags): Promise<void> => {
  const demo = flags.demo;
  if (demo !== undefined && DEMO_REGIONS[demo] === undefined)
    throw new InvalidArgumentError(
      `--demo: unknown scenario ${demo}; known: ${Object.keys(DEMO_REGIONS).join(', ')}`,
    );
  const started = performance.now();
  let config = configFrom(
    flags,
    demo === undefined || process.env['COGOV_LOG_LEVEL'] !== undefined ? {} : { logLevel: 'warn' },
  );
  const demoTokens = demo === undefined ? [] : await prepareDemo(config, demo, flags.scale);
  if (demoTokens.length > 0)
    config = {
      ...config,
      tokens: demoTokens.map((t) => ({
        name: `demo-${t.role}`,
        sha256: sha256(t.token),
        role: t.role,
        scope: t.scope,
      })),
    };
  // The log's and the read models' files are checked in child processes while the server's code
  // loads (P9): each takes a few hundred milliseconds, and neither needs the other.
  const prechecks = startPrechecks(config);
  const { startServer } = await import('@cogov/api');
  const server = await startServer({ config, logger: { level: config.logLevel }, prechecks });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.error(`# ${signal}: closing`);
    await server.close();
    process.exit(0);
  };
  const shutdownOn = (signal: string) => () => {
    shutdown(signal).catch((error: unknown) => {
      // The log is closed whatever failed (a full disk under the read models): say what, exit 1.
      console.error(`# closing failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
  };
  process.once('SIGINT', shutdownOn('SIGINT'));
  process.once('SIGTERM', shutdownOn('SIGTERM'));
  const warning = allocatorWarning();
  if (warning !== null) console.error(warning);
  const address = server.url ?? '';
  const where = server.runtime.storeKind === 'lmdb' ? `LMDB at ${dataPaths(config).events}` : 'KurrentDB';
  console.log(
    `cogov listening on ${address} (store: ${where}; started in ${Math.round(performance.now() - started)} ms)`,
  );
  console.log(`API docs: ${address}/docs`);
  console.log(`Dashboard: ${address}/dashboard (paste a token)`);
  if (demoTokens.length > 0) {
    console.log('Demo tokens (valid for this run only):');
    for (const t of demoTokens) console.log(`  ${t.role.padEnd(8)} ${t.token}  (scope ${t.scope})`);
    const regions = DEMO_REGIONS[demo ?? ''] as { root: string };
    const reader = demoTokens.find((t) => t.role === 'reader')?.token ?? '';
    console.log(
      `Try: curl -H "Authorization: Bearer ${reader}" "${address}/v1/regions/${regions.root}/summary?from=2022-01-01&to=2022-12-31"`,
    );
  } else if (config.tokens.length === 0) {
    console.error(
      '# No tokens are configured: every request but /healthz, /readyz and /docs is refused. Make one with\n' +
        '#   npx -y pnpm@10 cogov token create --name <who> --role admin --scope "*"\n' +
        "# and start again with its entry in COGOV_TOKENS='[<entry>]' (or in the COGOV_CONFIG file's \"tokens\").",
    );
  }
};
