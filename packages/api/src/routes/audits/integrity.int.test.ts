import { RawLog } from '@cogov/eventstore/testing';
import { tokenOf } from '@cogov/testkit/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPaths } from '../../runtime.ts';
import { caller } from '../../testing/http.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ listen: true });
}, 60_000);
afterAll(async () => server.close());

const call = caller(() => server);
const auditor = tokenOf('auditor', '*');

describe('the log’s hash chain over HTTP', () => {
  it('verifies the whole log, and a range of it, for an auditor of every region', async () => {
    const head = (await server.runtime.store.lastPosition()) as number;
    const whole = await call('GET', '/v1/audit/verify', { token: auditor });
    expect(whole.status).toBe(200);
    expect(whole.json).toMatchObject({
      intact: true,
      from: 0,
      to: head,
      events: head + 1,
      break: null,
      next: null,
    });
    expect(whole.json['headHash']).toBe(server.runtime.log?.chainHead()?.hash);
    const part = await call('GET', `/v1/audit/verify?fromPosition=100&toPosition=199`, { token: auditor });
    expect(part.json).toMatchObject({ intact: true, from: 100, to: 199, events: 100 });
  });

  it('keeps it from readers, clerks and auditors of one region, and names a bad range', async () => {
    expect((await call('GET', '/v1/audit/verify', { token: tokenOf('reader', '*') })).status).toBe(403);
    expect((await call('GET', '/v1/audit/verify', { token: tokenOf('clerk', '*') })).status).toBe(403);
    const scoped = await call('GET', '/v1/audit/verify', { token: tokenOf('auditor', 'lincheng') });
    expect(scoped.status).toBe(403);
    expect(scoped.json['code']).toBe('OUT_OF_SCOPE');
    const past = await call('GET', '/v1/audit/verify?fromPosition=99999999', { token: auditor });
    expect(past.status).toBe(400);
    expect(past.json['errors']).toEqual([expect.objectContaining({ field: 'query.fromPosition' })]);
    const bad = await call('GET', '/v1/audit/verify?fromPosition=-1', { token: auditor });
    expect(bad.status).toBe(400);
  });

  it('signs a checkpoint of the head that proves the log unchanged, and refuses a forged one', async () => {
    const signed = await call('GET', '/v1/audit/checkpoint', { token: auditor });
    expect(signed.status).toBe(200);
    const checkpoint = signed.json;
    expect(checkpoint).toMatchObject({
      type: 'cogov-checkpoint',
      position: await server.runtime.store.lastPosition(),
      keyFingerprint: server.runtime.installationKey.fingerprint,
    });
    const proven = await call('POST', '/v1/audit/checkpoint/verify', { token: auditor, body: checkpoint });
    expect(proven.status).toBe(200);
    expect(proven.json).toMatchObject({ matches: true, report: { intact: true } });

    const forged = await call('POST', '/v1/audit/checkpoint/verify', {
      token: auditor,
      body: { ...checkpoint, hash: '0'.repeat(64) },
    });
    expect(forged.status).toBe(422);
    expect(forged.json).toMatchObject({
      code: 'UNTRUSTED_CHECKPOINT',
      details: { problem: 'bad-signature' },
    });
    const malformed = await call('POST', '/v1/audit/checkpoint/verify', {
      token: auditor,
      body: { ...checkpoint, position: 'x' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json['errors']).toEqual([expect.objectContaining({ field: 'body.position' })]);
  });

  it('reports a record altered on disk: readyz 503 with where, verify with what, a kept checkpoint no longer matches', async () => {
    const kept = (await call('GET', '/v1/audit/checkpoint', { token: auditor })).json;
    const ready = await call('GET', '/readyz');
    expect(ready.json).toMatchObject({
      log: expect.stringMatching(/verified|verifying/) as unknown,
      brokenAt: null,
    });
    let expected = -1;
    await server.restart((dir) => {
      const log = new RawLog(dataPaths({ dataDir: dir }).events);
      const corruption = log.corrupt('rewrite', () => 0.3);
      expected = corruption.position;
      return log.close();
    });
    await server.runtime.integrity?.check();
    const after = await call('GET', '/readyz');
    expect(after.status).toBe(503);
    expect(after.json).toMatchObject({ log: 'broken', brokenAt: expected });
    const verify = await call('GET', '/v1/audit/verify', { token: auditor });
    expect(verify.json).toMatchObject({ intact: false, break: { kind: 'hash', position: expected } });
    const proof = await call('POST', '/v1/audit/checkpoint/verify', { token: auditor, body: kept });
    expect(proof.json).toMatchObject({ matches: false, report: { break: { position: expected } } });
  });
});
