import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const MAIN = join(import.meta.dirname, 'main.ts');
const dir = mkdtempSync(join(tmpdir(), 'cogov-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cogov = (args: readonly string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, COGOV_DATA_DIR: join(dir, 'data'), ...env },
    timeout: 60_000,
  });

describe('the cogov command line', () => {
  it('has --help on every command', () => {
    const help = cogov(['--help']);
    expect(help.status).toBe(0);
    for (const command of ['serve', 'seed', 'rebuild', 'bench', 'token', 'config'])
      expect(help.stdout).toContain(command);
    for (const command of ['serve', 'seed', 'rebuild', 'bench']) {
      const one = cogov([command, '--help']);
      expect(one.status, command).toBe(0);
      expect(one.stdout, command).toContain('Usage: cogov');
    }
  });

  it('stops a start with a bad setting, naming it (exit 2)', () => {
    const result = cogov(['serve'], { PORT: 'eighty' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/PORT: /);
    const file = join(dir, 'config.json');
    writeFileSync(file, '{"port": 80,');
    const corrupt = cogov(['serve'], { COGOV_CONFIG: file });
    expect(corrupt.status).toBe(2);
    expect(corrupt.stderr).toContain('COGOV_CONFIG');
  });

  it('makes tokens whose configuration entry holds only their hash', () => {
    const result = cogov([
      'token',
      'create',
      '--name',
      'clerk of dongmen',
      '--role',
      'clerk',
      '--scope',
      'dongmen',
    ]);
    expect(result.status).toBe(0);
    const token = /: (cogov_\S+)/.exec(result.stdout)?.[1] as string;
    const entry = JSON.parse(result.stdout.trim().split('\n').pop() as string) as Record<string, string>;
    expect(entry).toEqual({
      name: 'clerk of dongmen',
      role: 'clerk',
      scope: 'dongmen',
      sha256: createHash('sha256').update(token).digest('hex'),
    });
    expect(JSON.stringify(entry)).not.toContain(token);
    expect(cogov(['token', 'create', '--name', 'x', '--role', 'overlord']).status).not.toBe(0);
  });

  it('seeds a scenario once, and refuses a store that already holds events', () => {
    const first = cogov(['seed', '--scenario', 'huitong']);
    expect(first.status, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout) as { name: string; events: number }).toMatchObject({ name: 'huitong' });
    expect(first.stderr).toContain('seeding huitong');
    const again = cogov(['seed', '--scenario', 'huitong']);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already holds events');
    const rebuilt = cogov(['rebuild', 'statistics']);
    expect(rebuilt.status, rebuilt.stderr).toBe(0);
    expect(
      JSON.parse(rebuilt.stdout.slice(rebuilt.stdout.indexOf('{'))) as { differences: number },
    ).toMatchObject({ differences: 0 });
  }, 120_000);
});
