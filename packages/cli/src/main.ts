import { Command, InvalidArgumentError, Option } from 'commander';
// Types only: each command's module is loaded when the command runs.
import type { serve } from './commands/serve.ts';
import type { createToken } from './commands/token.ts';
import type { ExportFlags } from './commands/export.ts';
import type { VerifyFlags } from './commands/verify.ts';
import { DEMO_REGIONS } from './demo/regions.ts';
import { plainDate, port, positiveNumber, year } from './options.ts';

/**
 * The cogov command line. Each command loads what it needs when it runs, so that `cogov token
 * create` does not load the server. Exit codes: 0 done; 1 failed (a seed refused, a check
 * failed, a log whose chain is broken); 2 a bad setting or argument; 3 a data directory that
 * cannot be used; 4 a rebuild that stopped (the running read models still serve); 5 a checkpoint
 * that cannot be trusted.
 */
const program = new Command()
  .name('cogov')
  .description(
    'Records and statistics of community co-governance: the API server, seeding, rebuilds, benchmarks',
  )
  .showHelpAfterError();

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const ROLES = ['reader', 'clerk', 'auditor', 'admin'];

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
  .addOption(new Option('--log-level <level>', 'COGOV_LOG_LEVEL').choices(LOG_LEVELS))
  .action(async (flags: Parameters<typeof serve>[0]) => (await import('./commands/serve.ts')).serve(flags));

program
  .command('seed')
  .description('Write a seed scenario into an empty store (through the real command handler)')
  .requiredOption('--scenario <name>', Object.keys(DEMO_REGIONS).join(' | '))
  .option('--scale <fraction>', 'changsha only: the share of the city', positiveNumber)
  .option('--data-dir <dir>', 'data directory (COGOV_DATA_DIR; default ./data)')
  .option('--force', 'seed even if the store already holds events')
  .action(async (flags: { scenario: string; scale?: number; dataDir?: string; force?: boolean }) =>
    (await import('./commands/seed.ts')).seed(flags),
  );

program
  .command('rebuild')
  .description('Rebuild a read model beside the running one, report the differences, switch to it')
  .argument('<projection>', 'statistics | membership | lookups')
  .option('--data-dir <dir>', 'data directory (COGOV_DATA_DIR; default ./data)')
  .action(async (projection: string, flags: { dataDir?: string }) => {
    const { rebuild, PROJECTIONS } = await import('./commands/rebuild.ts');
    if (!(PROJECTIONS as readonly string[]).includes(projection))
      throw new InvalidArgumentError(`unknown projection ${projection}; known: ${PROJECTIONS.join(', ')}`);
    await rebuild(projection, flags);
  });

program
  .command('export')
  .description(
    'Write a report as XLSX or CSV, offline from the data directory: the annual sheet 社区党建情况, the problem ledger, a roster, the points ledger',
  )
  .argument('<report>', 'annual-sheet | issue-ledger | roster | points-ledger')
  .requiredOption('--out <file>', 'the file to write: .xlsx or .csv')
  .option('--region <id>', 'annual-sheet, issue-ledger, points-ledger: the region (its whole subtree)')
  .option('--committee <id>', 'roster: the committee')
  .option('--year <year>', 'annual-sheet, points-ledger: the calendar year', year)
  .option(
    '--as-of <date>',
    'roster: the day (default today); issue-ledger: the day that decides overdue',
    plainDate,
  )
  .addOption(
    new Option('--status <status>', 'issue-ledger: which issues').choices([
      'all',
      'open',
      'overdue',
      'resolved',
      'withdrawn',
    ]),
  )
  .addOption(new Option('--lang <lang>', 'the headers’ language').choices(['zh', 'en']).default('zh'))
  .addOption(new Option('--format <format>', 'default: by the extension of --out').choices(['xlsx', 'csv']))
  .option('--data-dir <dir>', 'data directory (COGOV_DATA_DIR; default ./data)')
  .action(async (report: string, flags: ExportFlags) => {
    const { exportReport, REPORTS } = await import('./commands/export.ts');
    if (!(REPORTS as readonly string[]).includes(report))
      throw new InvalidArgumentError(`unknown report ${report}; known: ${REPORTS.join(', ')}`);
    await exportReport(report as (typeof REPORTS)[number], flags);
  });

