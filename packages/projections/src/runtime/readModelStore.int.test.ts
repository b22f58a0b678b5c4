import { InMemoryEventStore, type StreamId } from '@cogov/domain';
import {
  existsSync,
  mkdtempSync,
  openSync,
  closeSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Projection } from './projection.ts';
import { Projector } from './projector.ts';
import { ReadModelStore } from './readModelStore.ts';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length > 0) rmSync(dirs.pop() as string, { recursive: true, force: true });
});

const counting: Projection<'counts'> = {
  name: 'counting',
  version: 1,
  databases: ['counts'],
  apply(dbs, events) {
    for (const event of events)
      dbs.counts.putSync(event.streamId, ((dbs.counts.get(event.streamId) as number | undefined) ?? 0) + 1);
  },
};

/** A log of 3 000 events and read models built from it, closed; returns their directory. */
const built = async (store: InMemoryEventStore) => {
  for (let i = 0; i < 3_000; i += 100)
    await store.appendToStream(
      `s-${i % 7}` as StreamId,
      Array.from({ length: 100 }, (_, k) => ({ type: 'Tick', data: { k, pad: 'x'.repeat(200) } })),
      {
        expectedRevision: 'any',
      },
    );
  const dir = mkdtempSync(join(tmpdir(), 'cogov-rm-damaged-'));
  dirs.push(dir);
  const rm = ReadModelStore.open({ path: dir });
  const projector = new Projector(store, rm, [counting]);
  await projector.start();
  await projector.waitFor(2_999, 10_000);
  await projector.stop();
  await rm.close();
  return dir;
};

const overwrite = (file: string, offset: number, bytes: Buffer) => {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, offset);
  } finally {
    closeSync(fd);
  }
};
const random = (n: number, seed: number) => {
  let x = seed;
  return Buffer.from(
    Array.from({ length: n }, () => ((x = (x * 1103515245 + 12345) & 0x7fffffff), x & 0xff)),
  );
};

const DAMAGES: readonly [string, (file: string) => void][] = [
  ['its header pages zeroed', (file) => overwrite(file, 0, Buffer.alloc(8192))],
  [
    'garbage in its meta pages after the magic',
    (file) => {
      overwrite(file, 32, random(200, 1));
      overwrite(file, 4096 + 32, random(200, 2));
    },
  ],
  ['every data page overwritten', (file) => overwrite(file, 8192, random(statSync(file).size - 8192, 3))],
  ['truncated to three pages', (file) => truncateSync(file, 3 * 4096)],
];

describe('ReadModelStore on a damaged file', () => {
  for (const [what, damage] of DAMAGES) {
    it(`sets a file with ${what} aside, says why, and the read models are rebuilt from the log`, async () => {
      const store = new InMemoryEventStore();
      const dir = await built(store);
      const file = join(dir, 'read-models.mdb');
      damage(file);
      const rm = ReadModelStore.open({ path: dir });
      expect(rm.recovered?.reason).toMatch(/read-models\.mdb/);
      expect(existsSync(rm.recovered?.movedTo ?? '')).toBe(true);
      const projector = new Projector(store, rm, [counting]);
      await projector.start();
      expect(await projector.waitFor(2_999, 10_000)).toBe(true);
      const counts = projector.databases<'counts'>('counting').counts;
      const streams = [0, 1, 2, 3, 4, 5, 6].map((i) => `s-${i}` as StreamId);
      const expected = await Promise.all(streams.map(async (s) => (await store.readStream(s)).length));
      expect(streams.map((s) => (counts.get(s) as number | undefined) ?? 0)).toEqual(expected);
      await projector.stop();
      await rm.close();
    });
  }

  it('checks a file ahead of opening it (precheck): a damaged one fails, a healthy one is trusted only while unchanged', async () => {
    for (const [what, damage] of DAMAGES) {
      const dir = await built(new InMemoryEventStore());
      damage(join(dir, 'read-models.mdb'));
      expect(await ReadModelStore.precheck(dir), what).toBeNull();
    }
    const dir = await built(new InMemoryEventStore());
    const stamp = await ReadModelStore.precheck(dir);
    expect(stamp).not.toBeNull();
    const trusted = ReadModelStore.open({ path: dir, prechecked: stamp });
    expect(trusted.recovered).toBeNull();
    expect(trusted.checkpoint('counting', 1)).toBe(2_999);
    await trusted.close();
    // Damaged after its check: the stamp no longer matches, so open checks it again.
    const later = await ReadModelStore.precheck(dir);
    overwrite(join(dir, 'read-models.mdb'), 0, Buffer.alloc(8192));
    const rechecked = ReadModelStore.open({ path: dir, prechecked: later });
    expect(rechecked.recovered?.reason).toMatch(/read-models\.mdb/);
    await rechecked.close();
  });

  it('never takes a healthy file with many databases for a damaged one', async () => {
    const store = new InMemoryEventStore();
    const dir = await built(store);
    const many = Array.from({ length: 20 }, (_, i) => ({ ...counting, name: `counting-${i}` }));
    const first = ReadModelStore.open({ path: dir });
    const projector = new Projector(store, first, many);
    await projector.start();
    await projector.waitFor(2_999, 10_000);
    await projector.stop();
    await first.close();
    for (let i = 0; i < 10; i++) {
      const rm = ReadModelStore.open({ path: dir });
      expect(rm.recovered).toBeNull();
      await rm.close();
    }
  });
});

