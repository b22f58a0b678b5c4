import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, policyOf } from './config.ts';

const dir = mkdtempSync(join(tmpdir(), 'cogov-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const problemsOf = (load: () => unknown): readonly string[] => {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('no ConfigError');
};

describe('configuration', () => {
  it('has defaults that run the embedded store under ./data on port 3000', () => {
    expect(loadConfig({})).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: './data',
      policy: 'huitong-2022',
      tokens: [],
    });
  });

  it('takes a file, then the environment over it, then flags over both', () => {
    const config = file('ok.json', JSON.stringify({ port: 4000, dataDir: '/srv/cogov', bodyLimit: 2048 }));
    expect(loadConfig({ COGOV_CONFIG: config, PORT: '5000' }, { dataDir: '/tmp/x' })).toMatchObject({
      port: 5000,
      dataDir: '/tmp/x',
      bodyLimit: 2048,
    });
  });

  it('names the setting and where it came from when a value is bad', () => {
    expect(problemsOf(() => loadConfig({ PORT: 'eighty' }))).toEqual([expect.stringMatching(/^PORT: /)]);
    const config = file('bad.json', JSON.stringify({ bodyLimit: 10, colour: 'red' }));
    const problems = problemsOf(() => loadConfig({ COGOV_CONFIG: config }));
    expect(problems.some((p) => p.startsWith(`${config}: "bodyLimit"`))).toBe(true);
    expect(problems.some((p) => p.includes('colour'))).toBe(true);
    const tokens = JSON.stringify([{ name: 'x', sha256: 'not-a-hash', role: 'clerk', scope: '*' }]);
    expect(problemsOf(() => loadConfig({ COGOV_TOKENS: tokens }))).toEqual([
      expect.stringMatching(/^COGOV_TOKENS → 0\.sha256: /),
    ]);
    expect(problemsOf(() => loadConfig({ COGOV_TOKENS: '[{' }))).toEqual([
      expect.stringMatching(/^COGOV_TOKENS: not valid JSON/),
    ]);
  });

  it('refuses two tokens with one name (the name is recorded as the actor of what a token writes)', () => {
    const token = (name: string, hash: string, scope: string) => ({
      name,
      sha256: hash.repeat(64),
      role: 'reader',
      scope,
    });
    const tokens = JSON.stringify([token('clerk', 'a', 'lincheng'), token('clerk', 'b', 'othertown')]);
    expect(problemsOf(() => loadConfig({ COGOV_TOKENS: tokens }))).toEqual([
      expect.stringMatching(/two tokens are named "clerk"/),
    ]);
  });

  it('names an unreadable or corrupt configuration file', () => {
    expect(problemsOf(() => loadConfig({ COGOV_CONFIG: join(dir, 'missing.json') }))).toEqual([
      expect.stringMatching(/^COGOV_CONFIG: cannot read/),
    ]);
    const corrupt = file('corrupt.json', '{"port": 80,');
    expect(problemsOf(() => loadConfig({ COGOV_CONFIG: corrupt }))).toEqual([
      expect.stringMatching(/^COGOV_CONFIG: .* is not valid JSON/),
    ]);
  });

  it('reads a policy preset or a policy file checked by the domain’s rules', () => {
    expect(policyOf(loadConfig({ COGOV_POLICY: 'liuyang-2013' })).id).toBe('liuyang-2013');
    const bad = file('policy.json', JSON.stringify({ id: 'x' }));
    expect(problemsOf(() => policyOf(loadConfig({ COGOV_POLICY: bad })))[0]).toMatch(/^policy \(.*\) → /);
    expect(problemsOf(() => policyOf(loadConfig({ COGOV_POLICY: 'nowhere-2030' })))[0]).toMatch(
      /neither a preset/,
    );
  });
});
