import { isDuplicateEventId, isStoreUnavailable, type EventId, type StreamId } from '@cogov/domain/kernel';
import { KurrentDbEventStore } from '@cogov/eventstore/esdb';
import { startKurrentStandIn } from '@cogov/eventstore/esdb/testing';
import { readOnlyDirectory, smallFilesystem } from '@cogov/eventstore/testing';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { tokenOf } from '@cogov/testkit/http';
import { cogovMain } from '../scripts.ts';
import { startWorldServer } from '../world.ts';
import { count, run, type Verdict } from './lib.ts';

const since = (started: number) => (performance.now() - started) / 1000;
const cogov = (args: readonly string[], env: Record<string, string>) => {
  const main = cogovMain();
  return run(process.execPath, [...main.execArgv, main.path, ...args], { env, timeoutMs: 60_000 });
};

/**
 * R7a: the data volume fills up under a running server. Writes are refused with a 503
 * problem+json, nothing is half-written (positions stay gap-free), reads go on being served, and
 * once space is freed writes are taken again and the read models catch up, with no restart.
 */
const diskFull = async (): Promise<Verdict> => {
  const started = performance.now();
  const name = 'the data volume full under a running server';
  let fs: { path: string; release(): void };
  try {
    fs = smallFilesystem(64);
  } catch (error) {
    return {
      id: 'R7a',
      name,
      outcome: 'skipped',
      figures: `needs root to mount a small tmpfs (${String(error)})`,
      seconds: 0,
    };
  }
  const problems: string[] = [];
  let accepted = 0;
  let refused = 0;
  let figures = '';
  try {
    const server = await startWorldServer({ listen: true, config: { dataDir: fs.path } });
    try {
      const clerk = tokenOf('clerk', '*');
      const post = (n: number) =>
        fetch(`${server.url}/v1/issues/full-${n}/register-issue`, {
          method: 'POST',
          headers: { authorization: `Bearer ${clerk}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            committeeId: 'dongmen-ppc',
            title: `楼道堆物 ${'满'.repeat(80)}`,
            trade: 'property',
            source: 'resident',
            registeredOn: '2022-06-01',
          }),
        });
      // Leave about a megabyte: the ballast takes the rest of the volume.
      const { bavail, bsize } = statfsSync(fs.path);
      const ballast = join(dirname(fs.path), 'ballast');
      writeFileSync(ballast, Buffer.alloc(Math.max(0, Number(bavail) * Number(bsize) - 1024 * 1024)));
      let status = 0;
      let body = '';
      for (let n = 0; n < 20_000; n++) {
        const response = await post(n);
        body = await response.text();
        status = response.status;
        if (status === 201) accepted++;
        else break;
      }
      if (status !== 503) problems.push(`a write on a full volume answered ${status}: ${body.slice(0, 200)}`);
      else {
        refused++;
        const problem = JSON.parse(body) as { type?: string };
        if (!String(problem.type).startsWith('urn:cogov:problem:'))
          problems.push(`the 503 is not a problem: ${body.slice(0, 200)}`);
      }
      // Nothing half-written: the log reads back gap-free, and holds exactly the accepted writes.
      let position = -1;
      let issues = 0;
      for await (const event of server.runtime.store.readAll()) {
        if (event.position !== position + 1) problems.push(`gap before position ${event.position}`);
        position = event.position;
        if (event.type === 'IssueRegistered' && String(event.streamId).includes('full-')) issues++;
      }
      if (issues !== accepted) problems.push(`${accepted} writes accepted, ${issues} in the log`);
      const read = await fetch(
        `${server.url}/v1/statistics/issues.resolved?scope=r:huitong&from=2022-01-01&to=2022-12-31`,
        { headers: { authorization: `Bearer ${tokenOf('reader', '*')}` } },
      );
      if (read.status !== 200) problems.push(`a read on a full volume answered ${read.status}`);
      // Space comes back: writes are taken again and the read models reflect them.
      rmSync(ballast);
      const again = await post(1_000_000);
      const againBody = (await again.json()) as { position?: number };
      if (again.status !== 201) problems.push(`after freeing space a write answered ${again.status}`);
      else if (!(await server.runtime.readModels.waitFor(againBody.position ?? 0, 30_000)))
        problems.push('the read models did not catch up after space was freed');
      figures = `${count(accepted)} writes accepted until the volume filled, then ${refused === 1 ? '503 problem+json' : 'no 503'}; log gap-free with exactly those writes; reads served while full; after freeing space a write is taken${problems.length === 0 ? ' and projected' : ''}`;
    } finally {
      await server.close();
    }
  } finally {
    fs.release();
  }
  return {
    id: 'R7a',
    name,
    outcome: problems.length === 0 ? 'passed' : 'failed',
    figures,
    ...(problems.length === 0 ? {} : { details: problems }),
    seconds: since(started),
  };
};

/** R7b: `cogov serve` on a read-only data directory stops at once (exit 3), naming it, and writes nothing. */
const readOnly = async (): Promise<Verdict> => {
  const started = performance.now();
  const dir = readOnlyDirectory();
  try {
    const result = await cogov(['serve', '--port', '0'], { COGOV_DATA_DIR: dir.path });
    const problems: string[] = [];
    if (result.code !== 3)
      problems.push(`exit code ${String(result.code)} (${String(result.signal)}), not 3`);
    if (!result.output.includes(dir.path)) problems.push('the message does not name the directory');
    if (readdirSync(dir.path).length > 0) problems.push('files were written');
    return {
      id: 'R7b',
      name: 'the data directory read-only',
      outcome: problems.length === 0 ? 'passed' : 'failed',
      figures: `exit ${String(result.code)}, message: ${JSON.stringify(result.output.trim().split('\n').at(-1) ?? '')}`,
      ...(problems.length === 0 ? {} : { details: [...problems, result.output.slice(-600)] }),
      seconds: since(started),
    };
  } finally {
    dir.release();
  }
};

/** R7c: a corrupt configuration file stops `cogov serve` (exit 2) with its name, before any data is touched. */
const corruptConfig = async (scratch: string): Promise<Verdict> => {
  const started = performance.now();
  const file = join(scratch, 'corrupt-config.json');
  const data = join(scratch, 'untouched');
  mkdirSync(data, { recursive: true });
  writeFileSync(file, '{ "port": 8080, "tokens": [ { "name": "ops", ');
  const result = await cogov(['serve'], { COGOV_CONFIG: file, COGOV_DATA_DIR: data });
  const problems: string[] = [];
  if (result.code !== 2) problems.push(`exit code ${String(result.code)}, not 2`);
  if (!result.output.includes(file)) problems.push('the message does not name the file');
  if (readdirSync(data).length > 0) problems.push('the data directory was touched');
  return {
    id: 'R7c',
    name: 'a corrupt configuration file',
    outcome: problems.length === 0 ? 'passed' : 'failed',
    figures: `exit ${String(result.code)}, message: ${JSON.stringify(result.output.trim().split('\n').at(-1) ?? '')}`,
    ...(problems.length === 0 ? {} : { details: [...problems, result.output.slice(-600)] }),
    seconds: since(started),
  };
};

/**
 * R7d: the KurrentDB connection dropped mid-subscription, against EVENTSTORE_CONNECTION_STRING's
 * server, or else the KurrentDB protocol stand-in. The client goes through a TCP proxy of ours
 * that cuts every connection while events are being appended; the subscription must resume by
 * itself and deliver every acknowledged event once, in order. Needs a single-node connection
 * string (no discovery: gossip would bypass the proxy).
 */
const kurrentDrop = async (): Promise<Verdict> => {
  const given = process.env['EVENTSTORE_CONNECTION_STRING'];
  if (given !== undefined && given !== '') return kurrentDropOn(given, 'a KurrentDB server');
  const standIn = await startKurrentStandIn();
  try {
    return await kurrentDropOn(standIn.connectionString, 'the KurrentDB protocol stand-in');
  } finally {
    await standIn.close();
  }
};

const kurrentDropOn = async (connectionString: string, server: string): Promise<Verdict> => {
  const started = performance.now();
  const name = `the KurrentDB connection dropped mid-subscription (${server})`;
  const target = /^([a-z+]+:\/\/)([^/?,]+)(.*)$/.exec(connectionString);
  if (target === null || target[1]!.includes('discover'))
    return {
      id: 'R7d',
      name,
      outcome: 'failed',
      figures: 'needs a single-node kurrentdb:// or esdb:// connection string',
      seconds: 0,
    };
  const [host, port] = target[2]!.split(':') as [string, string | undefined];
  const sockets = new Set<Socket>();
  const proxy = createServer((client) => {
    const upstream = createConnection({ host, port: Number(port ?? 2113) });
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = () => (
      client.destroy(),
      upstream.destroy(),
      sockets.delete(client),
      sockets.delete(upstream)
    );
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address() as { port: number };
  const logs: string[] = [];
  const store = KurrentDbEventStore.connect({
    connectionString: `${target[1]}127.0.0.1:${address.port}${target[3]}`,
    log: (m) => logs.push(m),
  });
  const stream = `r7d-${randomUUID()}` as StreamId;
  const problems: string[] = [];
  const appended: string[] = [];
  let drops = 0;
  try {
    const from = await store.lastPosition();
    const delivered: string[] = [];
    const controller = new AbortController();
    const subscription = store.subscribeAll({
      ...(from === null ? {} : { fromPosition: from }),
      signal: controller.signal,
    });
    const consuming = (async () => {
      for await (const message of subscription)
        if (message.kind === 'event' && message.event.streamId === stream)
          delivered.push(String(message.event.eventId));
    })();
    for (let i = 0; i < 300; i++) {
      if (i % 100 === 50) {
        for (const s of sockets) s.destroy();
        drops++;
      }
      // A retry after a lost acknowledgement carries the same event id: appends are idempotent on it.
      const eventId = randomUUID() as EventId;
      for (let attempt = 0; ; attempt++) {
        try {
          await store.appendToStream(stream, [{ type: 'R7dAppended', data: { i }, eventId }], {
            expectedRevision: 'any',
          });
          appended.push(eventId);
          break;
        } catch (error) {
          if (isDuplicateEventId(error)) {
            appended.push(eventId);
            break;
          }
          if (!isStoreUnavailable(error) || attempt > 50) throw error;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    }
    const deadline = Date.now() + 60_000;
    while (delivered.length < appended.length && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    await subscription.close();
    await consuming.catch(() => undefined);
    if (new Set(delivered).size !== delivered.length) problems.push('an event was delivered twice');
    if (delivered.join() !== appended.join())
      problems.push(`${appended.length} appended, ${delivered.length} delivered (or out of order)`);
    return {
      id: 'R7d',
      name,
      outcome: problems.length === 0 ? 'passed' : 'failed',
      figures: `${drops} drops while appending ${appended.length} events; ${delivered.length} delivered once each, in order; ${logs.length} reconnections logged`,
      ...(problems.length === 0 ? {} : { details: [...problems, ...logs.slice(0, 5)] }),
      seconds: since(started),
    };
  } finally {
    await store.close();
    for (const s of sockets) s.destroy();
    proxy.close();
  }
};

/** R7: faults of the volume, the configuration and the cluster connection. */
export const faultChecks = async (scratch: string): Promise<Verdict[]> => [
  await diskFull(),
  await readOnly(),
  await corruptConfig(scratch),
  await kurrentDrop(),
];
