import { benchApi } from './api.ts';
import { benchCommands, benchFold, benchKeyedCommands } from './commands.ts';
import { benchLayout } from './layout.ts';
import { benchProjections } from './projections.ts';
import { benchStore } from './store.ts';
import { createContext, machine, RESULTS_FILE, type BenchContext } from './lib.ts';
import { writeBenchmarkReport } from './render.ts';

export const SUITES: Readonly<Record<string, (context: BenchContext) => Promise<void>>> = {
  store: benchStore,
  commands: benchCommands,
  fold: benchFold,
  keyed: benchKeyedCommands,
  projections: benchProjections,
  layout: benchLayout,
  api: benchApi,
};

/** Runs the named benchmark suites (all when none is named). */
export const runBenchmarks = async (
  names: readonly string[],
  options: { quick: boolean; p8Events?: number },
) => {
  const unknown = names.filter((n) => !(n in SUITES));
  if (unknown.length > 0)
    throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(SUITES).join(', ')}`);
  const command = [
    'pnpm bench',
    ...names,
    ...(options.quick ? ['--quick'] : []),
    ...(options.p8Events === undefined ? [] : [`--p8-events ${options.p8Events}`]),
  ].join(' ');
  const context = createContext(
    options.quick,
    options.p8Events === undefined ? {} : { p8Events: options.p8Events },
    command,
  );
  console.error(
    `# cogov bench ${names.join(' ') || 'all'}${options.quick ? ' --quick' : ''} on ${JSON.stringify(machine())}`,
  );
  try {
    for (const name of names.length === 0 ? Object.keys(SUITES) : names)
      await (SUITES[name] as (c: BenchContext) => Promise<void>)(context);
  } finally {
    context.dispose();
  }
  writeBenchmarkReport(RESULTS_FILE, 'docs/benchmarks.md');
  console.error(
    `# ${context.results.length} figures; docs/benchmarks.md rendered from docs/benchmarks.jsonl with ${RESULTS_FILE} merged in`,
  );
  return context.results;
};
