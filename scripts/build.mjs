// Builds every package to dist/ (JavaScript, declarations, source maps) with TypeScript's project
// references, incrementally, and copies the scripts that run as they are (the probes, *.cjs).
// Plain Node, so that it runs right after `pnpm install` (the root's `prepare`) and before `pack`.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');

// One build at a time writes dist/ (tests that start the CLI may build at once); a lock older
// than two minutes is stale.
const lock = join(root, '.tmp', 'build.lock');
mkdirSync(dirname(lock), { recursive: true });
for (const started = Date.now(); ;) {
  try {
    mkdirSync(lock);
    break;
  } catch {
    const age = Date.now() - (statOrNull(lock)?.mtimeMs ?? Date.now());
    if (age > 120_000) rmSync(lock, { recursive: true, force: true });
    else if (Date.now() - started > 300_000) throw new Error(`${lock} is held: another build is running`);
    else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
}
// Held until this process exits, failed or not: the copies and bundles below are written under it
// too, so that a start never imports a bundle another build is halfway through writing.
process.on('exit', () => rmSync(lock, { recursive: true, force: true }));
execFileSync(process.execPath, [tsc, '-b', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

function statOrNull(path) {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

const copyCjs = (dir, out) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const from = join(dir, entry.name);
    if (entry.isDirectory()) copyCjs(from, join(out, entry.name));
    else if (entry.name.endsWith('.cjs')) {
      mkdirSync(out, { recursive: true });
      copyFileSync(from, join(out, entry.name));
    }
  }
};
for (const pkg of readdirSync(join(root, 'packages'))) {
  const src = join(root, 'packages', pkg, 'src');
  copyCjs(src, join(root, 'packages', pkg, 'dist'));
}
// The dashboard: TypeScript for the browser, bundled (ECharts included, only what it draws) by
// esbuild into packages/dashboard/dist/web with its page and styles.
{
  const esbuild = createRequire(join(root, 'package.json'))('esbuild');
  const web = join(root, 'packages', 'dashboard', 'web');
  const out = join(root, 'packages', 'dashboard', 'dist', 'web');
  mkdirSync(out, { recursive: true });
  // Bundled again only when a source (or ECharts) is newer than the bundle: `pnpm start` builds first.
  const newest = (dir) => Math.max(...readdirSync(dir).map((f) => statSync(join(dir, f)).mtimeMs));
  const bundle = statOrNull(join(out, 'app.js'))?.mtimeMs ?? 0;
  const echarts = statOrNull(join(root, 'packages', 'dashboard', 'node_modules', 'echarts', 'package.json'));
  if (bundle < Math.max(newest(web), echarts?.mtimeMs ?? 0))
    esbuild.buildSync({
      entryPoints: [join(web, 'main.ts')],
      outfile: join(out, 'app.js'),
      bundle: true,
      format: 'esm',
      target: ['chrome110', 'firefox110', 'safari16'],
      minify: true,
      sourcemap: true,
      legalComments: 'linked',
      logLevel: 'warning',
    });
  for (const file of ['index.html', 'app.css']) copyFileSync(join(web, file), join(out, file));
}
// The command line, bundled (P9): `cogov serve` loads some 900 modules from dist/ and node_modules,
// which took most of its start. One CommonJS file (lazily loaded commands run only when called)
// loads in a fraction of that, and, being a script rather than an ES module, lets bin/cogov.mjs
// keep V8's code cache of it (dist/launch.js): later starts neither parse nor compile it. It is
// built without comments or whitespace and ASCII-only, so that it reads and hashes quickly.
// What cannot be bundled stays external: lmdb (a native addon, and msgpackr with it), the
// optional KurrentDB client, and the tools only benchmarks and tests load.
// Files found beside a module at run time (the LMDB probes, the verify worker, the dashboard's
// assets, swagger-ui's pages) are still found where they are: each module's `import.meta.url`
// and `__dirname` are rewritten to its own file's place, relative to the bundle.
{
  const esbuild = createRequire(join(root, 'package.json'))('esbuild');
  const cli = join(root, 'packages', 'cli');
  const outdir = join(cli, 'dist', 'bundle');
  const newestIn = (dir) => {
    let newest = 0;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) newest = Math.max(newest, newestIn(path));
      else if (entry.name.endsWith('.js')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
    return newest;
  };
  const dists = readdirSync(join(root, 'packages'))
    .map((pkg) => join(root, 'packages', pkg, 'dist'))
    .filter((dir) => statOrNull(dir)?.isDirectory() && dir !== join(cli, 'dist'));
  const newestSource = Math.max(
    ...dists.map(newestIn),
    ...readdirSync(join(cli, 'dist'), { withFileTypes: true })
      .filter((e) => e.name !== 'bundle')
      .map((e) =>
        e.isDirectory() ? newestIn(join(cli, 'dist', e.name)) : statSync(join(cli, 'dist', e.name)).mtimeMs,
      ),
    statOrNull(join(root, 'pnpm-lock.yaml'))?.mtimeMs ?? 0,
    statSync(fileURLToPath(import.meta.url)).mtimeMs,
  );
  if ((statOrNull(join(outdir, 'main.cjs'))?.mtimeMs ?? 0) < newestSource) {
    rmSync(outdir, { recursive: true, force: true });
    const { readFile } = await import('node:fs/promises');
    await esbuild.build({
      entryPoints: { main: join(cli, 'dist', 'main.js') },
      outdir,
      outExtension: { '.js': '.cjs' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      minifyWhitespace: true,
      minifySyntax: true,
      legalComments: 'none',
      charset: 'ascii',
      target: 'node20',
      logLevel: 'warning',
      external: [
        'lmdb',
        'msgpackr',
        '@kurrent/kurrentdb-client',
        '@grpc/grpc-js',
        'esbuild',
        'tsx',
        'vitest',
        'playwright-core',
        'exceljs',
        'autocannon',
        'fast-check',
      ],
      // The launcher passes the bundle's own `require`, `__filename` and `__dirname` (dist/launch.js).
      banner: {
        js: [
          "const __cogovFile = (file) => require('node:path').join(__dirname, file);",
          "const __cogovUrl = (file) => require('node:url').pathToFileURL(__cogovFile(file)).href;",
          "const __cogovDir = (file) => require('node:path').dirname(__cogovFile(file));",
        ].join(' '),
      },
      plugins: [
        {
          name: 'file-locations',
          setup(build) {
            build.onLoad({ filter: /\.(c|m)?js$/ }, async (args) => {
              const text = await readFile(args.path, 'utf8');
              const meta = text.includes('import.meta.url') || text.includes('import.meta.dirname');
              const dir = /\b__(dirname|filename)\b/.test(text);
              if (!meta && !dir) return undefined;
              const file = JSON.stringify(relative(outdir, args.path).split('\\').join('/'));
              const rewritten = text
                .replaceAll('import.meta.url', `__cogovUrl(${file})`)
                .replaceAll('import.meta.dirname', `__cogovDir(${file})`);
              return {
                contents: dir
                  ? `var __filename = __cogovFile(${file}); var __dirname = __cogovDir(${file});\n${rewritten}`
                  : rewritten,
                loader: 'js',
                resolveDir: dirname(args.path),
              };
            });
          },
        },
      ],
    });
  }
}
// The launcher runs the bundle from V8's code cache, where Node 20 has no `import()` (it loses the
// script's dynamic-import callback): a package loaded lazily is `require`d (createRequire), and a
// bundle that imports anything dynamically would fail only on its second start, so it fails here.
{
  const bundle = join(root, 'packages', 'cli', 'dist', 'bundle', 'main.cjs');
  const text = readFileSync(bundle, 'latin1');
  const at = text.search(/(?<![\w$.])import\s*\(/);
  if (at >= 0) {
    // Removed, so that bin/cogov.mjs runs the unbundled build rather than this one.
    rmSync(bundle, { force: true });
    throw new Error(
      `${bundle} calls import() (${text.slice(Math.max(0, at - 80), at + 40)}): load that package with createRequire instead`,
    );
  }
}
if (!process.argv.includes('--quiet'))
  console.log(`built ${relative(process.cwd(), join(root, 'packages'))}/*/dist`);
