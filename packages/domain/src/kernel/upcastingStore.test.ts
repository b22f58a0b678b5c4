import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from './events.ts';
import type { StreamId } from './ids.ts';
import { InMemoryEventStore } from './inMemoryEventStore.ts';
import { UnknownSchemaVersionError, UpcasterRegistry } from './upcasting.ts';
import { withUpcasting } from './upcastingStore.ts';

const registry = new UpcasterRegistry()
  .register('Counted', 1, (data) => ({ ...(data as object), unit: 'item' }))
  .register('Counted', 2, (data) => {
    const { n, ...rest } = data as { n: number };
    return { ...rest, count: n };
  });
const versionOf = (type: string) => (type === 'Counted' ? 3 : undefined);
const stream = 'counter-a' as StreamId;

const writeLog = async (versions: readonly number[]) => {
  const store = new InMemoryEventStore();
  for (const [i, version] of versions.entries()) {
    const data =
      version === 1 ? { n: i } : version === 2 ? { n: i, unit: 'item' } : { count: i, unit: 'item' };
    await store.appendToStream(stream, [{ type: 'Counted', data, metadata: { schemaVersion: version } }], {
      expectedRevision: 'any',
    });
    await store.appendToStream('other-x' as StreamId, [{ type: 'Foreign', data: { i } }], {
      expectedRevision: 'any',
    });
  }
  return store;
};

const current = (events: readonly RecordedEvent[]) =>
  events.filter((e) => e.type === 'Counted').map((e) => [e.metadata.schemaVersion, e.data]);

describe('withUpcasting', () => {
  it('gives every event of any version in the current shape on every read path, and others as written', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(1, 2, 3), { minLength: 1, maxLength: 12 }),
        async (versions) => {
          const store = withUpcasting(await writeLog(versions), registry, versionOf);
          const expected = versions.map((_, i) => [3, { count: i, unit: 'item' }]);
          expect(current(await store.readStream(stream))).toEqual(expected);
          const all: RecordedEvent[] = [];
          for await (const e of store.readAll()) all.push(e);
          expect(current(all)).toEqual(expected);
          expect(all.filter((e) => e.type === 'Foreign').map((e) => e.metadata.schemaVersion)).toEqual(
            versions.map(() => 1),
          );
          const subscription = store.subscribeAll();
          const seen: RecordedEvent[] = [];
          for await (const m of subscription) {
            if (m.kind === 'caughtUp') break;
            seen.push(m.event);
          }
          await subscription.close();
          expect(current(seen)).toEqual(expected);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('refuses an event written by newer software instead of guessing', async () => {
    const store = withUpcasting(await writeLog([4]), registry, versionOf);
    await expect(store.readStream(stream)).rejects.toBeInstanceOf(UnknownSchemaVersionError);
  });

  it('does not wrap a store twice with the same registry', () => {
    const once = withUpcasting(new InMemoryEventStore(), registry, versionOf);
    expect(withUpcasting(once, registry, versionOf)).toBe(once);
  });
});
