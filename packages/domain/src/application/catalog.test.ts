import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AGGREGATES, domainEvents } from './aggregates.ts';

const src = new URL('..', import.meta.url).pathname;

describe('the event catalog', () => {
  it('gives every event type a zod schema and a stream category', () => {
    expect(domainEvents.types.length).toBe(
      Object.values(AGGREGATES).reduce((n, a) => n + a.events.types.length, 0),
    );
    expect(new Set(domainEvents.types).size).toBe(domainEvents.types.length);
  });

  it('has every event type produced by some decide of its own aggregate', () => {
    for (const aggregate of Object.values(AGGREGATES)) {
      const dir = join(src, aggregate.name);
      const deciders = readdirSync(dir)
        .filter((f) => f.startsWith('decide') && !f.endsWith('.test.ts'))
        .map((f) => readFileSync(join(dir, f), 'utf8'))
        .join('\n');
      const unproduced = aggregate.events.types.filter((type) => !deciders.includes(`type: '${type}'`));
      expect(unproduced, aggregate.name).toEqual([]);
    }
  });
});
