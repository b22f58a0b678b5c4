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

/** The `cogov` command line's entry, as Node can run it. */
export const cogovMain = (): { readonly path: string; readonly execArgv: readonly string[] } =>
  scriptOf(import.meta.url, './main');
