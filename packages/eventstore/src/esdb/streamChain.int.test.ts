import type { EventToAppend, StreamId } from '@cogov/domain/kernel';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS, hex } from '../chain.ts';
import { KurrentDbEventStore } from './kurrentDbEventStore.ts';
import { canonicalJson, CHAIN_KEY, streamChainHash, type StreamLink } from './streamChain.ts';
import { StreamIntegrityMonitor } from './streamIntegrityMonitor.ts';
import { startKurrentStandIn, type KurrentStandIn } from './testing/standIn.ts';

/*
 * The hash chain over KurrentDB (ADR 14): each event links to the one before it in its stream, in
 * its metadata; verification walks $all; checkpoints sign the root of every stream's head. Against
 * the stand-in, whose storage a test can rewrite as someone with access to a server's disk could.
 */

let standIn: KurrentStandIn;
let store: KurrentDbEventStore;
beforeEach(async () => {
  standIn = await startKurrentStandIn();
  store = KurrentDbEventStore.connect({ connectionString: standIn.connectionString, log: () => undefined });
});
afterEach(async () => {
  await store.close();
  await standIn.close();
});

const event = (n: number, extra: Record<string, unknown> = {}): EventToAppend => ({
  type: 'Noted',
  data: { n, text: `第${n}条`, nested: { b: 2, a: [1, null, 'x'] }, ...extra },
  metadata: { schemaVersion: 1, actor: 'clerk', correlationId: `c-${n}` },
});
const stream = (name: string) => name as StreamId;

/** Three streams written every way the port allows, some concurrently. */
const writeSome = async () => {
  await store.appendToStream(stream('committee-a'), [event(1), event(2)], { expectedRevision: 'no_stream' });
  await store.appendToStream(stream('committee-a'), [event(3)], { expectedRevision: 1 as never });
  await store.appendToStream(stream('member-b'), [event(4)], { expectedRevision: 'any' });
  await store.appendToStream(stream('member-b'), [event(5)], { expectedRevision: 'stream_exists' });
  // Writers racing on one stream with "any revision": each extends the head it finds, none forks it.
  await Promise.all(
    Array.from({ length: 8 }, (_, k) =>
      store.appendToStream(stream('issue-c'), [event(10 + k)], { expectedRevision: 'any' }),
    ),
  );
  await store.appendToStream(stream('committee-a'), [event(20)], { expectedRevision: 'any' });
};

const positions = async () => {
  const out: { position: number; streamId: string; revision: number }[] = [];
  for await (const e of store.readAll())
    out.push({ position: e.position, streamId: e.streamId, revision: e.revision });
  return out;
};

