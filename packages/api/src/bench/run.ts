import { benchApi } from './api.ts';
import { benchLayout } from './layout.ts';
import { benchProjections } from './projections.ts';
import { benchStore } from './store.ts';
import { createContext, machine, type BenchContext } from './lib.ts';

export const SUITES: Readonly<Record<string, (context: BenchContext) => Promise<void>>> = {
  store: benchStore,
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
  const context = createContext(
    options.quick,
    options.p8Events === undefined ? {} : { p8Events: options.p8Events },
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
  return context.results;
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  await runBenchmarks(
    args.filter((a) => !a.startsWith('--')),
    {
      quick: args.includes('--quick'),
      ...(args.find((a) => a.startsWith('--p8-events=')) === undefined
        ? {}
        : { p8Events: Number(args.find((a) => a.startsWith('--p8-events='))!.split('=')[1]) }),
    },
  );
}
