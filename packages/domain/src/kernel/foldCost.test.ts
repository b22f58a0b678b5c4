import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SOURCES = join(import.meta.dirname, '..');

/** Every aggregate's state.ts (one folder per aggregate). */
const stateFiles = () =>
  readdirSync(SOURCES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(SOURCES, entry.name, 'state.ts'))
    .filter((file) => existsSync(file));

describe("aggregates' evolve", () => {
  it('never copies a whole collection the state remembers at each event (a fold stays linear)', () => {
    const files = stateFiles();
    expect(files.length).toBeGreaterThanOrEqual(8);
    const copies = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ file, line: i + 1, text: line.trim() }))
        .filter(({ text }) => /new (Set|Map)\(state\./.test(text)),
    );
    // A Set or Map copied from the previous state at every event makes replaying a stream of n
    // events cost n² (a member with 5 000 awards took 0.9 s): use PersistentSet.
    expect(copies).toEqual([]);
  });
});
