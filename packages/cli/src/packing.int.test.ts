import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const work = mkdtempSync(join(tmpdir(), 'cogov-packing-'));
const packs = join(work, 'packs');
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (command: string, args: readonly string[], cwd: string) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
const npm = (args: readonly string[], cwd: string) => run('npm', [...args, '--no-audit', '--no-fund'], cwd);
const tarball = (name: string) => {
  const file = readdirSync(packs).find((f) => f.startsWith(`cogov-${name}-`));
  if (file === undefined) throw new Error(`no tarball of @cogov/${name}`);
  return `file:${join(packs, file)}`;
};
/** A scratch project that installs the tarballs of these packages with npm (no pnpm, no tsx). */
const scratch = (name: string, packages: readonly string[], extra: Record<string, string> = {}) => {
  const dir = join(work, name);
  mkdirSync(dir);
  const all = ['domain', 'storage', 'eventstore', 'projections'];
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name,
      private: true,
      type: 'module',
      dependencies: { ...Object.fromEntries(packages.map((p) => [`@cogov/${p}`, tarball(p)])), ...extra },
      // The tarballs depend on each other by version: take them from here, not the registry.
      overrides: Object.fromEntries(
        all.filter((p) => !packages.includes(p)).map((p) => [`@cogov/${p}`, tarball(p)]),
      ),
    }),
  );
  npm(['install'], dir);
  return dir;
};
const installed = (dir: string) => readdirSync(join(dir, 'node_modules')).filter((n) => !n.startsWith('.'));

beforeAll(() => {
  run(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--quiet'], ROOT);
  run('npx', ['-y', 'pnpm@10', '-r', '--filter', './packages/*', 'pack', '--pack-destination', packs], ROOT);
}, 300_000);

describe('the packages, packed and installed with npm in a clean project', () => {
  it('hold their compiled JavaScript, declarations and scripts, and nothing from tests', () => {
    for (const name of ['domain', 'storage', 'eventstore', 'projections', 'api', 'cli', 'testkit']) {
      const files = run('tar', ['tzf', tarball(name).slice('file:'.length)], work).split('\n');
      expect(files, name).toContain(
        'package/dist/index.js'.replace('index', name === 'cli' ? 'main' : 'index'),
      );
      expect(
        files.filter((f) => /\.test\.(ts|js)$/.test(f)),
        name,
      ).toEqual([]);
      expect(
        files.filter((f) => f.includes('/testing/server')),
        name,
      ).toEqual([]);
    }
    const store = run('tar', ['tzf', tarball('eventstore').slice('file:'.length)], work);
    expect(store).toContain('package/dist/lmdb/probe.cjs');
  });

  it('install @cogov/domain alone as itself and zod, with no native code, running under plain Node', () => {
    const dir = scratch('domain-only', ['domain']);
    expect(installed(dir).sort()).toEqual(['@cogov', 'zod']);
    const native = run('find', ['node_modules', '-name', '*.node', '-o', '-name', 'binding.gyp'], dir);
    expect(native.trim()).toBe('');
    writeFileSync(
      join(dir, 'main.mjs'),
      `import { CogovService, HUITONG_2022, InMemoryEventStore, RegionId } from '@cogov/domain';
const cogov = new CogovService({ store: new InMemoryEventStore(), policy: HUITONG_2022 });
const result = await cogov.execute({ type: 'DefineRegion', regionId: RegionId.parse('huitong'), name: '会同县', level: 'county', definedOn: '2022-01-01' });
console.log(result.status, result.revision);`,
    );
    expect(run(process.execPath, ['main.mjs'], dir).trim()).toBe('accepted 0');
  }, 120_000);

  it('give an LMDB user the README’s embedding example, type-checked (nodenext, strict) and run, with no gRPC installed', () => {
    const dir = scratch('lmdb-user', ['domain', 'storage', 'eventstore', 'projections'], {
      '@types/node': '^20.19.0',
    });
    expect(installed(dir).filter((n) => /grpc|kurrent/i.test(n))).toEqual([]);
    copyFileSync(join(ROOT, 'packages/api/src/examples/embed.ts'), join(dir, 'embed.ts'));
    writeFileSync(
      join(dir, 'main.ts'),
      `import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbEventStore } from '@cogov/eventstore/lmdb';
import { embed } from './embed.js';
const dir = mkdtempSync(join(tmpdir(), 'embed-'));
const { refused, meetings, roster } = await embed(dir);
// Open, close and reopen the store the example wrote (the reopening runs the file check).
const store = await LmdbEventStore.open({ path: join(dir, 'events') });
const last = await store.lastPosition();
await store.close();
const again = await LmdbEventStore.open({ path: join(dir, 'events') });
const same = (await again.lastPosition()) === last;
await again.close();
console.log(JSON.stringify({ refused, meetings, sitting: roster.members.map((m) => m.personId), reopened: same }));
`,
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          outDir: 'out',
          types: ['node'],
          skipLibCheck: false,
        },
        files: ['main.ts', 'embed.ts'],
      }),
    );
    let errors = '';
    try {
      run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', '.'], dir);
    } catch (error) {
      errors = String((error as { stdout?: string }).stdout);
    }
    // lmdb's own declarations use `export =`, which nodenext reports; every other line must be clean.
    const ours = errors.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('node_modules/lmdb/'));
    expect(ours).toEqual([]);
    expect(existsSync(join(dir, 'out/main.js'))).toBe(true);
    expect(JSON.parse(run(process.execPath, ['out/main.js'], dir))).toEqual({
      refused: 'ATTENDEE_NOT_SITTING',
      meetings: 1,
      sitting: ['li-wei'],
      reopened: true,
    });
  }, 240_000);
});
