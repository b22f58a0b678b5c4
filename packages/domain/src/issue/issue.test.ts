import {
  chains,
  committeeFrom,
  committeeId,
  contextOn,
  DeciderSpecification,
  day,
  drawnGrid,
  establishedCommittee,
  gridId,
  memberId,
  registeredUnit,
  regionId,
  steps,
  unitId,
} from '@cogov/testkit';
import { describe, expect, it } from 'vitest';
import { IssueId } from '../shared/ids.ts';
import { issueDecider, type IssueEvent, type IssueFacts } from './index.ts';

const I = IssueId.parse('i-1');
const C = 'dongmen-ppc';
const committee = committeeFrom([
  ...establishedCommittee(C, 'community-party-committee'),
  steps.appointed({ committee: C, candidate: 'c1', person: 'p1' }),
]);
const facts: IssueFacts = {
  regions: chains.community,
  committee,
  unit: registeredUnit('bank', [{ community: 'dongmen', from: '2021-01-01' }]),
};
const spec = DeciderSpecification.for(issueDecider, contextOn(facts));
const registered: IssueEvent[] = [
  {
    type: 'IssueRegistered',
    data: {
      issueId: I,
      committeeId: committeeId(C),
      regionId: regionId('dongmen'),
      gridId: null,
      title: '路灯不亮',
      trade: 'infrastructure',
      source: 'resident',
      raisedBy: null,
      registeredOn: day('2022-04-01'),
    },
  },
];
const member = { kind: 'member' as const, personId: memberId('p1') };
const unit = { kind: 'unit' as const, unitId: unitId('bank') };
const assigned: IssueEvent[] = [
  ...registered,
  {
    type: 'IssueAssigned',
    data: { issueId: I, assignee: member, assignedOn: day('2022-04-02'), dueOn: day('2022-04-30') },
  },
];
const resolve = {
  type: 'ResolveIssue' as const,
  issueId: I,
  resolvedOn: day('2022-04-20'),
  resolution: 'lamps replaced',
};
const resolved = (): IssueEvent[] => [
  ...assigned,
  ...(issueDecider.decide(resolve, spec.given(assigned).state, contextOn(facts)) as IssueEvent[]),
];

describe('Issue: the ledger (台账)', () => {
  const register = {
    type: 'RegisterIssue' as const,
    issueId: I,
    committeeId: committeeId(C),
    title: '路灯不亮',
    trade: 'infrastructure' as const,
    source: 'resident' as const,
    registeredOn: day('2022-04-01'),
  };

  it('registers an issue in a committee’s ledger, under its region', () => {
    spec.given([]).when(register).then(registered);
  });

  it('rejects a missing or dissolved committee, a retired region or grid, a reused id', () => {
    spec
      .given([])
      .when(register, { facts: { regions: chains.community } })
      .thenRejects('COMMITTEE_NOT_FOUND');
    const dissolved = committeeFrom([
      ...establishedCommittee(C, 'community-party-committee'),
      {
        type: 'CommitteeDissolved',
        data: { committeeId: committeeId(C), dissolvedOn: day('2021-01-01'), reason: 'x' },
      },
    ]);
    spec
      .given([])
      .when(register, { facts: { ...facts, committee: dissolved } })
      .thenRejects('COMMITTEE_DISSOLVED');
    spec
      .given([])
      .when(register, { facts: { ...facts, regions: chains.retiredCommunity } })
      .thenRejects('REGION_RETIRED');
    spec
      .given([])
      .when({ ...register, gridId: gridId('g9') })
      .thenRejects('GRID_NOT_FOUND');
    spec
      .given([])
      .when(
        { ...register, gridId: gridId('g1') },
        { facts: { ...facts, grid: { ...drawnGrid('g1', 300), status: 'retired' } as never } },
      )
      .thenRejects('GRID_RETIRED');
    spec.given(registered).when(register).thenRejects('ISSUE_EXISTS');
  });
});

