import { LmdbEventStore } from '@cogov/eventstore/lmdb';
import { huitong, ScenarioClock } from '@cogov/testkit/scenarios';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReadModels, type ReadModels } from '../readModels.ts';
import { unregisteredFacets } from '../testing/facets.ts';

describe('the huitong scenario (seed 000) read back from the statistics', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cogov-huitong-'));
  let store: LmdbEventStore;
  let readModels: ReadModels;

  beforeAll(async () => {
    const clock = new ScenarioClock();
    store = await LmdbEventStore.open({ path: join(dir, 'events'), clock: clock.now });
    const result = await huitong.run({ store, clock });
    // The total a seeding's progress shows is the real one.
    expect(result.commands).toBe(huitong.expectedCommands());
    readModels = openReadModels({ path: join(dir, 'read-models'), store });
    await readModels.start();
    expect(await readModels.waitFor((await store.lastPosition()) ?? -1, 60_000)).toBe(true);
  }, 120_000);

  afterAll(async () => {
    await readModels.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives back the seed’s figures exactly', () => {
    const s = readModels.statistics();
    const year = ['2022-01-01', '2022-12-31'] as const;
    const total = (metric: Parameters<typeof s.total>[0], facet?: string) =>
      s.total(
        metric,
        { scope: 'r:huitong', ...(facet === undefined ? {} : { facet }) },
        ...(year as unknown as [never, never]),
      );
    // 共选聘17名城镇大工委兼职委员、21名社区党组织兼职委员
    expect(total('partTime.appointed', 'level=subdistrict')).toBe(17);
    expect(total('partTime.appointed', 'level=community')).toBe(21);
    // 兼职委员参加社区党建联席会议189次
    expect(total('meetings.attendances', 'partTime=community')).toBe(189);
    // 为社区解决问题67个
    expect(total('issues.resolved')).toBe(67);
    // 共驻共建活动120余场次
    expect(total('activities.held', 'coConstruction=true')).toBeGreaterThanOrEqual(120);
    expect(total('activities.held', 'coConstruction=true')).toBeLessThan(130);
    // 三个党总支升格为社区党委
    expect(total('committees.upgraded')).toBe(3);
  });

  it('fills the summary and the national sheet consistently', () => {
    const summary = readModels
      .statistics()
      .summary('r:huitong', '2022-01-01' as never, '2022-12-31' as never);
    expect(summary.partTime).toMatchObject({
      appointed: 38,
      appointedSubdistrictLevel: 17,
      appointedCommunityLevel: 21,
      sittingAtEnd: 37,
    });
    expect(summary.partTime.exitedByReason.withdrew).toBe(1);
    expect(summary.issues).toMatchObject({ registered: 75, assigned: 75, resolved: 67 });
    expect(summary.issues.resolutionRate).toBeCloseTo(67 / 75, 4);
    expect(summary.nationalSheet).toMatchObject({
      subdistrictsWithBigWorkingCommittee: 1,
      communitiesWithBigPartyCommittee: 3,
      communitiesWhereInServiceMembersReport: 3,
    });
    expect(summary.meetings.held).toBe(27 + 4);
    expect(summary.projects).toMatchObject({ wishesPosted: 20, wishesClaimed: 16, wishesFulfilled: 16 });
    // A region's figure includes its subtree: the three communities add up to the county.
    const byCommunity = ['dongmen', 'gaihe', 'jianshe'].map((c) =>
      readModels
        .statistics()
        .total('partTime.appointed', { scope: `r:${c}` }, '2022-01-01' as never, '2022-12-31' as never),
    );
    expect(byCommunity.reduce((a, b) => a + b, 0)).toBe(21);
  });

  it('answers what the records said at a past time, and what they say now, of a backdated withdrawal', () => {
    const membership = readModels.membership();
    const townMember = 'ht-tp-17';
    const knownBefore = membership.roster('lincheng-dgw', {
      asOf: '2022-09-15' as never,
      knownAt: new Date('2022-10-01T00:00:00Z'),
    });
    const knownNow = membership.roster('lincheng-dgw', { asOf: '2022-09-15' as never });
    expect(knownBefore.members.map((m) => m.personId)).toContain(townMember);
    expect(knownNow.members.map((m) => m.personId)).not.toContain(townMember);
    expect(knownBefore.members.filter((m) => m.kind === 'part-time')).toHaveLength(17);
    expect(knownNow.members.filter((m) => m.kind === 'part-time')).toHaveLength(16);
    const history = membership.history(townMember);
    expect(history.map((h) => h.kind)).toEqual(['appointed', 'duties-assigned', 'withdrew']);
    expect(history[0]).toMatchObject({
      committeeId: 'lincheng-dgw',
      actor: 'clerk',
      approvalRef: expect.stringContaining('组批') as unknown,
    });
    expect(history[2]).toMatchObject({
      effectiveOn: '2022-09-01',
      recordedAt: expect.stringMatching(/^2022-11-15/) as unknown,
    });
  });

  it('counts the four roles as the rosters show them, on every day of the year', () => {
    const statistics = readModels.statistics();
    const membership = readModels.membership();
    const committees = readModels
      .lookups()
      .list('committee', 'huitong')
      .items.map((c) => c.id);
    const duties = ['policy-advocate', 'community-counsellor', 'project-follower', 'opinion-collector'];
    for (const day of ['2022-01-15', '2022-03-20', '2022-04-01', '2022-09-15', '2022-12-31'] as const) {
      const rosters = committees.map((c) => membership.roster(c, { asOf: day as never }));
      for (const duty of duties) {
        const held = rosters.flatMap((r) => r.members).filter((m) => m.duties.includes(duty)).length;
        expect(
          statistics.levelOn(
            'partTime.withDuty',
            { scope: 'r:huitong', facet: `duty=${duty}` },
            day as never,
          ),
          `${duty} on ${day}`,
        ).toBe(held);
      }
    }
    // By the year's end every role is held, and the withdrawn town member's roles went with him.
    const end = committees.map((c) => membership.roster(c, { asOf: '2022-12-31' as never }));
    for (const duty of duties)
      expect(end.flatMap((r) => r.members).filter((m) => m.duties.includes(duty)).length).toBeGreaterThan(0);
    const partTime = end.flatMap((r) => r.members).filter((m) => m.kind === 'part-time');
    expect(partTime.every((m) => m.duties.length > 0)).toBe(true);
  });

  it('lists what the API lists', () => {
    const lookups = readModels.lookups();
    expect(
      lookups
        .children('lincheng')
        .items.map((r) => r.id)
        .sort(),
    ).toEqual(['dongmen', 'gaihe', 'jianshe']);
    expect(lookups.list('committee', 'huitong').items).toHaveLength(4);
    expect(lookups.openIssues('huitong').items).toHaveLength(6);
    expect(lookups.openIssues('huitong', { overdueOn: '2023-01-01' as never }).items.length).toBeGreaterThan(
      0,
    );
    expect(lookups.unclaimed('huitong').items).toHaveLength(4);
    const leaders = lookups.leaderboard(2022, 'huitong', 5);
    expect(leaders).toHaveLength(5);
    expect(leaders[0]!.points).toBeGreaterThanOrEqual(leaders[4]!.points);
  });

  it('writes only facet values the metrics registry lists (a value the API refuses never counts)', () => {
    expect(unregisteredFacets(readModels)).toEqual([]);
  });
});
