// Builds every package to dist/ (JavaScript, declarations, source maps) with TypeScript's project
// references, incrementally, and copies the scripts that run as they are (the probes, *.cjs).
// Plain Node, so that it runs right after `pnpm install` (the root's `prepare`) and before `pack`.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
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
try {
  execFileSync(process.execPath, [tsc, '-b', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
} finally {
  rmSync(lock, { recursive: true, force: true });
}

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
if (!process.argv.includes('--quiet'))
  console.log(`built ${relative(process.cwd(), join(root, 'packages'))}/*/dist`);
