import { isDataDirectoryError } from '@cogov/eventstore';
import { RebuildFailedError } from '@cogov/projections';
import { Command, InvalidArgumentError, Option } from 'commander';
import { randomBytes } from 'node:crypto';
import { buildApp } from '../app.ts';
import { ConfigError, loadConfig, ROLES, type Config, type Role, type TokenConfig } from '../config.ts';
import { sha256 } from '../http/auth.ts';
import { dataPaths, openRuntime, type Runtime } from '../runtime.ts';
import { progressOn } from './progress.ts';

/** Where each demo's tokens are scoped: everything, or one town or street of it. */
const DEMO_REGIONS: Readonly<Record<string, { readonly root: string; readonly town: string }>> = {
  huitong: { root: 'huitong', town: 'lincheng' },
  kaiyuan: { root: 'kaiyuan', town: 'kaiyuan-jd' },
  changsha: { root: 'changsha', town: 'cs-st1' },
};

const newToken = () => `cogov_${randomBytes(24).toString('base64url')}`;

const positiveNumber = (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('a positive number');
  return n;
};
const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new InvalidArgumentError('a port between 0 and 65535');
  return n;
};

/** The configuration from COGOV_CONFIG, the environment and the command's flags. */
const configFrom = (
  flags: { port?: number; host?: string; dataDir?: string; logLevel?: string },
  defaults: Partial<Config> = {},
) =>
  loadConfig(process.env, {
    ...defaults,
    ...(flags.port === undefined ? {} : { port: flags.port }),
    ...(flags.host === undefined ? {} : { host: flags.host }),
    ...(flags.dataDir === undefined ? {} : { dataDir: flags.dataDir }),
    ...(flags.logLevel === undefined ? {} : { logLevel: flags.logLevel }),
  });

const program = new Command()
  .name('cogov')
  .description(
    'Records and statistics of community co-governance: the API server, seeding, rebuilds, benchmarks',
  )
  .showHelpAfterError();

