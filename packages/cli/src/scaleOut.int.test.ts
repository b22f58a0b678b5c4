import { sha256 } from '@cogov/api/config';
import { startKurrentStandIn, type KurrentStandIn } from '@cogov/eventstore/esdb/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cogovMain } from './scripts.ts';

const TOKEN = 'cogov_scale-out-test-token-of-the-admin';
const dirs: string[] = [];
const children: ChildProcess[] = [];
let standIn: KurrentStandIn;

/** `cogov serve` on a KurrentDB, with read models of its own; resolves with its address. */
const node = async (name: string): Promise<string> => {
  const dir = mkdtempSync(join(tmpdir(), `cogov-node-${name}-`));
  dirs.push(dir);
  const main = cogovMain();
  const child = spawn(process.execPath, [...main.execArgv, main.path, 'serve', '--port', '0'], {
    env: {
      ...process.env,
      EVENTSTORE_CONNECTION_STRING: standIn.connectionString,
      COGOV_DATA_DIR: dir,
      COGOV_TOKENS: JSON.stringify([
        { name: `admin@${name}`, sha256: sha256(TOKEN), role: 'admin', scope: '*' },
      ]),
      COGOV_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node ${name} did not start:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const address = /cogov listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (address !== undefined) {
        clearTimeout(timer);
        resolve(address);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`node ${name} exited (${String(code)}):\n${output}`)));
  });
};

const call = async (address: string, method: string, path: string, body?: unknown) => {
  const response = await fetch(`${address}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  standIn = await startKurrentStandIn();
}, 60_000);
afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(
    children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : Promise.resolve())),
  );
  await standIn.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('two API nodes on one KurrentDB, each projecting into its own read models', () => {
  it('reads on node B, with the position node A answered, what was written on node A', async () => {
    const [a, b] = await Promise.all([node('a'), node('b')]);
    const day = '2022-03-01';
    const writes: [string, unknown][] = [
      ['/v1/regions/sx-county/define-region', { name: '示范县', level: 'county', definedOn: day }],
      [
        '/v1/regions/sx-town/define-region',
        { name: '示范镇', level: 'town', parentId: 'sx-county', definedOn: day },
      ],
      [
        '/v1/regions/sx-community/define-region',
        { name: '示范社区', level: 'community', parentId: 'sx-town', definedOn: day },
      ],
      [
        '/v1/committees/sx-ppc/establish-committee',
        {
          kind: 'community-party-committee',
          regionId: 'sx-community',
          name: '示范社区大党委',
          establishedOn: day,
        },
      ],
      [
        '/v1/issues/sx-issue-1/register-issue',
        {
          committeeId: 'sx-ppc',
          title: '路灯不亮',
          trade: 'infrastructure',
          source: 'resident',
          registeredOn: day,
        },
      ],
    ];
    let position = -1;
    for (const [path, body] of writes) {
      const written = await call(a, 'POST', path, body);
      expect(written.status, JSON.stringify(written.json)).toBe(201);
      position = written.json['position'] as number;
    }
    const read = await call(
      b,
      'GET',
      `/v1/statistics/issues.registered?scope=r:sx-county&from=2022-01-01&to=2022-12-31&minPosition=${position}`,
    );
    expect(read.status, JSON.stringify(read.json)).toBe(200);
    expect(read.json['value']).toBe(1);
    expect(read.json['position']).toBeGreaterThanOrEqual(position);
    // And node A reads node B's write the same way.
    const fromB = await call(b, 'POST', '/v1/issues/sx-issue-2/register-issue', {
      committeeId: 'sx-ppc',
      title: '楼道堆物',
      trade: 'property',
      source: 'resident',
      registeredOn: day,
    });
    expect(fromB.status).toBe(201);
    const onA = await call(
      a,
      'GET',
      `/v1/statistics/issues.registered?scope=r:sx-county&from=2022-01-01&to=2022-12-31&minPosition=${String(fromB.json['position'])}`,
    );
    expect(onA.json['value']).toBe(2);

    // The log proves itself over KurrentDB too (ADR 14): each stream's chain, written by both
    // nodes, verifies on either; a checkpoint of the streams' heads signed on A proves on A.
    const verified = await call(b, 'GET', '/v1/audit/verify');
    expect(verified.json).toMatchObject({ intact: true, events: 6, break: null });
    const checkpoint = await call(a, 'GET', '/v1/audit/checkpoint');
    expect(checkpoint.status, JSON.stringify(checkpoint.json)).toBe(200);
    expect(checkpoint.json['hash']).toBe(verified.json['headHash']);
    const proved = await call(a, 'POST', '/v1/audit/checkpoint/verify', checkpoint.json);
    expect(proved.json).toMatchObject({ matches: true });
    let log = '';
    for (let i = 0; i < 100 && log !== 'verified'; i++) {
      log = String((await call(a, 'GET', '/readyz')).json['log']);
      if (log !== 'verified') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(log).toBe('verified');

    // And from the command line, beside the running nodes.
    // (Not spawnSync: the stand-in answers from this very process.)
    const cli = (args: readonly string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const main = cogovMain();
        const child = spawn(process.execPath, [...main.execArgv, main.path, ...args], {
          env: {
            ...process.env,
            EVENTSTORE_CONNECTION_STRING: standIn.connectionString,
            COGOV_DATA_DIR: dirs[0],
          },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.once('exit', (status) => resolve({ status, stdout, stderr }));
      });
    const kept = join(dirs[0] as string, 'checkpoint.json');
    const signed = await cli(['checkpoint', '--out', kept]);
    expect(signed.status, signed.stderr).toBe(0);
    const against = await cli(['verify', '--against', kept, '--json']);
    expect(against.status, against.stderr).toBe(0);
    expect(JSON.parse(against.stdout)).toMatchObject({ events: 6, against: true, break: null });
  }, 120_000);
});
