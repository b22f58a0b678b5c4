import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenOf } from '@cogov/testkit/http';
import { startTestServer, type TestServer } from '../testing/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ listen: true, config: { requestTimeoutMs: 1_000 } });
}, 60_000);
afterAll(async () => server.close());

const CLERK = `Bearer ${tokenOf('clerk', '*')}`;
const url = (path: string) => `${server.url ?? ''}${path}`;
const position = async () => server.runtime.store.lastPosition();
const ISSUE = (title: string) =>
  `{"committeeId":"dongmen-ppc","title":"${title}","trade":"property","source":"resident","registeredOn":"2022-06-01"}`;

/** Sends raw bytes as a POST body over a real socket, with the given content type. */
const post = (
  path: string,
  body: Buffer | string,
  contentType = 'application/json',
  extra: Record<string, string> = {},
) =>
  fetch(url(path), {
    method: 'POST',
    headers: { authorization: CLERK, 'content-type': contentType, ...extra },
    body,
  });

describe('request bodies', () => {
  it('refuses text holding an unpaired surrogate (a JSON escape), naming the field, writing nothing', async () => {
    const before = await position();
    const response = await post('/v1/issues/surrogate-1/register-issue', ISSUE('楼道\\ud800堆物'));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { field: string }[] }).errors).toEqual([
      { field: 'body.title', message: 'unpaired surrogate (not valid Unicode)' },
    ]);
    expect(await position()).toBe(before);
  });

  it('refuses bytes that are not UTF-8 (an encoded surrogate) instead of storing U+FFFD', async () => {
    const before = await position();
    const [head, tail] = ISSUE('@').split('@') as [string, string];
    const body = Buffer.concat([Buffer.from(head), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(tail)]);
    const response = await post('/v1/issues/surrogate-2/register-issue', body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe('body');
    expect(await position()).toBe(before);
  });

  it('refuses another charset, and a body that is not JSON, with 415', async () => {
    const latin1 = await post(
      '/v1/issues/charset-1/register-issue',
      ISSUE('x'),
      'application/json; charset=latin1',
    );
    const text = await post('/v1/issues/charset-2/register-issue', ISSUE('x'), 'text/plain');
    expect([latin1.status, text.status]).toEqual([415, 415]);
    expect(latin1.headers.get('content-type')).toContain('application/problem+json');
  });

  it('accepts UTF-8 said outright', async () => {
    const response = await post(
      '/v1/issues/charset-3/register-issue',
      ISSUE('楼道堆物'),
      'application/json; charset=UTF-8',
    );
    expect(response.status).toBe(201);
  });
});

describe('X-Request-Id', () => {
  it('becomes the correlation id of what the request records', async () => {
    const response = await post('/v1/issues/rid-1/register-issue', ISSUE('x'), 'application/json', {
      'x-request-id': 'trace-42',
    });
    expect(response.status).toBe(201);
    const [event] = await server.runtime.store.readStream('issue-rid-1' as never);
    expect(event?.metadata.correlationId).toBe('trace-42');
  });

  it('is refused when longer than 128 characters or not printable ASCII (400, nothing written)', async () => {
    const before = await position();
    for (const id of ['x'.repeat(8_000), 'has space', 'tab\there']) {
      const response = await fetch(url('/v1/issues/rid-2/register-issue'), {
        method: 'POST',
        headers: { authorization: CLERK, 'content-type': 'application/json', 'x-request-id': id },
        body: ISSUE('x'),
      });
      expect(response.status, id.slice(0, 20)).toBe(400);
    }
    expect(await position()).toBe(before);
  });
});

describe('time limits', () => {
  it('does not let a half-sent body hold its connection past the request timeout', async () => {
    const { port } = new URL(server.url ?? '');
    const socket = connect(Number(port), '127.0.0.1');
    const started = Date.now();
    const closed = new Promise<string>((resolve) => {
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
      socket.on('close', () => resolve(answer));
    });
    socket.write(
      `POST /v1/issues/slow-1/register-issue HTTP/1.1\r\nHost: x\r\nAuthorization: ${CLERK}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"committeeId":`,
    );
    const answer = await closed;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });
});

describe('records', () => {
  it('show their set-valued fields as arrays and their maps as objects', async () => {
    const awarded = await fetch(url('/v1/members/dongmen-m-1/award-points'), {
      method: 'POST',
      headers: { authorization: CLERK, 'content-type': 'application/json' },
      body: JSON.stringify({
        points: 1,
        cause: { kind: 'study', sourceId: 'input-test-1' },
        awardedOn: '2024-03-01',
      }),
    });
    expect(awarded.status).toBe(200);
    const response = await fetch(url('/v1/members/dongmen-m-1'), { headers: { authorization: CLERK } });
    const { state } = (await response.json()) as { state: Record<string, unknown> };
    expect(Array.isArray(state['causes'])).toBe(true);
    // Each cause as `kind:sourceId`, sorted: the state keeps them by kind, the answer as before.
    expect(state['causes']).toContain('study:input-test-1');
    const causes = state['causes'] as string[];
    expect(causes.every((cause) => /^[a-z-]+:.+/.test(cause))).toBe(true);
    expect(causes).toEqual([...causes].sort((a, b) => a.localeCompare(b)));
    expect(Array.isArray(state['ratedYears'])).toBe(true);
    // Balances by year (a Map in the state) as an object keyed by the year, as before.
    const balances = state['balances'] as Record<string, unknown>;
    expect(Object.keys(balances)).toContain('2024');
    expect(typeof balances['2024']).toBe('number');
  });
});
