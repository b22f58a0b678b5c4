import { loadConfig } from '@cogov/api/config';
import { CORRUPTIONS, flipOnDisk, RawLog, type CorruptionKind } from '@cogov/eventstore/testing';
import fc from 'fast-check';
import { join } from 'node:path';
import { seedScenario } from '../demo/seed.ts';
import { count, type Verdict } from './lib.ts';

/**
 * R8: the huitong demo store, seeded, then damaged at random record by record (bytes flipped,
 * records cut, swapped, deleted, moved, an event rewritten with a valid checksum) and bytes
 * flipped in the file itself; each time `verifyLog` must report the first break at the damaged
 * position, and after each repair (and on the clean store) none.
 */
export const corruptionCheck = async (scratch: string, runs: number, seed: number): Promise<Verdict> => {
  const started = performance.now();
  const dataDir = join(scratch, 'r8');
  const config = loadConfig({}, { dataDir, tokens: [] });
  await seedScenario(config, 'huitong');
  const events = join(dataDir, 'events');
  const byKind = new Map<CorruptionKind | 'disk-flip', number>();
  const misses: string[] = [];
  let detected = 0;
  // First (while each record's bytes lie once in the file), bytes flipped in the file on disk, where the records lie.
  const diskRuns = Math.max(10, Math.round(runs / 20));
  let diskTried = 0;
  for (let run = 0; run < diskRuns; run++) {
    const randoms = fc.sample(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
      numRuns: 40,
      seed: seed + run,
    });
    const before = new RawLog(events);
    const keys = before.keys();
    const records = randoms.slice(0, 20).map((x) => {
      const key = keys[Math.floor(x * keys.length)] as number;
      return { key, bytes: Buffer.from(before.records.getBinary(key) as Buffer) };
    });
    await before.close();
    // A record whose bytes the file holds once (an older copy may linger on a free page).
    let flip: ReturnType<typeof flipOnDisk> = null;
    let key = -1;
    for (const [k, record] of records.entries()) {
      flip = flipOnDisk(events, record.bytes, () => randoms[20 + k] as number);
      key = record.key;
      if (flip !== null) break;
    }
    if (flip === null) continue;
    diskTried++;
    const damaged = new RawLog(events);
    try {
      const report = damaged.verify();
      if (report.break?.position === key) detected++;
      else
        misses.push(
          `byte ${flip.offset} of log.mdb (record ${key}): ${report.break === null ? 'not found' : `found at ${report.break.position}`}`,
        );
    } finally {
      await damaged.close();
      flip.undo();
    }
  }
  byKind.set('disk-flip', diskTried);
  const log = new RawLog(events);
  const falseAlarms: string[] = [];
  try {
    const clean = log.verify();
    if (clean.break !== null) falseAlarms.push(`the clean store: ${clean.break.detail}`);
    const randoms = fc.sample(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
      numRuns: runs * 8,
      seed,
    });
    let r = 0;
    const random = () => randoms[r++ % randoms.length] as number;
    for (let run = 0; run < runs; run++) {
      const kind = CORRUPTIONS[run % CORRUPTIONS.length] as CorruptionKind;
      const corruption = log.corrupt(kind, random);
      try {
        const report = log.verify();
        if (report.break?.position === corruption.position) detected++;
        else
          misses.push(
            `${corruption.description}: ${report.break === null ? 'not found' : `found at ${report.break.position}`}`,
          );
      } finally {
        corruption.undo();
      }
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
      const after = log.verify();
      if (after.break !== null)
        falseAlarms.push(`after undoing ${corruption.description}: ${after.break.detail}`);
    }
  } finally {
    await log.close();
  }
  const total = runs + diskTried;
  const kinds = [...byKind].map(([k, n]) => `${k} ${n}`).join(', ');
  return {
    id: 'R8',
    name: 'corruptions of a seeded log found at their position',
    outcome: misses.length === 0 && falseAlarms.length === 0 ? 'passed' : 'failed',
    figures: `${count(detected)} of ${count(total)} corruptions found at the right position (${kinds}); ${falseAlarms.length} false alarms on ${count(runs + 1)} clean verifications`,
    details: [...misses.slice(0, 10), ...falseAlarms.slice(0, 10)],
    seconds: (performance.now() - started) / 1000,
  };
};