program
  .command('serve')
  .description(
    'Start the HTTP API (embedded LMDB under ./data unless EVENTSTORE_CONNECTION_STRING names a KurrentDB cluster)',
  )
  .option(
    '--demo <scenario>',
    `seed an empty store with a scenario first (${Object.keys(DEMO_REGIONS).join(', ')}) and print demo tokens`,
  )
  .option('--scale <fraction>', 'changsha only: the share of the city to seed', positiveNumber)
  .option('-p, --port <port>', 'port to listen on (PORT; default 3000)', port)
  .option('--host <host>', 'address to listen on (HOST; default 127.0.0.1)')
  .option('--data-dir <dir>', 'data directory (COGOV_DATA_DIR; default ./data)')
  .addOption(
    new Option('--log-level <level>', 'COGOV_LOG_LEVEL').choices([
      'fatal',
      'error',
      'warn',
      'info',
      'debug',
      'trace',
      'silent',
    ]),
  )
  .action(
    async (flags: {
      demo?: string;
      scale?: number;
      port?: number;
      host?: string;
      dataDir?: string;
      logLevel?: string;
    }) => {
      const demo = flags.demo;
      if (demo !== undefined && DEMO_REGIONS[demo] === undefined)
        throw new InvalidArgumentError(
          `--demo: unknown scenario ${demo}; known: ${Object.keys(DEMO_REGIONS).join(', ')}`,
        );
      let config = configFrom(
        flags,
        demo === undefined || process.env['COGOV_LOG_LEVEL'] !== undefined ? {} : { logLevel: 'warn' },
      );
      const started = performance.now();
      let seededNow = false;
      if (demo !== undefined) {
        const { markDemo, seedScenario } = await import('../demo/seed.ts');
        const seeded = await seedScenario(config, demo, {
          ...(flags.scale === undefined ? {} : { scale: flags.scale }),
          progress: progressOn(),
        });
        if (seeded === null) console.error(`# the store already holds events: not seeding ${demo} again`);
        else markDemo(config, demo, seeded.lastPosition);
        seededNow = seeded !== null;
      }
      const demoTokens: { role: Role; token: string; scope: string }[] = [];
      let runtime: Runtime = await openRuntime(config);
      if (demo !== undefined && config.tokens.length === 0) {
        const { isPureDemoStore } = await import('../demo/seed.ts');
        // Demo tokens (an unscoped admin among them) only for a store that holds the demo alone.
        if (seededNow || (await isPureDemoStore(config, demo, runtime.store))) {
          const regions = DEMO_REGIONS[demo] as { root: string; town: string };
          for (const [role, scope] of [
            ['admin', '*'],
            ['auditor', '*'],
            ['clerk', regions.town],
            ['reader', '*'],
          ] as const)
            demoTokens.push({ role, token: newToken(), scope });
          config = {
            ...config,
            tokens: demoTokens.map((t) => ({
              name: `demo-${t.role}`,
              sha256: sha256(t.token),
              role: t.role,
              scope: t.scope,
            })),
          };
          runtime = { ...runtime, config };
        } else {
          console.error(
            `# ${dataPaths(config).root} holds records that are not the ${demo} demo's: no demo tokens are made for it.\n` +
              '#   Make a token with `cogov token create --name <who> --role <role> --scope <region>` and put its entry in COGOV_TOKENS,\n' +
              '#   or run the demo on a fresh directory (--data-dir).',
          );
        }
      }
      const app = await buildApp({ runtime, logger: { level: config.logLevel } });
      let closing = false;
      const shutdown = async (signal: string) => {
        if (closing) return;
        closing = true;
        console.error(`# ${signal}: closing`);
        await app.close();
        await runtime.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      const address = await app.listen({ port: config.port, host: config.host });
      const where = runtime.storeKind === 'lmdb' ? `LMDB at ${dataPaths(config).events}` : 'KurrentDB';
      console.log(
        `cogov listening on ${address} (store: ${where}; started in ${Math.round(performance.now() - started)} ms)`,
      );
      console.log(`API docs: ${address}/docs`);
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
          '# no tokens configured: every request but /healthz, /readyz and /docs is refused (see `cogov token create`)',
        );
      }
    },
  );

program
  .command('seed')
  .description('Write a seed scenario into an empty store (through the real command handler)')
  .requiredOption('--scenario <name>', Object.keys(DEMO_REGIONS).join(' | '))
  .option('--scale <fraction>', 'changsha only: the share of the city', positiveNumber)
  .option('--data-dir <dir>', 'data directory (COGOV_DATA_DIR; default ./data)')
  .option('--force', 'seed even if the store already holds events')
  .action(async (flags: { scenario: string; scale?: number; dataDir?: string; force?: boolean }) => {
    const { seedScenario, SCENARIO_NAMES } = await import('../demo/seed.ts');
    if (!SCENARIO_NAMES.includes(flags.scenario))
      throw new InvalidArgumentError(
        `--scenario: unknown ${flags.scenario}; known: ${SCENARIO_NAMES.join(', ')}`,
      );
    const result = await seedScenario(configFrom(flags), flags.scenario, {
      ...(flags.scale === undefined ? {} : { scale: flags.scale }),
      ...(flags.force === true ? { force: true } : {}),
      progress: progressOn(),
    });
    if (result === null) {
      console.error('the store already holds events; use --force to add the scenario anyway');
      process.exitCode = 1;
    } else console.log(JSON.stringify(result));
  });