program
  .command('verify')
  .description(
    'Verify the log: every record’s checksum and every event’s chain hash, from the first event (or a checkpoint) to the end (or a checkpoint); prints the first break. Exit 0 intact, 1 broken, 2 bad argument, 3 unreadable data directory, 5 untrusted checkpoint',
  )
  .option('--data-dir <dir>', 'data directory (COGOV_DATA_DIR; default ./data)')
  .option(
    '--after <checkpoint>',
    'start after a checkpoint you trust (resume), instead of at the first event',
  )
  .option('--against <checkpoint>', 'prove that the log up to a kept checkpoint is the one it was made of')
  .option(
    '--key <public.pem>',
    'the public key trusted to have signed the checkpoints (default: this installation’s)',
  )
  .option('--json', 'print the report as JSON')
  .action(async (flags: VerifyFlags) => (await import('./commands/verify.ts')).verify(flags));

program
  .command('checkpoint')
  .description(
    'Sign the log’s head hash with the installation’s Ed25519 key: a checkpoint for auditors to keep',
  )
  .option('--data-dir <dir>', 'data directory (COGOV_DATA_DIR; default ./data)')
  .option('--out <file>', 'write it to a file (default: standard output)')
  .action(async (flags: { dataDir?: string; out?: string }) =>
    (await import('./commands/verify.ts')).checkpoint(flags),
  );

program
  .command('bench')
  .description('Run the benchmarks (all, or the suites named) and render docs/benchmarks.md')
  .argument('[suites...]', 'store, projections, layout, api, commands')
  .option('--quick', 'smaller runs (under three minutes in all)')
  .option('--p8-events <n>', 'P8: events to rebuild (default 10 000 000)', positiveNumber)
  .action(async (suites: string[], flags: { quick?: boolean; p8Events?: number }) => {
    const { runBenchmarks } = await import('./bench/run.ts');
    await runBenchmarks(suites, {
      quick: flags.quick === true,
      ...(flags.p8Events === undefined ? {} : { p8Events: flags.p8Events }),
    });
  });

program
  .command('reliability')
  .description(
    'Prove R1, R2, R4, R6, R7 and R8 (crashes, bad requests, a soak, faults, corruptions) and render docs/reliability.md',
  )
  .option('--minutes <n>', 'R6: how long the soak runs', positiveNumber, 10)
  .option('--rate <n>', 'R6: requests a second', positiveNumber, 200)
  .option('--kills <n>', 'R1, R2: SIGKILLs', positiveNumber, 100)
  .option('--bad-requests <n>', 'R4: generated bad requests', positiveNumber, 10_000)
  .option('--corruptions <n>', 'R8: random corruptions of a seeded log', positiveNumber, 1_000)
  .option(
    '--only <ids>',
    'only these checks, e.g. R4,R7',
    (v: string) => v.split(',').map((x) => x.trim()),
    [],
  )
  .action(
    async (flags: {
      minutes: number;
      rate: number;
      kills: number;
      badRequests: number;
      corruptions: number;
      only: string[];
    }) => {
      const { runReliability } = await import('./reliability/run.ts');
      process.exit((await runReliability(flags)) ? 0 : 1);
    },
  );

program
  .command('token')
  .description('Bearer tokens')
  .command('create')
  .description(
    'Make a new random token and print the configuration entry that admits it (only its hash is stored)',
  )
  .requiredOption('--name <name>', 'who or what uses it')
  .addOption(new Option('--role <role>', 'what it may do').choices(ROLES).makeOptionMandatory())
  .option('--scope <region>', 'the region whose subtree it may see and change (* for everything)', '*')
  .action(async (flags: Parameters<typeof createToken>[0]) =>
    (await import('./commands/token.ts')).createToken(flags),
  );

program
  .command('config')
  .description('Check the configuration (COGOV_CONFIG file and environment) and print it')
  .action(async () => (await import('./commands/config.ts')).showConfig());

const tagOf = (error: unknown) => (error as { _tag?: unknown } | null)?._tag;

// Not a top-level await: the bundle that runs this file is CommonJS (ADR 18), compiled once and
// its V8 code cache kept beside it.
program.parseAsync(process.argv).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof InvalidArgumentError || tagOf(error) === 'ConfigError') {
    console.error(message);
    process.exit(2);
  }
  if (tagOf(error) === 'DataDirectory') {
    console.error(`cogov cannot start: ${message}`);
    process.exit(3);
  }
  if (tagOf(error) === 'RebuildFailed') {
    console.error(`cogov: ${message}`);
    process.exit(4);
  }
  throw error;
});