describe('ReadModelStore written without an fsync per batch', () => {
  const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  const stateOf = (dir: string) =>
    JSON.parse(readFileSync(join(dir, 'read-models.state'), 'utf8')) as { bootId: string; clean: boolean };
  const checkpointAfterReopen = (dir: string) => {
    const rm = ReadModelStore.open({ path: dir });
    const result = { recovered: rm.recovered, checkpoint: rm.checkpoint('counting', 1) };
    return { rm, ...result };
  };

  it('marks them open while written and clean once closed, for this boot of the machine', async () => {
    const dir = await built(new InMemoryEventStore());
    expect(stateOf(dir)).toEqual({ bootId: boot, clean: true });
    const rm = ReadModelStore.open({ path: dir });
    expect(stateOf(dir)).toEqual({ bootId: boot, clean: false });
    await rm.close();
    expect(stateOf(dir)).toEqual({ bootId: boot, clean: true });
  });

  it('sets aside read models the machine restarted under before they were closed, and rebuilds them', async () => {
    const store = new InMemoryEventStore();
    const dir = await built(store);
    // As a power cut leaves them: the last process of another boot never closed them.
    writeFileSync(
      join(dir, 'read-models.state'),
      JSON.stringify({ bootId: 'an-earlier-boot', clean: false }),
    );
    const { rm, recovered, checkpoint } = checkpointAfterReopen(dir);
    expect(recovered?.reason).toMatch(/machine restarted/);
    expect(existsSync(recovered?.movedTo ?? '')).toBe(true);
    expect(checkpoint).toBe(-1);
    const projector = new Projector(store, rm, [counting]);
    await projector.start();
    expect(await projector.waitFor(2_999, 10_000)).toBe(true);
    const counts = projector.databases<'counts'>('counting').counts;
    expect([0, 1, 2, 3, 4, 5, 6].reduce((sum, i) => sum + ((counts.get(`s-${i}`) as number) ?? 0), 0)).toBe(
      3_000,
    );
    await projector.stop();
    await rm.close();
  });

  it('keeps read models a process of this boot died with (the kernel holds their pages), or closed before a restart', async () => {
    for (const state of [
      { bootId: boot, clean: false },
      { bootId: 'an-earlier-boot', clean: true },
    ]) {
      const dir = await built(new InMemoryEventStore());
      writeFileSync(join(dir, 'read-models.state'), JSON.stringify(state));
      const { rm, recovered, checkpoint } = checkpointAfterReopen(dir);
      expect(recovered, JSON.stringify(state)).toBeNull();
      expect(checkpoint).toBe(2_999);
      await rm.close();
    }
  });
});

describe('ReadModelStore written from both threads', () => {
  it('rejects a write with the very error its callback threw', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cogov-rm-throw-'));
    dirs.push(dir);
    const rm = ReadModelStore.open({ path: dir });
    const db = rm.root.openDB<number, number>({ name: 'thrown' });
    const thrown = new RangeError('a handler refused this event');
    await expect(
      rm.write(() => {
        db.putSync(1, 1);
        throw thrown;
      }),
    ).rejects.toBe(thrown);
    await rm.close();
  });

  it('nests a child transaction whose error undoes its own writes only, and refuses one outside a write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cogov-rm-nested-'));
    dirs.push(dir);
    const rm = ReadModelStore.open({ path: dir });
    const db = rm.root.openDB<number, number>({ name: 'nested' });
    const thrown = new RangeError('a handler refused this event');
    for (const write of [
      (apply: () => void) => rm.write(apply),
      (apply: () => void) => Promise.resolve(rm.writeNow(apply)),
    ])
      await write(() => {
        rm.nested(() => db.putSync(1, 1));
        expect(() =>
          rm.nested(() => {
            db.putSync(2, 2);
            throw thrown;
          }),
        ).toThrow(thrown);
        rm.nested(() => db.putSync(3, 3));
      });
    expect([...db.getKeys()]).toEqual([1, 3]);
    expect(() => rm.nested(() => db.putSync(4, 4))).toThrow(/inside a write transaction/);
    await rm.close();
  });

  it('commits transactions on the main thread (writeNow) and on the write thread (write) mixed, each whole, none waiting forever', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cogov-rm-mixed-'));
    dirs.push(dir);
    const rm = ReadModelStore.open({ path: dir });
    const db = rm.root.openDB<number, [string, number, number]>({ name: 'mixed' });
    let commits = 0;
    rm.onCommit(() => commits++);
    const rounds = 300;
    const asynchronous = (lane: number) =>
      (async () => {
        for (let k = 0; k < rounds; k++)
          await rm.write(() => {
            for (let i = 0; i < 20; i++) db.putSync([`async-${lane}`, k, i], i);
          });
      })();
    const synchronous = (async () => {
      for (let k = 0; k < rounds; k++) {
        rm.writeNow(() => {
          for (let i = 0; i < 20; i++) db.putSync(['now', k, i], i);
        });
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      Promise.all([asynchronous(1), asynchronous(2), synchronous]).then(() => 'done'),
      new Promise((resolve) => (timer = setTimeout(() => resolve('stuck'), 30_000))),
    ]);
    clearTimeout(timer);
    expect(outcome).toBe('done');
    expect(commits).toBe(3 * rounds);
    for (const lane of ['async-1', 'async-2', 'now'])
      expect([...db.getKeys({ start: [lane], end: [lane, Number.MAX_SAFE_INTEGER] })].length).toBe(
        rounds * 20,
      );
    await rm.close();
  });
});
