import type { PlainDate } from '@cogov/domain';
import { LmdbEventStore } from '@cogov/eventstore/lmdb';
import { changsha, CHANGSHA_AS_OF, CHANGSHA_FULL, ScenarioClock } from '@cogov/testkit/scenarios';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReadModels, type ReadModels } from '../readModels.ts';
import type { MetricName } from '../statistics/metrics.ts';

/** CI runs a fiftieth of the city; the benchmark runs all of it. */
const SCALE = 0.02;
const scaled = (full: number) => Math.max(1, Math.round(full * SCALE));

describe(`the changsha scenario (seed 003) at scale ${SCALE}, read back from the statistics`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'cogov-changsha-'));
  let store: LmdbEventStore;
  let readModels: ReadModels;

  beforeAll(async () => {
    const clock = new ScenarioClock();
    store = await LmdbEventStore.open({ path: join(dir, 'events'), clock: clock.now });
    await changsha.run({ store, clock, scale: SCALE, concurrency: 16 });
    readModels = openReadModels({ path: join(dir, 'read-models'), store });
    await readModels.start();
    expect(await readModels.waitFor((await store.lastPosition()) ?? -1, 120_000)).toBe(true);
  }, 240_000);

  afterAll(async () => {
    await readModels.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const level = (metric: MetricName, facet?: string) =>
    readModels
      .statistics()
      .levelOn(metric, { scope: 'r:changsha', ...(facet === undefined ? {} : { facet }) }, CHANGSHA_AS_OF);

  it('gives back the city’s standing figures on 30 September 2018, scaled', () => {
    // 选聘街道大工委兼职委员426人、社区党组织兼职委员2061人 (sitting after the renewals)
    expect(level('partTime.sitting', 'level=subdistrict')).toBe(scaled(CHANGSHA_FULL.subdistrictPartTime));
    expect(level('partTime.sitting', 'level=community')).toBe(scaled(CHANGSHA_FULL.communityPartTime));
    // 95个街道, 596个城市社区
    expect(level('committees.count', 'kind=subdistrict-working-committee')).toBe(
      scaled(CHANGSHA_FULL.subdistricts),
    );
    expect(level('committees.count', 'kind=community-party-committee')).toBe(
      scaled(CHANGSHA_FULL.communities),
    );
    // 共建立小区党支部863个
    expect(level('committees.count', 'kind=compound-branch')).toBe(scaled(CHANGSHA_FULL.compoundBranches));
    // 500多个机关支部与社区结对
    expect(level('units.paired')).toBe(scaled(CHANGSHA_FULL.pairedOrganBranches));
    // 10万多名在职党员到居住地社区报到
    expect(level('members.reporting')).toBe(scaled(CHANGSHA_FULL.reportingMembers));
    // 对7.44万社区直管党员实行量化积分管理
    expect(
      level('members.registered', 'category=retired') + level('members.registered', 'category=resident'),
    ).toBe(scaled(CHANGSHA_FULL.scoredMembers) + 3 * scaled(CHANGSHA_FULL.communities));
  });

  it('counts the renewals and the replacements of the terms', () => {
    const s = readModels.statistics();
    const total = (metric: MetricName, facet: string) =>
      s.total(metric, { scope: 'r:changsha', facet }, '2014-01-01' as PlainDate, CHANGSHA_AS_OF);
    const renewed = total('partTime.renewed', 'level=community');
    const expired = total('partTime.exited', 'reason=expired');
    const appointed = total('partTime.appointed', 'level=community');
    expect(renewed).toBeGreaterThan(0);
    expect(expired).toBeGreaterThan(0);
    // Everyone appointed either sits at the end or left: no seat is lost or counted twice.
    const exited = total('partTime.exited', 'level=community');
    expect(appointed - exited).toBe(level('partTime.sitting', 'level=community'));
  });

  it('scores members for what they do', () => {
    const leaders = readModels.lookups().leaderboard(2017, 'changsha', 10);
    expect(leaders).toHaveLength(10);
    expect(leaders[0]!.points).toBeGreaterThan(0);
  });
});
