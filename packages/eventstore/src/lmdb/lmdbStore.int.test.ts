import {
  isDamagedRecord,
  isDuplicateEventId,
  isWrongExpectedRevision,
  type AppendResult,
  type EventId,
  type EventToAppend,
  type StreamId,
  type StreamRevision,
} from '@cogov/domain/kernel';
import fc from 'fast-check';
import { fork } from 'node:child_process';
import { existsSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { open } from 'lmdb';
import { afterEach, describe, expect, it } from 'vitest';
import { isDataDirectoryError } from '@cogov/storage';
import { damageLogRecord } from '../testing/damage.ts';
import { fillFilesystem, readOnlyDirectory, smallFilesystem, tempDirectory } from '../testing/directories.ts';
import { LmdbEventStore } from './lmdbEventStore.ts';

const stream = (name: string) => `test-${name}` as StreamId;
const event = (n: number): EventToAppend => ({ type: 'Tested', data: { n, text: '会同县 '.repeat(20) } });
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});
const fresh = async (options: { durability?: 'flush' | 'commit' } = {}) => {
  const dir = tempDirectory();
  const store = await LmdbEventStore.open({ path: dir, ...options });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => store.close());
  return { dir, store };
};

describe('LmdbEventStore: group commit', () => {
  it('checks every append of a batch on its own: the failing ones fail alone', async () => {
    const { store } = await fresh();
    await Promise.all(
      [0, 1, 2, 3].map((i) =>
        store.appendToStream(stream(`s${i}`), [event(0)], { expectedRevision: 'no_stream' }),
      ),
    );
    // 40 appends in one event-loop turn: one transaction. Those expecting revision 5 must fail.
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        store.appendToStream(stream(`s${i % 4}`), [event(i)], {
          expectedRevision: i % 2 === 0 ? 'any' : (5 as StreamRevision),
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(20);
    expect(
      results.filter((r) => r.status === 'rejected').every((r) => isWrongExpectedRevision(r.reason)),
    ).toBe(true);
    const positions = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.position] : []));
    expect([...positions].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 4));
    expect(store.stats()).toMatchObject({ events: 24, lastPosition: 23 });
  });

  it('keeps everything acknowledged across a close and reopen, and goes on from there', async () => {
    const { dir, store } = await fresh();
    for (let i = 0; i < 10; i++)
      await store.appendToStream(stream('a'), [event(i), event(i)], { expectedRevision: 'any' });
    await store.close();
    const reopened = await LmdbEventStore.open({ path: dir });
    cleanups.push(() => reopened.close());
    expect((await reopened.readStream(stream('a'))).map((e) => e.revision)).toEqual([...Array(20).keys()]);
    const next = await reopened.appendToStream(stream('b'), [event(99)], { expectedRevision: 'no_stream' });
    expect(next.position).toBe(20);
    const last = (await reopened.readStream(stream('a')))[19]!;
    expect((await reopened.readStream(stream('b')))[0]!.recordedAt.getTime()).toBeGreaterThanOrEqual(
      last.recordedAt.getTime(),
    );
  });

  it('answers appends queued before close', async () => {
    const { store } = await fresh();
    const pending = Array.from({ length: 10 }, (_, i) =>
      store.appendToStream(stream('c'), [event(i)], { expectedRevision: 'any' }),
    );
    await store.close();
    expect((await Promise.allSettled(pending)).every((r) => r.status === 'fulfilled')).toBe(true);
  });

  it('can acknowledge at commit instead of flush (the documented speed trade-off)', async () => {
    const { store } = await fresh({ durability: 'commit' });
    const result = await store.appendToStream(stream('d'), [event(1)], { expectedRevision: 'no_stream' });
    expect(result.nextExpectedRevision).toBe(0);
    expect(await store.readStream(stream('d'))).toHaveLength(1);
  });
});

