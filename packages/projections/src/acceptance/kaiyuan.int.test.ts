import type { PlainDate } from '@cogov/domain';
import { LmdbEventStore } from '@cogov/eventstore/lmdb';
import { kaiyuan, KAIYUAN_JULY_FIRST, ScenarioClock } from '@cogov/testkit/scenarios';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReadModels, type ReadModels } from '../readModels.ts';
import { unregisteredFacets } from '../testing/facets.ts';
import type { MetricName } from '../statistics/metrics.ts';

describe('the kaiyuan scenario (seed 002) read back from the statistics', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cogov-kaiyuan-'));
  let store: LmdbEventStore;
  let readModels: ReadModels;
  const from = '2022-01-01' as PlainDate;
  const to = '2022-12-31' as PlainDate;

  beforeAll(async () => {
    const clock = new ScenarioClock();
    store = await LmdbEventStore.open({ path: join(dir, 'events'), clock: clock.now });
    const result = await kaiyuan.run({ store, clock });
    // The total a seeding's progress shows is the real one.
    expect(result.commands).toBe(kaiyuan.expectedCommands());
    readModels = openReadModels({ path: join(dir, 'read-models'), store });
    await readModels.start();
    expect(await readModels.waitFor((await store.lastPosition()) ?? -1, 60_000)).toBe(true);
  }, 120_000);

  afterAll(async () => {
    await readModels.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const total = (
    metric: MetricName,
    facet?: string,
    scope = 'r:kaiyuan',
    range: [PlainDate, PlainDate] = [from, to],
  ) => readModels.statistics().total(metric, { scope, ...(facet === undefined ? {} : { facet }) }, ...range);
  const level = (metric: MetricName, facet?: string, scope = 'r:kaiyuan', on: PlainDate = to) =>
    readModels.statistics().levelOn(metric, { scope, ...(facet === undefined ? {} : { facet }) }, on);

  it('gives back the organisation the seed describes', () => {
    // 成立了2个街道"大工委"和37个社区"大党委"
    expect(level('committees.count', 'kind=subdistrict-working-committee')).toBe(2);
    expect(level('committees.count', 'kind=community-party-committee')).toBe(37);
    // 由包街道的市委常委担任"大工委"第一书记 … 选派37名骨干到社区担任党组织第一书记
    expect(level('officers.sitting', 'role=first-secretary', 'r:kaiyuan', '2022-03-31' as PlainDate)).toBe(2);
    expect(level('officers.sitting', 'role=first-secretary')).toBe(2 + 37);
    // 14个职能部门的负责人兼任"大工委"委员
    expect(total('partTime.appointed', 'level=subdistrict')).toBe(14);
    // 65家包社区单位有关负责同志及部分物业公司负责人兼任社区"大党委"委员
    const community = total('partTime.appointed', 'level=community');
    const propertyCompanies = total('partTime.appointed', 'category=non-public-enterprise-leader');
    expect(community - propertyCompanies).toBe(65);
    expect(propertyCompanies).toBeGreaterThan(0);
    // 37家牵头包社区单位、28家联建单位 … 与37个城市社区开展"区域化联建"
    expect(level('units.paired')).toBe(37 + 28);
  });

  it('gives back the grids', () => {
    // 在37个城市社区划分网格448个 (每个网格300户的标准)
    expect(level('grids.count')).toBe(448);
    const households = level('grids.households');
    expect(households).toBeGreaterThan(448 * 240);
    expect(households).toBeLessThanOrEqual(448 * 300);
    // 88个网格功能性党支部
    expect(level('committees.count', 'kind=grid-branch')).toBe(88);
    expect(level('grids.withBranch')).toBe(448);
    // 100余名社区工作人员兼任网格员: people, not assignments to cells
    expect(level('grids.workers')).toBe(112);
    expect(level('grids.workerAssignments')).toBe(448);
  });

  it('gives back the service-project lists and the difficulties solved', () => {
    // 共确定"服务项目清单"47张，帮助社区协调解决大小困难156个
    expect(total('projects.lists')).toBe(47);
    expect(total('projects.completed')).toBe(156);
    expect(total('projects.completed', 'claimant=unit')).toBe(156);
    expect(total('projects.agreed')).toBeGreaterThan(156);
  });

  it('gives back the activities', () => {
    const window: [PlainDate, PlainDate] = [KAIYUAN_JULY_FIRST.from, KAIYUAN_JULY_FIRST.to];
    // "七一"期间 … 开展讲党课、重温入党誓词、文艺汇演等活动57次
    expect(total('activities.held', 'coConstruction=true', 'r:kaiyuan', window)).toBe(57);
    // 围绕清理"小招贴"、推广"反诈APP"、走访慰问困难党员群众等开展活动120余次
    const rest = total('activities.held', 'coConstruction=true') - 57;
    expect(rest).toBeGreaterThanOrEqual(120);
    expect(rest).toBeLessThan(130);
  });

  it('adds the two streets up to the city, and the communities up to their street', () => {
    for (const metric of ['grids.count', 'grids.workers', 'units.paired'] as const) {
      expect(level(metric, undefined, 'r:kaiyuan-jd') + level(metric, undefined, 'r:xincheng-jd')).toBe(
        level(metric),
      );
    }
    expect(
      total('projects.completed', undefined, 'r:kaiyuan-jd') +
        total('projects.completed', undefined, 'r:xincheng-jd'),
    ).toBe(156);
    const lookups = readModels.lookups();
    const communities = lookups.children('kaiyuan-jd', { limit: 100 }).items.map((r) => r.id);
    expect(communities).toHaveLength(20);
    expect(communities.reduce((sum, c) => sum + level('grids.count', undefined, `r:${c}`), 0)).toBe(
      level('grids.count', undefined, 'r:kaiyuan-jd'),
    );
  });

  it('reads a 大工委 roster as of a date', () => {
    const roster = readModels.membership().roster('kaiyuan-jd-dgw', { asOf: '2022-12-31' as PlainDate });
    expect(roster.members.filter((m) => m.kind === 'part-time')).toHaveLength(7);
    expect(roster.members.find((m) => m.role === 'first-secretary')?.personId).toBe('ky-standing-1');
  });

  it('writes only facet values the metrics registry lists (a value the API refuses never counts)', () => {
    expect(unregisteredFacets(readModels)).toEqual([]);
  });
});