describe('the hash chain over KurrentDB', () => {
  it('links every event to the one before it in its stream, and the domain never sees the link', async () => {
    await writeSome();
    const report = await store.verify();
    expect(report.break).toBeNull();
    expect(report.events).toBe(14);
    expect(report.unchained).toBe(0);
    expect([...report.heads.entries()].map(([s, h]) => [s, h.revision])).toEqual(
      expect.arrayContaining([
        ['committee-a', 3],
        ['member-b', 1],
        ['issue-c', 7],
      ]),
    );
    // Each link recomputes by hand: the previous hash, then this event's place and content.
    let previous = hex(GENESIS);
    for await (const { event: e, link } of store.readAllChained()) {
      if (e.streamId !== 'issue-c') continue;
      expect(link?.prev).toBe(previous);
      const { [CHAIN_KEY]: _, ...metadata } = e.metadata as unknown as Record<string, unknown>;
      expect(_).toBeUndefined();
      expect(link?.hash).toBe(
        hex(
          streamChainHash(Buffer.from(previous, 'hex'), {
            streamId: e.streamId,
            revision: e.revision,
            eventId: e.eventId,
            type: e.type,
            data: e.data,
            metadata,
          }),
        ),
      );
      previous = (link as StreamLink).hash;
    }
    // What the domain reads is what it appended.
    const [first] = await store.readStream(stream('committee-a'));
    expect(first?.metadata).toEqual({ schemaVersion: 1, actor: 'clerk', correlationId: 'c-1' });
    expect(first?.data).toEqual(event(1).data);
  });

  it('finds a changed event, a removed one, and a stream rewritten from some revision on (by its checkpoint)', async () => {
    await writeSome();
    const log = await positions();
    const checkpoint = await store.chainHead();
    expect(checkpoint?.position).toBe(log[log.length - 1]?.position);
    expect((await store.verify({ against: checkpoint! })).against).toBe(true);

    // 1. One event's data changed in storage.
    const target = log.find((p) => p.streamId === 'issue-c' && p.revision === 3)!;
    let original: unknown;
    standIn.tamper(target.position, {
      data: (d) => {
        original = d;
        return { ...(d as object), text: '改过的' };
      },
    });
    const changed = await store.verify();
    expect(changed.break).toMatchObject({ kind: 'hash', position: target.position, streamId: 'issue-c' });
    // Put back: intact again (the chain is a function of the content).
    standIn.tamper(target.position, { data: () => original });
    expect((await store.verify()).break).toBeNull();

    // 2. A stream rewritten from revision 1 on, every link recomputed: the chain alone is intact
    // again, the checkpoint of the streams' heads is not.
    const rewritten = log.filter((p) => p.streamId === 'committee-a' && p.revision >= 1);
    let previous = '';
    for await (const { event: e, link } of store.readAllChained())
      if (e.streamId === 'committee-a' && e.revision === 0) previous = (link as StreamLink).hash;
    for (const p of rewritten) {
      let metadata: Record<string, unknown> = {};
      let data: Record<string, unknown> = {};
      for await (const { event: e } of store.readAllChained())
        if (e.position === p.position) {
          metadata = e.metadata as unknown as Record<string, unknown>;
          data = { ...(e.data as Record<string, unknown>), text: 'forged' };
        }
      const eventId = (await store.readStream(stream('committee-a')))[p.revision]!.eventId;
      const hash = hex(
        streamChainHash(Buffer.from(previous, 'hex'), {
          streamId: 'committee-a',
          revision: p.revision,
          eventId,
          type: 'Noted',
          data,
          metadata,
        }),
      );
      const link: StreamLink = { prev: previous, hash };
      standIn.tamper(p.position, { data: () => data, metadata: () => ({ ...metadata, [CHAIN_KEY]: link }) });
      previous = hash;
    }
    expect((await store.verify()).break).toBeNull();
    const proved = await store.verify({ against: checkpoint! });
    expect(proved.against).toBe(false);
    expect(proved.break).toMatchObject({ kind: 'hash', streamId: null });

    // 3. An event removed from the middle of a stream.
    const gone = log.find((p) => p.streamId === 'issue-c' && p.revision === 5)!;
    standIn.tamper(gone.position, { remove: true });
    const removed = await store.verify();
    expect(removed.break).toMatchObject({ kind: 'missing', streamId: 'issue-c' });
    expect(removed.break?.detail).toContain('revision 6 of issue-c follows revision 4');
  });

  it('verifies a range on its own, taking the links into it as given', async () => {
    await writeSome();
    const log = await positions();
    const middle = log[6]!.position;
    const report = await store.verify({ from: middle });
    expect(report.break).toBeNull();
    expect(report.from).toBe(middle);
    expect(report.events).toBe(log.length - 6);
  });

  it('chains on after events written before the chain was kept', async () => {
    // An event as an older cogov wrote it: no link in its metadata.
    await store.appendToStream(stream('old-stream'), [event(1)], { expectedRevision: 'no_stream' });
    const [old] = await positions();
    standIn.tamper(old!.position, {
      metadata: (m) => {
        const { [CHAIN_KEY]: _, ...rest } = m as Record<string, unknown>;
        return rest;
      },
    });
    await store.close();
    store = KurrentDbEventStore.connect({ connectionString: standIn.connectionString, log: () => undefined });
    await store.appendToStream(stream('old-stream'), [event(2)], { expectedRevision: 0 as never });
    const report = await store.verify();
    expect(report.break).toBeNull();
    expect(report.unchained).toBe(1);
    expect(report.events).toBe(2);
  });

  it('is watched in the background: new events are checked against the heads already verified', async () => {
    await writeSome();
    const monitor = new StreamIntegrityMonitor(store, { intervalMs: 60_000 });
    try {
      expect((await monitor.check()).state).toBe('verified');
      await store.appendToStream(stream('committee-a'), [event(30)], { expectedRevision: 'any' });
      const status = await monitor.check();
      expect(status.state).toBe('verified');
      const log = await positions();
      expect(status.verifiedTo).toBe(log[log.length - 1]?.position);
      // A new event whose link does not follow its stream's verified head.
      await store.appendToStream(stream('committee-a'), [event(31)], { expectedRevision: 'any' });
      const newest = (await positions()).at(-1)!;
      standIn.tamper(newest.position, {
        metadata: (m) => ({
          ...(m as object),
          [CHAIN_KEY]: {
            ...((m as Record<string, StreamLink>)[CHAIN_KEY] as StreamLink),
            prev: hex(GENESIS),
          },
        }),
      });
      expect((await monitor.check()).state).toBe('broken');
      expect(monitor.status().break).toMatchObject({ position: newest.position, streamId: 'committee-a' });
    } finally {
      await monitor.stop();
    }
  });

  it('hashes the same content the same whatever the order of its keys', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: '中' } })).toBe(
      '{"a":{"c":"中","d":[1,{"x":1,"y":2}]},"b":1}',
    );
    const content = { streamId: 's', revision: 0, eventId: randomUUID(), type: 'T', metadata: {} };
    expect(streamChainHash(GENESIS, { ...content, data: { a: 1, b: 2 } })).toEqual(
      streamChainHash(GENESIS, { ...content, data: { b: 2, a: 1 } }),
    );
    expect(streamChainHash(GENESIS, { ...content, data: { a: 1 } })).not.toEqual(
      streamChainHash(GENESIS, { ...content, revision: 1, data: { a: 1 } }),
    );
  });
});
