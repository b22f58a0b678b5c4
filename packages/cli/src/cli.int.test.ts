import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { LmdbEventStore } from '@cogov/eventstore/lmdb';
import { openReadModels } from '@cogov/projections';
import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const MAIN = join(import.meta.dirname, 'main.ts');
const dir = mkdtempSync(join(tmpdir(), 'cogov-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cogov = (args: readonly string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, COGOV_DATA_DIR: join(dir, 'data'), ...env },
    timeout: 60_000,
  });

/** Starts `cogov serve` on a free port, returns what it printed once listening, and stops it. */
const serveOnce = (args: readonly string[], env: Record<string, string> = {}) =>
  new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', MAIN, 'serve', '--port', '0', ...args],
      {
        env: { ...process.env, COGOV_DATA_DIR: join(dir, 'data'), ...env },
      },
    );
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('API docs:')) setTimeout(() => child.kill('SIGINT'), 200);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', () => {
      clearTimeout(timer);
      if (stdout.includes('cogov listening on')) resolve({ stdout, stderr });
      else reject(new Error(`serve did not start: ${stderr}`));
    });
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

  it('exports the huitong annual sheet offline as XLSX and CSV, with the statistics’ totals', async () => {
    const xlsx = join(dir, '年报.xlsx');
    const written = cogov(['export', 'annual-sheet', '--region', 'huitong', '--year', '2022', '--out', xlsx]);
    expect(written.status, written.stderr).toBe(0);
    expect(written.stdout).toContain('annual-sheet, 5 rows, XLSX');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx);
    const sheet = workbook.worksheets[0]!;
    const headers = (sheet.getRow(2).values as unknown[]).slice(1);
    const county = (sheet.getRow(3).values as unknown[]).slice(1);
    const cell = (zh: string) => county[headers.indexOf(zh)];
    expect(county[1]).toBe('huitong');
    // The statistics of the same data directory, read in this process once the CLI has exited.
    const store = await LmdbEventStore.open({ path: join(dir, 'data', 'events') });
    const readModels = openReadModels({ path: join(dir, 'data', 'read-models'), store });
    try {
      await readModels.start();
      expect(await readModels.waitFor((await store.lastPosition()) ?? -1, 60_000)).toBe(true);
      const s = readModels.statistics();
      const year = ['2022-01-01', '2022-12-31'] as never[];
      expect(cell('解决问题数')).toBe(s.total('issues.resolved', { scope: 'r:huitong' }, year[0]!, year[1]!));
      expect(cell('兼职委员数')).toBe(s.levelOn('partTime.sitting', { scope: 'r:huitong' }, year[1]!));
      expect(cell('建立社区“大党委”的社区数')).toBe(3);
    } finally {
      await readModels.close();
      await store.close();
    }
    const csv = join(dir, 'sheet.csv');
    expect(
      cogov(['export', 'annual-sheet', '--region', 'huitong', '--year', '2022', '--out', csv]).status,
    ).toBe(0);
    const text = readFileSync(csv, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.split('\r\n')[0]).toContain('建立社区“大党委”的社区数');
    // A report that needs a flag says which (exit 2); an unknown report is refused.
    const missing = cogov(['export', 'annual-sheet', '--region', 'huitong', '--out', csv]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--year is required');
    expect(cogov(['export', 'balance-sheet', '--out', csv]).status).not.toBe(0);
  }, 120_000);

  it('makes no demo tokens for a store that holds other records than a demo’s', async () => {
    // The store seeded above by `cogov seed` is not a demo store.
    const { stdout, stderr } = await serveOnce(['--demo', 'huitong']);
    expect(stdout).not.toContain('Demo tokens');
    expect(stdout).not.toMatch(/cogov_[A-Za-z0-9_-]{20,}/);
    expect(stderr).toContain('no demo tokens are made');
  }, 120_000);

  it('makes demo tokens for a freshly seeded demo, and again for the same demo written only through them', async () => {
    const env = { COGOV_DATA_DIR: join(dir, 'demo') };
    const first = await serveOnce(['--demo', 'huitong'], env);
    expect(first.stdout).toContain('Demo tokens');
    const again = await serveOnce(['--demo', 'huitong'], env);
    expect(again.stdout).toContain('Demo tokens');
    expect(again.stderr).toContain('not seeding huitong again');
  }, 180_000);
});
