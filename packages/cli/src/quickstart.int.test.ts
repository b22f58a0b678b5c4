import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');

describe('the README’s quick start, line 1', () => {
  it('starts the API with the huitong demo, prints /docs and a token, becomes ready and serves a statistic', async () => {
    const data = mkdtempSync(join(tmpdir(), 'cogov-quickstart-'));
    // Exactly the script the README's first line runs (after its install), on a free port.
    const child = spawn('npx', ['-y', 'pnpm@10', 'start'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', COGOV_DATA_DIR: data },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      const started = Date.now();
      while (!/reader\s+\S+/.test(output)) {
        if (Date.now() - started > 120_000) throw new Error(`no demo token printed:\n${output}`);
        if (child.exitCode !== null) throw new Error(`exited early:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const address = /cogov listening on (http:\/\/\S+)/.exec(output)?.[1];
      const token = /reader\s+(\S+)/.exec(output)?.[1];
      expect(output).toContain(`API docs: ${address}/docs`);
      expect(token).toMatch(/^cogov_/);
      let ready = 0;
      for (let i = 0; i < 300 && ready !== 200; i++) {
        ready = (await fetch(`${address}/readyz`)).status;
        if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(ready).toBe(200);
      // It ran the bundle (scripts/build.mjs, bin/cogov.mjs), and what the bundle finds beside its
      // modules at run time was found: the log's probe (the start checks the log with it), the
      // verify worker (the log reads as verified), swagger-ui's pages and the dashboard (below).
      expect(existsSync(join(ROOT, 'packages/cli/dist/bundle/main.cjs'))).toBe(true);
      let log = '';
      for (let i = 0; i < 300 && log !== 'verified'; i++) {
        log = ((await (await fetch(`${address}/readyz`)).json()) as { log: string }).log;
        if (log !== 'verified') await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(log).toBe('verified');
      const response = await fetch(
        `${address}/v1/statistics/issues.resolved?scope=r:huitong&from=2022-01-01&to=2022-12-31`,
        {
          headers: { authorization: `Bearer ${token}` },
        },
      );
      expect(response.status).toBe(200);
      expect(((await response.json()) as { value: number }).value).toBe(67);
      expect((await fetch(`${address}/docs/`)).status).toBe(200);
      // The dashboard the README sends a newcomer to: / leads to it, and its page and script load.
      expect(output).toContain(`Dashboard: ${address}/dashboard`);
      const page = await fetch(`${address}/`);
      expect(page.url).toBe(`${address}/dashboard/`);
      expect(await page.text()).toContain('/dashboard/app.js');
      expect((await fetch(`${address}/dashboard/app.js`)).headers.get('content-type')).toMatch(/javascript/);
    } finally {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
      await exited;
      rmSync(data, { recursive: true, force: true });
    }
  }, 180_000);
});
