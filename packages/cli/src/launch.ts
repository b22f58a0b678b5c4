import { isAscii } from 'node:buffer';
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** What became of a bundle's code cache when it was loaded. */
export type CacheUse = 'used' | 'none' | 'rejected' | 'corrupt';

export interface LoadedBundle {
  /** Runs the bundle's code (once) and returns what it exports. */
  run(): unknown;
  /** What became of the code cache: used, none kept yet, rejected by V8, or failing its checksum. */
  readonly cache: CacheUse;
  /** The file the code cache is kept in. */
  readonly cacheFile: string;
  /**
   * Keeps the code V8 compiled so far (what ran, not only the top level) for the next start,
   * unless the cache this start used is already that. Never throws: a directory that cannot be
   * written (an installed, read-only copy) only means the next start compiles again.
   */
  save(): boolean;
}

const DIGEST = 32;
const sha256 = (...parts: readonly (Buffer | string)[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/**
 * Loads the bundled command line (a CommonJS file, ADR 18) with V8's code cache: the first start
 * compiles the bundle and keeps the compiled code beside it; later starts skip parsing and
 * compiling (Node 20 has no code cache for ES modules; `module.enableCompileCache` is Node 22).
 * The bundle must not `import()`: Node 20 loses a script's dynamic-import callback when the
 * script comes from a code cache, so the build refuses a bundle that does (scripts/build.mjs).
 *
 * The cache is keyed by what it was compiled from: the bundle's bytes, Node's and V8's versions,
 * the architecture and the command (each command compiles different code, and the cache holds
 * what ran). Its file starts with a SHA-256 of the rest, checked before V8 reads it, so that a
 * damaged cache is compiled afresh rather than run; V8 itself refuses a cache of another
 * version or other flags.
 *
 * @example
 * const bundle = loadBundle('/…/dist/bundle/main.cjs', 'serve');
 * process.once('exit', () => bundle.save());
 * bundle.run();
 */
export const loadBundle = (file: string, command: string): LoadedBundle => {
  const bytes = readFileSync(file);
  // The bundle is built ASCII-only (charset: 'ascii'): a one-byte string, decoded in a fraction of
  // the time UTF-8 takes. A bundle that is not still loads.
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const key = sha256(bytes, process.version, process.versions.v8, process.arch, command)
    .toString('hex')
    .slice(0, 16);
  const name = `${basename(file)}.${command.replace(/[^a-z0-9-]/gi, '_')}`;
  const cacheFile = join(dirname(file), `${name}.${key}.v8cache`);
  let kept: Buffer | undefined;
  let cache: CacheUse = 'none';
  try {
    const stored = readFileSync(cacheFile);
    const data = stored.subarray(DIGEST);
    if (stored.length > DIGEST && sha256(data).equals(stored.subarray(0, DIGEST))) kept = data;
    else cache = 'corrupt';
  } catch {
    // None kept yet.
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(kept === undefined ? {} : { cachedData: kept }),
  });
  if (kept !== undefined) cache = script.cachedDataRejected === true ? 'rejected' : 'used';
  let module: { exports: unknown } | undefined;
  return {
    cache,
    cacheFile,
    run() {
      if (module !== undefined) return module.exports;
      module = { exports: {} };
      const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
      wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
      return module.exports;
    },
    save() {
      if (cache === 'used') return false;
      try {
        const data = script.createCachedData();
        const temporary = `${cacheFile}.${randomUUID()}.tmp`;
        writeFileSync(temporary, Buffer.concat([sha256(data), data]));
        renameSync(temporary, cacheFile);
        // Caches of this command compiled from an earlier bundle or Node are of no further use.
        for (const other of readdirSync(dirname(file)))
          if (other.startsWith(`${name}.`) && other.endsWith('.v8cache') && other !== basename(cacheFile))
            rmSync(join(dirname(file), other), { force: true });
        return true;
      } catch {
        return false;
      }
    },
  };
};

/**
 * Runs the bundled command line as `bin/cogov.mjs` does: the command is the first argument that is
 * not an option, and the code cache is kept when the process exits.
 */
export const runBundle = (file: string, argv: readonly string[] = process.argv.slice(2)): void => {
  const command = argv.find((arg) => !arg.startsWith('-')) ?? 'help';
  const bundle = loadBundle(file, /^[a-z][a-z-]*$/.test(command) ? command : 'other');
  process.once('exit', () => bundle.save());
  bundle.run();
};
