import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A script of this package, as Node can run it: the compiled `.js` beside the caller, or (when the
 * caller itself runs from its TypeScript source, under tsx) the `.ts` source with tsx loaded.
 *
 * @example
 * const child = scriptOf(import.meta.url, './loadChild');
 * spawn(process.execPath, [...child.execArgv, child.path, url]);
 */
export const scriptOf = (
  from: string,
  relative: string,
): { readonly path: string; readonly execArgv: readonly string[] } => {
  const source = from.endsWith('.ts');
  return {
    path: fileURLToPath(new URL(`${relative}${source ? '.ts' : '.js'}`, from)),
    execArgv: source ? ['--conditions=source', '--import', 'tsx'] : [],
  };
};

/**
 * The `cogov` command line's entry, as Node can run it: from a checkout's build, `bin/cogov.mjs`
 * (which runs the bundle, `dist/bundle/main.cjs`, with its code cache), else the compiled
 * `main.js`, or the source.
 */
export const cogovMain = (): { readonly path: string; readonly execArgv: readonly string[] } => {
  const main = scriptOf(import.meta.url, './main');
  if (main.execArgv.length > 0) return main;
  const bundle = fileURLToPath(new URL('./bundle/main.cjs', import.meta.url));
  return existsSync(bundle)
    ? { path: fileURLToPath(new URL('../bin/cogov.mjs', import.meta.url)), execArgv: [] }
    : main;
};
