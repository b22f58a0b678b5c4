import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REJECTIONS } from './rejections.ts';

const root = new URL('../..', import.meta.url).pathname;
const testFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? testFiles(join(dir, entry.name))
      : entry.name.endsWith('.test.ts')
        ? [join(dir, entry.name)]
        : [],
  );

describe('the rejection registry', () => {
  it('has an example test asserting every code', () => {
    const tests = testFiles(join(root, 'src'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const asserted = new Set([...tests.matchAll(/thenRejects\('([A-Z_]+)'/g)].map((m) => m[1]));
    const missing = Object.keys(REJECTIONS).filter((code) => !asserted.has(code));
    expect(missing).toEqual([]);
  });

  it('is listed in docs/errors.md, every code (regenerate with `pnpm run docs`)', () => {
    const doc = readFileSync(join(root, '../../docs/errors.md'), 'utf8');
    expect(Object.keys(REJECTIONS).filter((code) => !doc.includes(`| \`${code}\` |`))).toEqual([]);
  });
});