describe('Issue: assignment (invariant 6)', () => {
  const assign = {
    type: 'AssignIssue' as const,
    issueId: I,
    assignee: member,
    assignedOn: day('2022-04-02'),
    dueOn: day('2022-04-30'),
  };

  it('assigns to a member sitting on the committee', () => {
    spec.given(registered).when(assign).then([assigned[1]!]);
  });

  it('assigns to a unit paired with the community', () => {
    spec
      .given(registered)
      .when({ ...assign, assignee: unit })
      .thenEvents((e) => expect(e[0]?.data).toMatchObject({ assignee: unit }));
  });

  it('rejects an assignee who does not sit on the committee, or a unit not paired on the date', () => {
    spec
      .given(registered)
      .when({ ...assign, assignee: { kind: 'member', personId: memberId('stranger') } })
      .thenRejects('ASSIGNEE_NOT_ELIGIBLE');
    spec
      .given(registered)
      .when({
        ...assign,
        assignee: { kind: 'member', personId: memberId('p1') },
        assignedOn: day('2022-03-01'),
      })
      .thenRejects('DATE_OUT_OF_ORDER');
    const first = registered[0] as Extract<IssueEvent, { type: 'IssueRegistered' }>;
    const lateIssue: IssueEvent[] = [{ ...first, data: { ...first.data, registeredOn: day('2020-06-01') } }];
    spec
      .given(lateIssue)
      .when({ ...assign, assignee: unit, assignedOn: day('2020-07-01') })
      .thenRejects('ASSIGNEE_NOT_ELIGIBLE');
    spec
      .given(registered)
      .when(
        { ...assign, assignee: { kind: 'unit', unitId: unitId('ghost') } },
        { facts: { ...facts, unit: undefined } as never },
      )
      .thenRejects('UNIT_NOT_REGISTERED');
  });

  it('rejects assigning twice, a due date before the assignment, an unknown issue', () => {
    spec.given(assigned).when(assign).thenRejects('ISSUE_ALREADY_ASSIGNED');
    spec
      .given(registered)
      .when({ ...assign, dueOn: day('2022-04-01') })
      .thenRejects('DATE_OUT_OF_ORDER');
    spec.given([]).when(assign).thenRejects('ISSUE_NOT_FOUND');
  });

  it('hands over to another eligible assignee, keeping the trail', () => {
    const reassign = {
      type: 'ReassignIssue' as const,
      issueId: I,
      assignee: unit,
      reassignedOn: day('2022-04-10'),
      reason: 'needs the bank’s help',
    };
    spec
      .given(assigned)
      .when(reassign)
      .thenEvents((e) => expect(e[0]?.data).toMatchObject({ from: member, to: unit, dueOn: '2022-04-30' }));
    spec
      .given(assigned)
      .when({ ...reassign, assignee: member })
      .thenRejects('SAME_ASSIGNEE');
    spec.given(registered).when(reassign).thenRejects('ISSUE_NOT_ASSIGNED');
  });
});

describe('Issue: progress, escalation, resolution (invariant 6)', () => {
  it('reports progress on an assigned open issue', () => {
    spec
      .given(assigned)
      .when({ type: 'ReportIssueProgress', issueId: I, reportedOn: day('2022-04-10'), note: 'parts ordered' })
      .thenEvents((e) => expect(e).toHaveLength(1));
    spec
      .given(registered)
      .when({ type: 'ReportIssueProgress', issueId: I, reportedOn: day('2022-04-10'), note: 'x' })
      .thenRejects('ISSUE_NOT_ASSIGNED');
  });

  it('escalates (督办) only an overdue issue', () => {
    const escalate = {
      type: 'EscalateIssue' as const,
      issueId: I,
      escalatedOn: day('2022-05-03'),
      to: 'subdistrict' as const,
      note: 'overdue',
    };
    spec
      .given(assigned)
      .when(escalate)
      .thenEvents((e) => expect(e[0]?.data).toMatchObject({ daysOverdue: 3 }));
    spec
      .given(assigned)
      .when({ ...escalate, escalatedOn: day('2022-04-30') })
      .thenRejects('NOT_OVERDUE');
  });

  it('resolves an assigned issue once per opening, recording days taken and timeliness', () => {
    spec
      .given(assigned)
      .when(resolve)
      .thenEvents((e) =>
        expect(e[0]?.data).toMatchObject({ daysToResolve: 19, onTime: true, assignee: member }),
      );
    spec.given(registered).when(resolve).thenRejects('ISSUE_NOT_ASSIGNED');
    spec.given(resolved()).when(resolve).thenRejects('ISSUE_NOT_OPEN');
  });

  it('publishes the outcome of a resolution once', () => {
    const publish = {
      type: 'PublishIssueOutcome' as const,
      issueId: I,
      publishedOn: day('2022-04-21'),
      channel: 'notice-board' as const,
      audience: 'residents of building 3',
    };
    const published = spec
      .given(resolved())
      .when(publish)
      .thenEvents((e) => expect(e).toHaveLength(1));
    spec
      .given([...resolved(), ...published])
      .when(publish)
      .thenRejects('OUTCOME_ALREADY_PUBLISHED');
    spec.given(assigned).when(publish).thenRejects('ISSUE_NOT_RESOLVED');
  });

  it('reopens only after resolution; then it can be resolved again', () => {
    const reopen = {
      type: 'ReopenIssue' as const,
      issueId: I,
      reopenedOn: day('2022-05-10'),
      reason: 'lamps out again',
    };
    spec.given(assigned).when(reopen).thenRejects('ISSUE_NOT_RESOLVED');
    const reopened = [
      ...resolved(),
      ...(issueDecider.decide(reopen, spec.given(resolved()).state, contextOn(facts)) as IssueEvent[]),
    ];
    spec
      .given(reopened)
      .when({ ...resolve, resolvedOn: day('2022-05-12') })
      .thenEvents((e) =>
        expect(e[0]?.data).toMatchObject({ openedOn: '2022-05-10', daysToResolve: 2, onTime: false }),
      );
  });

  it('withdraws an open issue, and nothing after', () => {
    const withdraw = {
      type: 'WithdrawIssue' as const,
      issueId: I,
      withdrawnOn: day('2022-04-05'),
      reason: 'duplicate',
    };
    const withdrawn = spec
      .given(assigned)
      .when(withdraw)
      .thenEvents((e) => expect(e).toHaveLength(1));
    spec
      .given([...assigned, ...withdrawn])
      .when(resolve)
      .thenRejects('ISSUE_NOT_OPEN');
  });
});