describe('LmdbEventStore: stream heads it remembers', () => {
  // The store answers a read from after a stream's head without reading, from the heads it knows:
  // those its appends committed, and those its reads found by reading a stream to its end (after a
  // reopen, all of them come from reads). A head remembered too low would hide events from a
  // command handler following the stream, and let an append reuse a revision.
  it('answers reads from any revision, and appends after them, exactly as the log says, after a reopen (property)', async () => {
    const truth = async (store: LmdbEventStore, s: StreamId) =>
      // A bounded read: never answered from, nor teaching, the remembered heads.
      (await store.readStream(s, { toRevision: Number.MAX_SAFE_INTEGER as StreamRevision })).map(
        (e) => `${e.revision}:${String((e.data as { n: number }).n)}`,
      );
    const step = fc.oneof(
      fc.record({ kind: fc.constant('read' as const), s: fc.nat({ max: 2 }), from: fc.nat({ max: 12 }) }),
      fc.record({
        kind: fc.constant('append' as const),
        s: fc.nat({ max: 2 }),
        size: fc.integer({ min: 1, max: 3 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: 2 }), fc.integer({ min: 1, max: 4 })), { maxLength: 8 }),
        fc.array(step, { minLength: 1, maxLength: 25 }),
        async (written, steps) => {
          const dir = tempDirectory();
          try {
            let n = 0;
            const first = await LmdbEventStore.open({ path: dir, durability: 'commit' });
            for (const [s, size] of written)
              await first.appendToStream(
                stream(`h${s}`),
                Array.from({ length: size }, () => event(n++)),
                { expectedRevision: 'any' },
              );
            await first.close();
            const store = await LmdbEventStore.open({ path: dir, durability: 'commit' });
            try {
              for (const op of steps) {
                const s = stream(`h${op.s}`);
                const all = await truth(store, s);
                if (op.kind === 'read') {
                  const read = await store.readStream(s, { fromRevision: op.from as StreamRevision });
                  expect(read.map((e) => `${e.revision}:${String((e.data as { n: number }).n)}`)).toEqual(
                    all.slice(op.from),
                  );
                } else {
                  // Expecting the head the log has: refused or doubled if the store's head were wrong.
                  const result = await store.appendToStream(
                    s,
                    Array.from({ length: op.size }, () => event(n++)),
                    {
                      expectedRevision: (all.length - 1 < 0 ? 'no_stream' : all.length - 1) as StreamRevision,
                    },
                  );
                  expect(result.nextExpectedRevision).toBe(all.length - 1 + op.size);
                }
              }
              for (const s of [0, 1, 2]) {
                const revisions = (await truth(store, stream(`h${s}`))).map((r) => Number(r.split(':')[0]));
                expect(revisions).toEqual([...revisions.keys()]);
              }
            } finally {
              await store.close();
            }
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('LmdbEventStore: event ids callers choose', () => {
  // A retried append carries the ids of its first try; the store must find them however long the
  // stream, without reading the stream for every append (it did: 17 ms an append at 10 000 events).
  it('recognises every id the stream holds, minted or chosen, and reads the stream only to check one it may hold (property)', async () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('minted' as const), size: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant('chosen' as const), size: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant('retry' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('resend-minted' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('mixed' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('reopen' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), async (steps) => {
        const dir = tempDirectory();
        const s = stream('ids');
        let store = await LmdbEventStore.open({ path: dir, durability: 'commit' });
        try {
          /** The model: the stream's ids in order, and each append's ids and answer. */
          const ids: string[] = [];
          const chosen: { ids: EventId[]; events: EventToAppend[]; result: AppendResult }[] = [];
          const minted: { id: EventId; revision: number; position: number }[] = [];
          let n = 0;
          /** Whether this store has read the stream's ids since it opened. */
          let known = false;
          for (const op of steps) {
            const scans = store.eventIdScans;
            if (op.kind === 'reopen') {
              await store.close();
              store = await LmdbEventStore.open({ path: dir, durability: 'commit' });
              known = false;
            } else if (op.kind === 'minted') {
              const result = await store.appendToStream(
                s,
                Array.from({ length: op.size }, () => event(n++)),
                { expectedRevision: 'any' },
              );
              result.eventIds.forEach((id, k) => {
                const before = op.size - 1 - k;
                minted.push({
                  id,
                  revision: result.nextExpectedRevision - before,
                  position: result.position - before,
                });
              });
              ids.push(...result.eventIds);
              expect(store.eventIdScans).toBe(scans);
            } else if (op.kind === 'chosen') {
              const batch = Array.from({ length: op.size }, () => {
                const k = n++;
                return { ...event(k), eventId: `chosen-${k}` as EventId };
              });
              const result = await store.appendToStream(s, batch, { expectedRevision: 'any' });
              expect(result.nextExpectedRevision).toBe(ids.length + op.size - 1);
              chosen.push({ ids: batch.map((e) => e.eventId), events: batch, result });
              ids.push(...batch.map((e) => e.eventId));
              // A new id: the stream is read once after an open, to learn its ids, and not again.
              expect(store.eventIdScans).toBe(scans + (known ? 0 : 1));
              known = true;
            } else if (op.kind === 'retry') {
              const first = chosen[op.pick % Math.max(1, chosen.length)];
              if (first === undefined) continue;
              const again = await store.appendToStream(s, first.events, { expectedRevision: 'any' });
              expect(again).toEqual(first.result);
              expect(store.eventIdScans).toBe(scans + (known ? 1 : 2));
              known = true;
            } else if (op.kind === 'mixed') {
              // A recorded id sent with a new one: neither a repeat nor new.
              const old = ids[op.pick % Math.max(1, ids.length)];
              if (old === undefined) continue;
              const mixed = store.appendToStream(
                s,
                [
                  { ...event(n++), eventId: old as EventId },
                  { ...event(n++), eventId: `chosen-${n}` as EventId },
                ],
                { expectedRevision: 'any' },
              );
              await expect(mixed).rejects.toSatisfy(isDuplicateEventId);
              expect(store.eventIdScans).toBe(scans + (known ? 1 : 2));
              known = true;
            } else {
              const first = minted[op.pick % Math.max(1, minted.length)];
              if (first === undefined) continue;
              const resent = store.appendToStream(s, [{ ...event(n++), eventId: first.id }], {
                expectedRevision: 'any',
              });
              // A run of recorded ids is a repeat of those events, answered with where they are.
              expect(await resent).toEqual({
                nextExpectedRevision: first.revision,
                position: first.position,
                eventIds: [first.id],
              });
              expect(store.eventIdScans).toBe(scans + (known ? 1 : 2));
              known = true;
            }
          }
          const recorded = await store.readStream(s);
          expect(recorded.map((e) => e.eventId)).toEqual(ids);
        } finally {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe('LmdbEventStore: data directories it refuses, writing nothing', () => {
  it('refuses a directory held by another process, naming the path and the process', async () => {
    const dir = tempDirectory();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const child = fork(join(import.meta.dirname, '../testing/holdStore.ts'), [dir], {
      execArgv: ['--conditions=source', '--import', 'tsx'],
    });
    cleanups.push(() => void child.kill('SIGKILL'));
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`holder exited ${code}`)));
    });
    const error: unknown = await LmdbEventStore.open({ path: dir }).catch((e: unknown) => e);
    expect(isDataDirectoryError(error) && error.problem).toBe('locked');
    expect(String(error)).toContain(dir);
    expect(String(error)).toContain(String(child.pid));
    // When the holder dies without cleaning up, its stale lock is taken over.
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const store = await LmdbEventStore.open({ path: dir });
    await store.close();
  });

  it('refuses a directory on a full volume, saying so, and holds nothing of it (no descriptor, no lock file left)', async () => {
    const fs = smallFilesystem(24);
    let released = false;
    try {
      await (await LmdbEventStore.open({ path: fs.path })).close();
      const ballast = fillFilesystem(fs.path);
      const error: unknown = await LmdbEventStore.open({ path: fs.path }).catch((e: unknown) => e);
      expect(isDataDirectoryError(error) && error.problem).toBe('unusable');
      expect(String(error)).toMatch(/no space left \(its volume is full\)/);
      expect(existsSync(join(fs.path, 'LOCK'))).toBe(false);
      rmSync(ballast);
      const store = await LmdbEventStore.open({ path: fs.path });
      await store.close();
      // Nothing holds the volume: a descriptor left open would keep it busy.
      fs.release();
      released = true;
    } finally {
      if (!released) fs.release();
    }
  });

  it('refuses a directory already open in this process (a second writer), and opens it once closed', async () => {
    const dir = tempDirectory();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const first = await LmdbEventStore.open({ path: dir });
    await first.appendToStream('held' as StreamId, [{ type: 'Once', data: {} }], {
      expectedRevision: 'no_stream',
    });
    // The same directory by another spelling of its path, and through a link.
    const link = `${dir}-link`;
    symlinkSync(dir, link);
    cleanups.push(() => rmSync(link, { force: true }));
    const linked: unknown = await LmdbEventStore.open({ path: link }).catch((e: unknown) => e);
    expect(isDataDirectoryError(linked) && linked.problem).toBe('locked');
    const error: unknown = await LmdbEventStore.open({ path: join(dir, '.', '') }).catch((e: unknown) => e);
    expect(isDataDirectoryError(error) && error.problem).toBe('locked');
    expect(String(error)).toContain('already open in this process');
    // The refused open took nothing from the first: it appends on, and its lock holds.
    await first.appendToStream('held' as StreamId, [{ type: 'Twice', data: {} }], {
      expectedRevision: 'stream_exists',
    });
    await first.close();
    const again = await LmdbEventStore.open({ path: dir });
    expect((await again.readStream('held' as StreamId)).map((e) => e.type)).toEqual(['Once', 'Twice']);
    await again.close();
  });

  it('takes over a lock whose pid now belongs to another process (a restart gave the pid away)', async () => {
    const dir = tempDirectory();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    // Process 1 is alive, but it is not the process that wrote this lock: its start time differs.
    writeFileSync(join(dir, 'LOCK'), `${JSON.stringify({ pid: 1, start: '1', boot: null, host: 'x' })}\n`);
    const store = await LmdbEventStore.open({ path: dir });
    await store.close();
  });

  it('says a lock of an older format may be stale, and how to check, when its pid is alive', async () => {
    const dir = tempDirectory();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'LOCK'), '1\n');
    const error: unknown = await LmdbEventStore.open({ path: dir }).catch((e: unknown) => e);
    expect(isDataDirectoryError(error) && error.problem).toBe('locked');
    expect(String(error)).toMatch(/lock is stale: remove .*LOCK/);
    expect(String(error)).toContain('ps -o pid,lstart,args -p 1');
  });

  it('refuses a read-only directory', async () => {
    const readOnly = readOnlyDirectory();
    cleanups.push(() => readOnly.release());
    const error: unknown = await LmdbEventStore.open({ path: join(readOnly.path) }).catch((e: unknown) => e);
    expect(isDataDirectoryError(error) && error.problem).toBe('read-only');
    expect(String(error)).toContain(readOnly.path);
  });

  it('refuses a directory it would create on a read-only parent, naming the real cause', async () => {
    // Node's recursive mkdir says ENOENT ("no such file or directory") for a read-only parent:
    // an operator would look for a missing path. The error gives the parent's own refusal.
    const readOnly = readOnlyDirectory();
    cleanups.push(() => readOnly.release());
    const path = join(readOnly.path, 'data', 'events');
    const error: unknown = await LmdbEventStore.open({ path }).catch((e: unknown) => e);
    expect(isDataDirectoryError(error) && error.problem).toBe('read-only');
    expect(String(error)).toContain(path);
    expect(String(error)).toMatch(/EROFS|EACCES/);
    expect(String(error)).not.toContain('ENOENT');
  });

  it('refuses a corrupt log file, and leaves it as it was', async () => {
    const dir = tempDirectory();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const garbage = Buffer.alloc(64 * 1024, 0x5a);
    writeFileSync(join(dir, 'log.mdb'), garbage);
    const error: unknown = await LmdbEventStore.open({ path: dir }).catch((e: unknown) => e);
    expect(isDataDirectoryError(error) && error.problem).toBe('corrupt');
    expect(String(error)).toContain(dir);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(dir, 'log.mdb')).equals(garbage)).toBe(true);
  });

  it('refuses a log whose header is intact but whose pages are garbage (lmdb-js would crash on it)', async () => {
    const dir = tempDirectory();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const store = await LmdbEventStore.open({ path: dir });
    for (let i = 0; i < 50; i++)
      await store.appendToStream(stream('f'), [event(i)], { expectedRevision: 'any' });
    await store.close();
    const { openSync, writeSync, closeSync, statSync } = await import('node:fs');
    const file = join(dir, 'log.mdb');
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(statSync(file).size - 8192, 0xff), 0, statSync(file).size - 8192, 8192);
    closeSync(fd);
    const error: unknown = await LmdbEventStore.open({ path: dir }).catch((e: unknown) => e);
    expect(isDataDirectoryError(error) && error.problem).toBe('corrupt');
    expect(String(error)).toContain('restore it from a backup');
  });

  it('checks the log ahead of opening it (precheck): a damaged one fails, a healthy one is trusted only while unchanged', async () => {
    const { openSync, writeSync, closeSync, statSync } = await import('node:fs');
    const dir = tempDirectory();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    expect(await LmdbEventStore.precheck(dir), 'no log yet').toBeNull();
    const store = await LmdbEventStore.open({ path: dir });
    for (let i = 0; i < 50; i++)
      await store.appendToStream(stream('p'), [event(i)], { expectedRevision: 'any' });
    await store.close();
    const file = join(dir, 'log.mdb');
    const stamp = await LmdbEventStore.precheck(dir);
    expect(stamp).toMatchObject({ size: statSync(file).size });
    const trusted = await LmdbEventStore.open({ path: dir, prechecked: stamp });
    expect(await trusted.lastPosition()).toBe(49);
    await trusted.close();
    // Damaged after its check: the stamp no longer matches the file, so open checks it again
    // (and refuses it) rather than handing lmdb-js pages that may crash the process.
    const later = await LmdbEventStore.precheck(dir);
    expect(later).not.toBeNull();
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(statSync(file).size - 8192, 0xff), 0, statSync(file).size - 8192, 8192);
    closeSync(fd);
    const error: unknown = await LmdbEventStore.open({ path: dir, prechecked: later }).catch(
      (e: unknown) => e,
    );
    expect(isDataDirectoryError(error) && error.problem).toBe('corrupt');
    expect(String(error)).toContain('restore it from a backup');
    // And a check of the damaged file fails: its result is null, never a stamp.
    expect(await LmdbEventStore.precheck(dir)).toBeNull();
  });

  it('refuses a log written by a newer format, and does not touch it', async () => {
    const dir = tempDirectory();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const store = await LmdbEventStore.open({ path: dir });
    await store.appendToStream(stream('e'), [event(1)], { expectedRevision: 'no_stream' });
    await store.close();
    const raw = open({ path: join(dir, 'log.mdb'), maxDbs: 8 });
    raw.openDB<number, string>({ name: 'meta' }).putSync('format', 99);
    await raw.close();
    const error: unknown = await LmdbEventStore.open({ path: dir }).catch((e: unknown) => e);
    expect(isDataDirectoryError(error) && error.problem).toBe('newer-format');
    expect(String(error)).toContain(dir);
    const check = open({ path: join(dir, 'log.mdb'), maxDbs: 8 });
    expect(check.openDB<number, string>({ name: 'meta' }).get('format')).toBe(99);
    expect(check.openDB({ name: 'records', encoding: 'binary' }).getKeysCount()).toBe(1);
    await check.close();
  });
});

describe('LmdbEventStore: a damaged log record', () => {
  const damagedStore = async () => {
    const dir = tempDirectory();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const before = await LmdbEventStore.open({ path: dir });
    await before.appendToStream(stream('a'), [event(0)], { expectedRevision: 'no_stream' });
    const hit = await before.appendToStream(stream('b'), [event(1), event(2)], {
      expectedRevision: 'no_stream',
    });
    await before.appendToStream(stream('a'), [event(3)], { expectedRevision: 0 as StreamRevision });
    await before.close();
    await damageLogRecord(dir, hit.position - 1);
    const store = await LmdbEventStore.open({ path: dir });
    cleanups.push(() => store.close());
    return { store, position: hit.position - 1 };
  };

  it('refuses to read it, naming its position and stream, and serves the streams around it', async () => {
    const { store, position } = await damagedStore();
    const error: unknown = await store.readStream(stream('b')).catch((e: unknown) => e);
    expect(isDamagedRecord(error)).toBe(true);
    expect(isDamagedRecord(error) && [error.position, error.streamId]).toEqual([position, stream('b')]);
    expect((await store.readStream(stream('a'))).map((e) => e.revision)).toEqual([0, 1]);
  });

  it('stops a scan of the log at it, naming it', async () => {
    const { store, position } = await damagedStore();
    const seen: number[] = [];
    const error = await (async () => {
      for await (const e of store.readAll()) seen.push(e.position);
    })().catch((e: unknown) => e);
    expect(isDamagedRecord(error) && error.position).toBe(position);
    expect(seen).toEqual([0]);
  });
});

describe('LmdbEventStore: a log of format 1', () => {
  it('is rewritten in format 2 on open: same events, same positions and times, a chain that verifies', async () => {
    const dir = tempDirectory();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    // Format 1 as cogov 0.x wrote it: lmdb-js's own encoding, one record per append, no chain.
    const raw = open({ path: join(dir, 'log.mdb'), maxDbs: 8 });
    const log = raw.openDB<unknown, number>({ name: 'log' });
    const streams = raw.openDB<[number, number], [string, number]>({ name: 'streams' });
    const appends = [
      { s: stream('a'), r: 0, n: 2 },
      { s: stream('b'), r: 0, n: 1 },
      { s: stream('a'), r: 2, n: 3 },
    ];
    let position = 0;
    for (const [k, a] of appends.entries()) {
      log.putSync(position, {
        s: a.s,
        r: a.r,
        a: 1_650_000_000_000 + k * 1000,
        e: Array.from({ length: a.n }, (_, j) => ({
          t: 'Tested',
          d: { n: position + j, text: '会同县' },
          i: `00000000-0000-4000-8000-00000000000${position + j}`,
          m: { schemaVersion: 1, actor: 'clerk' },
        })),
      });
      streams.putSync([a.s, a.r], [position, a.n]);
      position += a.n;
    }
    raw.openDB<number, string>({ name: 'meta' }).putSync('format', 1);
    await raw.close();

    const store = await LmdbEventStore.open({ path: dir });
    cleanups.push(() => store.close());
    const all = [];
    for await (const e of store.readAll()) all.push(e);
    expect(all.map((e) => [e.streamId, e.revision, e.position, (e.data as { n: number }).n])).toEqual([
      [stream('a'), 0, 0, 0],
      [stream('a'), 1, 1, 1],
      [stream('b'), 0, 2, 2],
      [stream('a'), 2, 3, 3],
      [stream('a'), 3, 4, 4],
      [stream('a'), 4, 5, 5],
    ]);
    expect(all[3]?.recordedAt.getTime()).toBe(1_650_000_002_000);
    expect(all[0]?.metadata).toMatchObject({ actor: 'clerk' });
    expect(
      (await store.readStream(stream('a'), { fromRevision: 3 as StreamRevision })).map((e) => e.position),
    ).toEqual([4, 5]);
    expect(store.verify()).toMatchObject({ events: 6, break: null });
    const next = await store.appendToStream(stream('b'), [event(9)], {
      expectedRevision: 0 as StreamRevision,
    });
    expect(next.position).toBe(6);
    expect(store.verify()).toMatchObject({
      events: 7,
      records: 4,
      break: null,
      headHash: store.chainHead()?.hash,
    });
  });
});
