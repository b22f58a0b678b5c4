import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadBundle } from './launch.ts';

const runs = () => (globalThis as { __cogovLaunchRuns?: number }).__cogovLaunchRuns ?? 0;
// A bundle with enough code for V8 to cache, which counts its runs and uses what the launcher passes.
const bundleSource = (variant: string) =>
  [
    `globalThis.__cogovLaunchRuns = (globalThis.__cogovLaunchRuns ?? 0) + 1;`,
    `module.exports.variant = ${JSON.stringify(variant)};`,
    `module.exports.dir = __dirname + require('node:path').sep;`,
    ...Array.from({ length: 50 }, (_, i) => `function f${i}(x) { return x * ${i} + ${i}; } f${i}(${i});`),
  ].join('\n');

describe('the bundle launcher keeps V8 code cache it can trust', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cogov-launch-'));
    file = join(dir, 'main.cjs');
    writeFileSync(file, bundleSource('a'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('compiles on the first start, keeps the cache, and runs from it on the next', () => {
    const first = loadBundle(file, 'serve');
    expect(first.cache).toBe('none');
    const before = runs();
    first.run();
    first.run(); // once only
    expect(runs()).toBe(before + 1);
    expect(first.save()).toBe(true);
    const stored = readFileSync(first.cacheFile);
    expect(createHash('sha256').update(stored.subarray(32)).digest().equals(stored.subarray(0, 32))).toBe(
      true,
    );

    const second = loadBundle(file, 'serve');
    expect(second.cache).toBe('used');
    second.run();
    expect(runs()).toBe(before + 2);
    expect(second.save()).toBe(false); // already what it used
  });

  it('never hands V8 a cache whose bytes changed on disk: compiles afresh and keeps a good one', () => {
    const first = loadBundle(file, 'serve');
    first.run();
    first.save();
    const stored = readFileSync(first.cacheFile);
    for (const at of [0, 40, stored.length - 1]) {
      const flipped = Buffer.from(stored);
      flipped[at] = (flipped[at] as number) ^ 0x01;
      writeFileSync(first.cacheFile, flipped);
      const damaged = loadBundle(file, 'serve');
      expect(damaged.cache).toBe('corrupt');
      const before = runs();
      damaged.run();
      expect(runs()).toBe(before + 1);
    }
    writeFileSync(first.cacheFile, stored.subarray(0, 10)); // cut short
    const short = loadBundle(file, 'serve');
    expect(short.cache).toBe('corrupt');
    expect(short.save()).toBe(true);
    expect(loadBundle(file, 'serve').cache).toBe('used');
  });

  it('keys the cache by the bundle’s bytes and the command, and drops a stale one', () => {
    const first = loadBundle(file, 'serve');
    first.run();
    first.save();
    // Same length, other code: V8 alone would check little more than the length.
    writeFileSync(file, bundleSource('b'));
    const changed = loadBundle(file, 'serve');
    expect(changed.cacheFile).not.toBe(first.cacheFile);
    expect(changed.cache).toBe('none');
    changed.save();
    expect(readdirSync(dir).filter((f) => f.endsWith('.v8cache'))).toEqual([
      changed.cacheFile.slice(dir.length + 1),
    ]);
    const other = loadBundle(file, 'verify');
    expect(other.cacheFile).not.toBe(changed.cacheFile);
    expect(other.cache).toBe('none');
  });

  it('passes the bundle its own require, module and directory', () => {
    const fresh = loadBundle(file, 'serve').run();
    expect(fresh).toEqual({ variant: 'a', dir: `${dir}${sep}` });
    const cached = loadBundle(file, 'serve');
    cached.run();
    cached.save();
    expect(loadBundle(file, 'serve').run()).toEqual(fresh);
    expect(() => loadBundle(join(dir, 'missing.cjs'), 'serve')).toThrow(/ENOENT/);
  });

  it('still keeps nothing where the directory cannot be written, and says so', () => {
    const loaded = loadBundle(file, 'serve');
    loaded.run();
    rmSync(dir, { recursive: true, force: true });
    expect(loaded.save()).toBe(false);
  });
});

describe('the built bundle', () => {
  const bundle = join(import.meta.dirname, '..', 'dist', 'bundle', 'main.cjs');
  it('is ASCII-only and never calls import() (which Node 20 cannot do from a code cache)', () => {
    const bytes = readFileSync(bundle); // the build (pnpm install's prepare) makes it
    expect(bytes.every((b) => b < 0x80)).toBe(true);
    expect(bytes.toString('latin1')).not.toMatch(/(?<![\w$.])import\s*\(/);
  });
});
