import { describe, expect, it } from 'vitest';
import { InMemoryEventStore } from '../kernel/inMemoryEventStore.ts';
import { PlainDate } from '../kernel/plainDate.ts';
import { HUITONG_2022 } from '../policy/presets.ts';
import { ActivityId, IssueId, MemberId, RegionId, UnitId } from '../shared/ids.ts';
import { AGGREGATES, type DomainCommand } from './aggregates.ts';
import { BEGINNINGS, commandScope, referencesOf } from './scope.ts';
import { CogovService } from './service.ts';

const d = PlainDate.parse;

describe('commandScope', () => {
  it('finds every record a command names, in nested fields and lists, from its schema', () => {
    const command: DomainCommand = {
      type: 'PlanActivity',
      activityId: ActivityId.parse('a-1'),
      kind: 'volunteer-service',
      regionId: RegionId.parse('dongmen'),
      title: '志愿服务',
      scheduledFor: d('2022-03-05'),
      unitIds: [UnitId.parse('u-1'), UnitId.parse('u-2')],
      plannedOn: d('2022-03-01'),
    };
    expect(commandScope(command)).toEqual({
      target: { aggregate: 'activity', id: 'a-1', field: 'activityId' },
      creates: true,
      home: { aggregate: 'region', id: 'dongmen', field: 'regionId' },
      references: [
        { aggregate: 'region', id: 'dongmen', field: 'regionId' },
        { aggregate: 'unit', id: 'u-1', field: 'unitIds.0' },
        { aggregate: 'unit', id: 'u-2', field: 'unitIds.1' },
      ],
      receivedBy: null,
    });
  });

  it('knows where every record a command begins will be at home', () => {
    const beginnings = Object.values(AGGREGATES).flatMap((a) => a.creates as readonly string[]);
    expect(Object.keys(BEGINNINGS).sort()).toEqual([...beginnings].sort());
  });

  it('places a root region nowhere: only an unscoped token may define one', () => {
    const scope = commandScope({
      type: 'DefineRegion',
      regionId: RegionId.parse('root'),
      name: '县',
      level: 'county',
      definedOn: d('2020-01-01'),
    });
    expect(scope.home).toBeNull();
  });

  it('follows the member of a union to the record it names', () => {
    const refs = referencesOf({
      type: 'AssignIssue',
      issueId: IssueId.parse('i-1'),
      assignee: { kind: 'unit', unitId: UnitId.parse('u-9') },
      assignedOn: d('2022-03-01'),
      dueOn: d('2022-03-10'),
    });
    expect(refs).toEqual([
      { aggregate: 'issue', id: 'i-1', field: 'issueId' },
      { aggregate: 'unit', id: 'u-9', field: 'assignee.unitId' },
    ]);
  });

  it('lets the receiving community record dual reporting', () => {
    const scope = commandScope({
      type: 'ReportToCommunity',
      memberId: MemberId.parse('m-1'),
      communityId: RegionId.parse('dongmen'),
      reportedOn: d('2022-03-01'),
    });
    expect(scope.receivedBy).toEqual({ aggregate: 'region', id: 'dongmen', field: 'communityId' });
    expect(scope.creates).toBe(false);
    expect(scope.home).toBeNull();
  });
});

describe('CogovService.placeOf', () => {
  const setup = async () => {
    const cogov = new CogovService({
      store: new InMemoryEventStore(),
      policy: HUITONG_2022,
      clock: () => new Date('2023-01-10T02:00:00Z'),
    });
    const run = async (command: DomainCommand) => {
      const result = await cogov.execute(command);
      if (result.status === 'rejected') throw new Error(result.rejection.code);
    };
    await run({
      type: 'DefineRegion',
      regionId: RegionId.parse('ht'),
      name: '县',
      level: 'county',
      definedOn: d('2020-01-01'),
    });
    await run({
      type: 'DefineRegion',
      regionId: RegionId.parse('lc'),
      name: '林城镇',
      level: 'town',
      parentId: RegionId.parse('ht'),
      definedOn: d('2020-01-01'),
    });
    await run({
      type: 'DefineRegion',
      regionId: RegionId.parse('dm'),
      name: '东门',
      level: 'community',
      parentId: RegionId.parse('lc'),
      definedOn: d('2020-01-01'),
    });
    await run({
      type: 'RegisterUnit',
      unitId: UnitId.parse('u-1'),
      name: '县住建局',
      kind: 'organ',
      regionId: RegionId.parse('ht'),
      registeredOn: d('2020-02-01'),
    });
    return { cogov, run };
  };

  it('places a member registered with a unit where the unit is, serving where they reported', async () => {
    const { cogov, run } = await setup();
    await run({
      type: 'RegisterMember',
      memberId: MemberId.parse('m-1'),
      name: '张三',
      category: 'in-service',
      unitId: UnitId.parse('u-1'),
      registeredOn: d('2020-03-01'),
    });
    await run({
      type: 'ReportToCommunity',
      memberId: MemberId.parse('m-1'),
      communityId: RegionId.parse('dm'),
      reportedOn: d('2020-04-01'),
    });
    expect(await cogov.placeOf('member', 'm-1')).toEqual({ home: 'ht', serves: ['dm'] });
  });

  it('says a record that does not exist is nowhere', async () => {
    const { cogov } = await setup();
    expect(await cogov.placeOf('issue', 'nothing')).toBeNull();
  });
});
