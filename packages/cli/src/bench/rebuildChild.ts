// A rebuild in a process of its own, so that its memory is its own: opens a log, projects it into
// fresh read models (statistics, membership, lookups) and reports time and memory as one JSON line.
import { LmdbEventStore } from '@cogov/eventstore/lmdb';
import { openReadModels } from '@cogov/projections';
import { readFileSync } from 'node:fs';

/**
 * Resident memory in bytes: all of it, and the anonymous part (heap and native allocations,
 * without the database files' pages the kernel maps in and may drop at will). Linux only; the
 * anonymous part falls back to the total elsewhere.
 */
const memory = (): { readonly rss: number; readonly anon: number } => {
  const rss = process.memoryUsage().rss;
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = /RssAnon:\s+(\d+) kB/.exec(status)?.[1];
    return { rss, anon: kb === undefined ? rss : Number(kb) * 1024 };
  } catch {
    return { rss, anon: rss };
  }
};

const [storePath, readModelsPath] = process.argv.slice(2);
if (storePath === undefined || readModelsPath === undefined)
  throw new Error('usage: rebuildChild.ts STORE READ_MODELS');

const store = await LmdbEventStore.open({ path: storePath });
const last = (await store.lastPosition()) ?? -1;
const readModels = openReadModels({ path: readModelsPath, store });
const samples: {
  readonly at: number;
  readonly rss: number;
  readonly anon: number;
  readonly position: number;
}[] = [];
const started = performance.now();
const sampler = setInterval(() => {
  samples.push({
    at: Math.round(performance.now() - started),
    ...memory(),
    position: readModels.projector.minimumPosition(),
  });
}, 250);
await readModels.start();
const caughtUp = await readModels.waitFor(last, 24 * 3_600_000);
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
await readModels.close();
await store.close();
process.stdout.write(
  `${JSON.stringify({
    events: last + 1,
    caughtUp,
    seconds,
    peakRss: process.resourceUsage().maxRSS * 1024,
    peakAnon: Math.max(0, ...samples.map((m) => m.anon)),
    samples,
  })}\n`,
);