program
  .command('rebuild')
  .description('Rebuild a read model beside the running one, report the differences, switch to it')
  .argument('<projection>', 'statistics | membership | lookups')
  .option('--data-dir <dir>', 'data directory (COGOV_DATA_DIR; default ./data)')
  .action(async (projection: string, flags: { dataDir?: string }) => {
    if (!['statistics', 'membership', 'lookups'].includes(projection))
      throw new InvalidArgumentError(
        `unknown projection ${projection}; known: statistics, membership, lookups`,
      );
    const runtime = await openRuntime(configFrom(flags));
    try {
      const total = ((await runtime.store.lastPosition()) ?? -1) + 1;
      const progress = progressOn();
      progress.start(total, `rebuilding ${projection}`);
      const timer = setInterval(() => {
        const building = runtime.readModels.projector
          .status()
          .find((s) => s.projection === projection && s.role === 'building');
        if (building !== undefined) progress.update(building.position + 1);
      }, 250);
      const report = await runtime.readModels.projector
        .rebuild(projection)
        .catch((error: unknown) => {
          progress.stop('failed');
          throw error;
        })
        .finally(() => clearInterval(timer));
      progress.stop(`${report.differences} differences from the version it replaces`);
      console.log(JSON.stringify(report, null, 2));
    } finally {
      await runtime.close();
    }
  });

program
  .command('bench')
  .description('Run the benchmarks (all, or the suites named) and render docs/benchmarks.md')
  .argument('[suites...]', 'store, projections, layout, api, commands')
  .option('--quick', 'smaller runs (under three minutes in all)')
  .option('--p8-events <n>', 'P8: events to rebuild (default 10 000 000)', positiveNumber)
  .action(async (suites: string[], flags: { quick?: boolean; p8Events?: number }) => {
    const { runBenchmarks } = await import('../bench/run.ts');
    await runBenchmarks(suites, {
      quick: flags.quick === true,
      ...(flags.p8Events === undefined ? {} : { p8Events: flags.p8Events }),
    });
  });

program
  .command('reliability')
  .description(
    'Prove R1, R2, R4, R6 and R7 (crashes, bad requests, a soak, faults) and render docs/reliability.md',
  )
  .option('--minutes <n>', 'R6: how long the soak runs', positiveNumber, 10)
  .option('--rate <n>', 'R6: requests a second', positiveNumber, 200)
  .option('--kills <n>', 'R1, R2: SIGKILLs', positiveNumber, 100)
  .option('--bad-requests <n>', 'R4: generated bad requests', positiveNumber, 10_000)
  .option(
    '--only <ids>',
    'only these checks, e.g. R4,R7',
    (v: string) => v.split(',').map((x) => x.trim()),
    [],
  )
  .action(
    async (flags: { minutes: number; rate: number; kills: number; badRequests: number; only: string[] }) => {
      const { runReliability } = await import('../reliability/run.ts');
      const ok = await runReliability(flags);
      process.exit(ok ? 0 : 1);
    },
  );

const token = program.command('token').description('Bearer tokens');
token
  .command('create')
  .description(
    'Make a new random token and print the configuration entry that admits it (only its hash is stored)',
  )
  .requiredOption('--name <name>', 'who or what uses it')
  .addOption(new Option('--role <role>', 'what it may do').choices([...ROLES]).makeOptionMandatory())
  .option('--scope <region>', 'the region whose subtree it may see and change (* for everything)', '*')
  .action((flags: { name: string; role: Role; scope: string }) => {
    const value = newToken();
    const entry: TokenConfig = {
      name: flags.name,
      sha256: sha256(value),
      role: flags.role,
      scope: flags.scope,
    };
    console.log(`token (give it to ${flags.name}; it is not stored anywhere): ${value}`);
    console.log(`configuration entry (add it to "tokens" in the COGOV_CONFIG file or COGOV_TOKENS):`);
    console.log(JSON.stringify(entry));
  });

program
  .command('config')
  .description('Check the configuration (COGOV_CONFIG file and environment) and print it')
  .action(() => {
    const config = loadConfig();
    console.log(
      JSON.stringify(
        { ...config, tokens: config.tokens.map((t) => ({ ...t, sha256: `${t.sha256.slice(0, 8)}…` })) },
        null,
        2,
      ),
    );
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof ConfigError || error instanceof InvalidArgumentError) {
    console.error(error.message);
    process.exit(2);
  }
  if (isDataDirectoryError(error)) {
    console.error(`cogov cannot start: ${error.message}`);
    process.exit(3);
  }
  if (error instanceof RebuildFailedError) {
    console.error(`cogov: ${error.message}`);
    process.exit(4);
  }
  throw error;
}
