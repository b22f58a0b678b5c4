import { fillFilesystem, smallFilesystem } from '@cogov/eventstore/testing';
import { tokenOf } from '@cogov/testkit/http';
import { cpSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';

let server: TestServer;
let volume: { readonly path: string; release(): void };
let ballast: string | undefined;
/** A reader held open while the disk is full: no write can reuse a page a commit freed. */
let snapshot: { done(): void } | undefined;

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
  snapshot?.done();
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
    snapshot = server.runtime.readModels.store.root.useReadTransaction();
    let registered = 0;
    const issue = (id: string, key?: string) =>
      server.app.inject({
        method: 'POST',
        url: `/v1/issues/${id}/register-issue`,
        headers: {
          ...ADMIN,
          'content-type': 'application/json',
          ...(key === undefined ? {} : { 'idempotency-key': key }),
        },
        payload: {
          committeeId: 'dongmen-ppc',
          title: '楼道堆物',
          trade: 'property',
          source: 'resident',
          registeredOn: '2022-06-01',
        },
      });
    // Every command carries an Idempotency-Key, whose answer is stored beside the read models.
    const answered = new Map<number, { status: number; body: string }>();
    const register = async () => {
      const n = ++registered;
      const response = await issue(`stall-${n}`, `stall-key-${n}`);
      answered.set(n, { status: response.statusCode, body: response.body });
      // The log's volume has room: the command is acknowledged, however full the read models'
      // volume, unless they lag and the key cannot be checked yet (nothing written, retry).
      if (response.statusCode !== 201)
        expect([response.statusCode, response.json<{ type: string }>().type], response.body).toEqual([
          503,
          'urn:cogov:problem:read-model-behind',
        ]);
    };
    // Commands until the read models' commit needs more pages than their free list holds. A
    // retry can get through now and then (a reader lets go of pages), so readiness, status and
    // metrics are read together until all three show the stall.
    let seen: {
      ready: { status: string; readModelsPosition: number };
      log: number;
      status: Status;
      metrics: string;
    };
    await until('the read models stall', async () => {
      await Promise.all(Array.from({ length: 16 }, register));
      const ready = await server.app.inject({ method: 'GET', url: '/readyz' });
      const status = (await get('/v1/admin/status')).json<Status>();
      const metrics = (await get('/metrics')).body;
      seen = { ready: ready.json(), log: (await server.runtime.store.lastPosition()) ?? -1, status, metrics };
      return (
        ready.statusCode === 503 &&
        seen.ready.status === 'stalled' &&
        status.status === 'stalled' &&
        /cogov_projection_stalled_seconds\{projection="[a-z]+",role="active"\} (?!0\n)[\d.]+/.test(metrics)
      );
    });
    expect(seen!.ready.readModelsPosition).toBeLessThan(seen!.log);
    const stalled = seen!.status.projections.filter((p) => p.stall !== null);
    expect(stalled.length).toBeGreaterThan(0);
    for (const p of seen!.status.projections) {
      expect(p.state, p.projection).not.toBe('failed');
      expect(p.failure, p.projection).toBeNull();
    }
    expect(stalled[0]?.stall?.error).toMatch(/No space left on device/);

    // Stalled, a key cannot be checked against the log: asked to come back, nothing written.
    // (Unless a retry of the read models has just got through: then it is taken, once.)
    const early = await issue('stall-keyed', 'stall-key-x');
    const written = await server.runtime.store.readStream('issue-stall-keyed' as never);
    if (early.statusCode === 201) expect(written).toHaveLength(1);
    else {
      expect([early.statusCode, early.json<{ type: string }>().type], early.body).toEqual([
        503,
        'urn:cogov:problem:read-model-behind',
      ]);
      expect(written).toHaveLength(0);
    }

    // Space again: the server catches up by itself, with every acknowledged command.
    snapshot.done();
    snapshot = undefined;
    rmSync(ballast);
    ballast = undefined;
    const log = (await server.runtime.store.lastPosition()) ?? -1;
    expect(await server.runtime.readModels.waitFor(log, 30_000)).toBe(true);
    await until('the server is ready again', async () => {
      const again = await server.app.inject({ method: 'GET', url: '/readyz' });
      return again.statusCode === 200;
    });
    const after = (await get('/v1/admin/status')).json<Status>();
    expect(after.projections.map((p) => p.stall)).toEqual(after.projections.map(() => null));
    expect((await issue('stall-keyed', 'stall-key-x')).statusCode).toBe(201);
    expect(await server.runtime.store.readStream('issue-stall-keyed' as never)).toHaveLength(1);
    // Each command answered 201 is in the log once, and its retry gets the same answer, stored
    // or not (its key is its command id in the log); each answered 503 wrote nothing.
    let fromLog = 0;
    for (const [n, first] of answered) {
      const events = await server.runtime.store.readStream(`issue-stall-${n}` as never);
      expect(events, `stall-${n}`).toHaveLength(first.status === 201 ? 1 : 0);
      if (first.status !== 201) continue;
      const retried = await issue(`stall-${n}`, `stall-key-${n}`);
      // From the log when the answer could not be stored: the same but for `replayed`.
      const { replayed, ...again } = retried.json<{ replayed: boolean }>();
      const { replayed: _, ...before } = JSON.parse(first.body) as { replayed: boolean };
      if (replayed) fromLog++;
      expect([retried.statusCode, again], `stall-${n}`).toEqual([201, before]);
      expect(await server.runtime.store.readStream(`issue-stall-${n}` as never)).toHaveLength(1);
    }
    // Answers that could not be stored (the disk was full) had their retries answered from the
    // log: how many depends on which write found the disk full first (most runs: 32 of 1 168).
    expect(fromLog).toBeLessThan(answered.size);
  }, 120_000);
});
