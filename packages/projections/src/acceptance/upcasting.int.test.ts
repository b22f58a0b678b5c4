import { domainEvents, withDomainUpcasting, type RecordedEvent } from '@cogov/domain';
import { LmdbEventStore } from '@cogov/eventstore/lmdb';
import { copyLog } from '@cogov/eventstore/testing';
import { memberAppointedAsVersion1 } from '@cogov/testkit';
import { huitong, ScenarioClock } from '@cogov/testkit/scenarios';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReadModels } from '../readModels.ts';

describe('a log written with version 1 events (upcasting on every read path)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cogov-upcasting-'));
  let current: LmdbEventStore;
  let old: LmdbEventStore;
  let appointments = 0;

  beforeAll(async () => {
    const clock = new ScenarioClock();
    current = await LmdbEventStore.open({ path: join(dir, 'v2'), clock: clock.now });
    await huitong.run({ store: current, clock });
    // The same log, event for event (ids, positions, revisions, recorded times), as version 1 wrote it.
    await copyLog(current, join(dir, 'v1'), (event) => {
      if (event.type === 'MemberAppointed') appointments++;
      return memberAppointedAsVersion1(event);
    });
    old = await LmdbEventStore.open({ path: join(dir, 'v1') });
  }, 180_000);

  afterAll(async () => {
    await current.close();
    await old.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds version 1 events as written, and reads them as version 2', async () => {
    expect(appointments).toBe(38);
    expect(domainEvents.schemaVersion('MemberAppointed')).toBe(2);
    const raw: RecordedEvent[] = [];
    for await (const e of old.readAll()) if (e.type === 'MemberAppointed') raw.push(e);
    expect(raw.every((e) => e.metadata.schemaVersion === 1 && 'approvedBy' in (e.data as object))).toBe(true);
    const lifted: RecordedEvent[] = [];
    for await (const e of withDomainUpcasting(old).readAll())
      if (e.type === 'MemberAppointed') lifted.push(e);
    const written: RecordedEvent[] = [];
    for await (const e of current.readAll()) if (e.type === 'MemberAppointed') written.push(e);
    expect(lifted.map((e) => [e.metadata.schemaVersion, e.data])).toEqual(written.map((e) => [2, e.data]));
    const stream = raw[0]?.streamId as RecordedEvent['streamId'];
    expect(
      (await withDomainUpcasting(old).readStream(stream)).filter((e) => e.type === 'MemberAppointed'),
    ).toEqual((await current.readStream(stream)).filter((e) => e.type === 'MemberAppointed'));
  });

  it('rebuilds to the same read models as the log written with version 2, key for key', async () => {
    const readModelsPath = join(dir, 'read-models');
    const fromCurrent = openReadModels({ path: readModelsPath, store: current });
    await fromCurrent.start();
    expect(await fromCurrent.waitFor((await current.lastPosition()) ?? -1, 60_000)).toBe(true);
    await fromCurrent.close();
    // The same read models, now over the version 1 log: each rebuilt beside the active one and compared.
    const fromOld = openReadModels({ path: readModelsPath, store: old });
    try {
      await fromOld.start();
      for (const name of ['statistics', 'membership', 'lookups']) {
        const report = await fromOld.projector.rebuild(name);
        expect(report, name).toMatchObject({ differences: 0 });
        expect(report.comparedAt.rebuilt, name).toBe((await old.lastPosition()) ?? -1);
      }
    } finally {
      await fromOld.close();
    }
  }, 120_000);
});
