import { fillFilesystem, smallFilesystem } from '@cogov/eventstore/testing';
import { tokenOf } from '@cogov/testkit/http';
import { cpSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';

let server: TestServer;
let volume: { readonly path: string; release(): void };
let ballast: string | undefined;

beforeAll(async () => {
  server = await startTestServer();
  // The read models on a volume of their own (as an operator may put them), which can fill up
  // while the log's volume has room.
  volume = smallFilesystem(48);
  await server.restart((dir) => {
    cpSync(join(dir, 'read-models'), volume.path, { recursive: true });
    rmSync(join(dir, 'read-models'), { recursive: true });
    symlinkSync(volume.path, join(dir, 'read-models'));
  });
}, 120_000);

afterAll(async () => {
  if (ballast !== undefined) rmSync(ballast, { force: true });
  await server?.close();
  volume?.release();
});

const ADMIN = { authorization: `Bearer ${tokenOf('admin', '*')}` };
const get = (url: string) => server.app.inject({ method: 'GET', url, headers: ADMIN });

const until = async (what: string, condition: () => Promise<boolean>) => {
  const deadline = Date.now() + 60_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

interface Status {
  status: string;
  projections: {
    projection: string;
    state: string;
    failure: unknown;
    stall: { attempts: number; error: string } | null;
  }[];
}

describe('a server whose read models cannot be written (a full disk)', () => {
  it('says stalled, not failed, keeps taking commands into the log, and recovers by itself when space comes back', async () => {
    expect((await server.app.inject({ method: 'GET', url: '/readyz' })).json()).toMatchObject({
      status: 'ok',
    });
    ballast = fillFilesystem(volume.path);
    let registered = 0;
    const register = async () => {
      const response = await server.app.inject({
        method: 'POST',
        url: `/v1/issues/stall-${++registered}/register-issue`,
        headers: { ...ADMIN, 'content-type': 'application/json' },
        payload: {
          committeeId: 'dongmen-ppc',
          title: '楼道堆物',
          trade: 'property',
          source: 'resident',
          registeredOn: '2022-06-01',
        },
      });
      // The log's volume has room: the command is acknowledged, whatever the read models do.
      expect(response.statusCode, response.body).toBeLessThan(300);
    };
    // Commands until the read models' commit needs more pages than their free list holds.
    await until('the read models stall', async () => {
      await Promise.all(Array.from({ length: 64 }, register));
      const ready = await server.app.inject({ method: 'GET', url: '/readyz' });
      return ready.json<{ status: string }>().status === 'stalled';
    });
    const ready = await server.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    const log = (await server.runtime.store.lastPosition()) ?? -1;
    expect(ready.json<{ readModelsPosition: number }>().readModelsPosition).toBeLessThan(log);

    const status = (await get('/v1/admin/status')).json<Status>();
    expect(status.status).toBe('stalled');
    const stalled = status.projections.filter((p) => p.stall !== null);
    expect(stalled.length).toBeGreaterThan(0);
    for (const p of status.projections) {
      expect(p.state, p.projection).not.toBe('failed');
      expect(p.failure, p.projection).toBeNull();
    }
    expect(stalled[0]?.stall?.error).toMatch(/No space left on device/);
    const metrics = (await get('/metrics')).body;
    expect(metrics).toMatch(
      /cogov_projection_stalled_seconds\{projection="[a-z]+",role="active"\} (?!0\n)[\d.]+/,
    );

    // Space again: the server catches up by itself, with every acknowledged command.
    rmSync(ballast);
    ballast = undefined;
    expect(await server.runtime.readModels.waitFor(log, 30_000)).toBe(true);
    await until('the server is ready again', async () => {
      const again = await server.app.inject({ method: 'GET', url: '/readyz' });
      return again.statusCode === 200;
    });
    const after = (await get('/v1/admin/status')).json<Status>();
    expect(after.projections.map((p) => p.stall)).toEqual(after.projections.map(() => null));
    for (let i = 1; i <= registered; i++)
      expect((await get(`/v1/issues/stall-${i}`)).statusCode, `stall-${i}`).toBe(200);
  }, 120_000);
});
