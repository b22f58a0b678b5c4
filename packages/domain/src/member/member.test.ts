import {
  chains,
  contextOn,
  DeciderSpecification,
  day,
  drawnGrid,
  gridId,
  memberId,
  regionId,
} from '@cogov/testkit';
import { describe, expect, it } from 'vitest';
import { HUITONG_2022, LIUYANG_2013 } from '../policy/presets.ts';
import { evolveGrid } from '../grid/state.ts';
import { ERASED } from '../kernel/personalDataStore.ts';
import { memberDecider, type MemberEvent, type MemberFacts } from './index.ts';

const M = memberId('m1');
const facts: MemberFacts = { regions: chains.community, grid: drawnGrid('g1', 300, { m1: 10 }) };
const spec = DeciderSpecification.for(memberDecider, contextOn(facts));
const registered: MemberEvent[] = [
  {
    type: 'MemberRegistered',
    data: {
      memberId: M,
      name: '李明',
      category: 'in-service',
      communityId: regionId('dongmen'),
      unitId: null,
      registeredOn: day('2020-01-01'),
    },
  },
];
const decide = (events: MemberEvent[], command: Parameters<typeof memberDecider.decide>[0]) => [
  ...events,
  ...(memberDecider.decide(command, spec.given(events).state, contextOn(facts)) as MemberEvent[]),
];

describe('Member: registration and dual reporting (双报到)', () => {
  const register = {
    type: 'RegisterMember' as const,
    memberId: M,
    name: '李明',
    category: 'in-service' as const,
    communityId: regionId('dongmen'),
    registeredOn: day('2020-01-01'),
  };
  const report = {
    type: 'ReportToCommunity' as const,
    memberId: M,
    communityId: regionId('dongmen'),
    reportedOn: day('2021-03-01'),
    role: 'stairwell head',
  };

  it('registers a member living in a community', () => {
    spec.given([]).when(register).then(registered);
  });

  it('rejects a member registered twice or in a region that is not a community', () => {
    spec.given(registered).when(register).thenRejects('MEMBER_ALREADY_REGISTERED');
    spec
      .given([])
      .when(register, { facts: { regions: chains.town } })
      .thenRejects('REGION_LEVEL_MISMATCH');
  });

  it('keeps one active registration per community, with deregistration and its reason', () => {
    const reported = decide(registered, report);
    expect(reported.at(-1)).toMatchObject({
      type: 'MemberReportedToCommunity',
      data: { role: 'stairwell head' },
    });
    spec.given(reported).when(report).thenRejects('ALREADY_REPORTED');
    const deregister = {
      type: 'DeregisterFromCommunity' as const,
      memberId: M,
      communityId: regionId('dongmen'),
      deregisteredOn: day('2022-01-01'),
      reason: 'moved house',
    };
    const deregistered = decide(reported, deregister);
    spec.given(deregistered).when(deregister).thenRejects('NOT_REPORTED');
    spec
      .given(deregistered)
      .when({ ...report, reportedOn: day('2022-02-01') })
      .thenEvents((e) => expect(e).toHaveLength(1));
  });

  it('rejects anything for an unknown member, and reporting to a retired community', () => {
    spec.given([]).when(report).thenRejects('MEMBER_NOT_FOUND');
    spec
      .given(registered)
      .when(report, { facts: { ...facts, regions: chains.retiredCommunity } })
      .thenRejects('REGION_RETIRED');
  });

  it('changes category, not to the same one', () => {
    const change = {
      type: 'ChangeMemberCategory' as const,
      memberId: M,
      category: 'retired' as const,
      changedOn: day('2023-01-01'),
    };
    spec
      .given(registered)
      .when(change)
      .then([
        {
          type: 'MemberCategoryChanged',
          data: { memberId: M, from: 'in-service', to: 'retired', changedOn: day('2023-01-01') },
        },
      ]);
    spec
      .given(registered)
      .when({ ...change, category: 'in-service' })
      .thenRejects('CATEGORY_UNCHANGED');
  });
});

describe('Member: household contacts (党员联系户)', () => {
  const contact = {
    type: 'RecordHouseholdContacts' as const,
    memberId: M,
    gridId: gridId('g1'),
    households: 8,
    contactedOn: day('2022-05-01'),
  };
  it('records visits to households of a grid where the member has contacts', () => {
    spec
      .given(registered)
      .when(contact)
      .thenEvents((e) => expect(e).toMatchObject([{ type: 'HouseholdsContacted', data: { households: 8 } }]));
  });
  it('rejects visits without assigned contacts, in an unknown or retired grid', () => {
    spec
      .given(registered)
      .when(contact, { facts: { ...facts, grid: drawnGrid('g1', 300) } })
      .thenRejects('CONTACT_NOT_ASSIGNED');
    spec
      .given(registered)
      .when(contact, { facts: { regions: chains.community } })
      .thenRejects('GRID_NOT_FOUND');
    const retired = evolveGrid(drawnGrid('g1', 300, { m1: 10 }), {
      type: 'GridCellRetired',
      data: { gridId: gridId('g1'), retiredOn: day('2021-01-01'), reason: 'x' },
    });
    spec
      .given(registered)
      .when(contact, { facts: { ...facts, grid: retired } })
      .thenRejects('GRID_RETIRED');
  });
});

describe('Member: the points ledger (invariant 8)', () => {
  const award = {
    type: 'AwardPoints' as const,
    memberId: M,
    points: 5,
    cause: { kind: 'activity' as const, sourceId: 'evt-1' },
    awardedOn: day('2022-05-01'),
  };
  const deduct = {
    type: 'DeductPoints' as const,
    memberId: M,
    points: 20,
    cause: { kind: 'manual' as const, sourceId: 'decision-9' },
    deductedOn: day('2022-06-01'),
    reason: 'missed duty',
  };

  it('starts the year at the policy base and names the cause of every award', () => {
    spec
      .given(registered)
      .when(award)
      .then([
        {
          type: 'PointsAwarded',
          data: {
            memberId: M,
            year: 2022,
            points: 5,
            cause: { kind: 'activity', sourceId: 'evt-1' },
            awardedOn: day('2022-05-01'),
            balanceAfter: 65,
          },
        },
      ]);
  });

  it('never scores the same cause twice', () => {
    spec.given(decide(registered, award)).when(award).thenRejects('POINTS_CAUSE_ALREADY_SCORED');
  });

  it('floors deductions at zero and refuses when nothing is left', () => {
    const poor = { ...HUITONG_2022, points: { ...HUITONG_2022.points, base: 10 } };
    const poorSpec = DeciderSpecification.for(memberDecider, contextOn(facts, { policy: poor }));
    const events = poorSpec
      .given(registered)
      .when(deduct)
      .thenEvents((e) =>
        expect(e).toMatchObject([
          { type: 'PointsDeducted', data: { points: 10, requested: 20, balanceAfter: 0 } },
        ]),
      );
    poorSpec
      .given([...registered, ...events])
      .when({ ...deduct, cause: { kind: 'manual', sourceId: 'decision-10' } })
      .thenRejects('NOTHING_TO_DEDUCT');
  });

  it('resets the balance each calendar year', () => {
    const lastYear = decide(registered, award);
    spec
      .given(lastYear)
      .when({ ...award, cause: { kind: 'activity', sourceId: 'evt-2' }, awardedOn: day('2023-01-05') })
      .thenEvents((e) => expect(e).toMatchObject([{ data: { year: 2023, balanceAfter: 65 } }]));
  });
});

describe('Member: rating and transfer', () => {
  const rate = {
    type: 'RateMember' as const,
    memberId: M,
    year: 2022,
    rating: 'qualified' as const,
    ratedOn: day('2022-12-20'),
  };

  it('applies Foshan’s rule: an in-service member who never reported is not rated qualified', () => {
    spec.given(registered).when(rate).thenRejects('UNREPORTED_CANNOT_BE_QUALIFIED');
    spec
      .given(registered)
      .when({ ...rate, rating: 'basically-qualified' })
      .thenEvents((e) => expect(e).toHaveLength(1));
    spec
      .given(registered)
      .when(rate, { policy: LIUYANG_2013 })
      .thenEvents((e) => expect(e).toHaveLength(1));
  });

  it('rates once a year', () => {
    const rated = decide(registered, { ...rate, rating: 'basically-qualified' });
    spec
      .given(rated)
      .when({ ...rate, rating: 'basically-qualified' })
      .thenRejects('ALREADY_RATED');
  });

  it('accepts nothing once the member is transferred out', () => {
    const transferred = decide(registered, {
      type: 'TransferMemberOut',
      memberId: M,
      transferredOn: day('2023-03-01'),
      destination: '长沙市',
    });
    expect(transferred.at(-1)).toMatchObject({ type: 'MemberTransferredOut' });
    spec
      .given(transferred)
      .when({
        type: 'AwardPoints',
        memberId: M,
        points: 1,
        cause: { kind: 'manual', sourceId: 'x' },
        awardedOn: day('2023-04-01'),
      })
      .thenRejects('MEMBER_TRANSFERRED_OUT');
  });
});

describe('Member: erasure of personal data (PIPL)', () => {
  const erase = {
    type: 'ErasePersonalData' as const,
    memberId: M,
    legalBasis: '《个人信息保护法》第四十七条：本人申请删除',
    reference: '删除申请 2022-07',
    erasedOn: day('2022-07-01'),
  };
  const erased: MemberEvent = {
    type: 'PersonalDataErased',
    data: {
      memberId: M,
      legalBasis: erase.legalBasis,
      reference: erase.reference,
      erasedOn: erase.erasedOn,
    },
  };

  it('records the erasure with its legal basis, once, and the name reads as erased', () => {
    spec.given(registered).when(erase).then([erased]);
    spec
      .given([...registered, erased])
      .when(erase)
      .thenRejects('PERSONAL_DATA_ERASED');
    const state = spec.given([...registered, erased]).state;
    expect(state.status === 'registered' && state.name).toBe(ERASED);
  });

  it('is owed to a member transferred out too, and refused for a member never registered', () => {
    const out: MemberEvent = {
      type: 'MemberTransferredOut',
      data: { memberId: M, transferredOn: day('2022-03-01'), destination: '长沙市' },
    };
    spec
      .given([...registered, out])
      .when(erase)
      .then([erased]);
    spec.given([]).when(erase).thenRejects('MEMBER_NOT_FOUND');
  });

  it('keeps the points balances: erasure changes no figure', () => {
    const awarded = decide(registered, {
      type: 'AwardPoints',
      memberId: M,
      points: 5,
      cause: { kind: 'manual', sourceId: 'x' },
      awardedOn: day('2022-02-01'),
    });
    const before = spec.given(awarded).state;
    const after = spec.given([...awarded, erased]).state;
    expect(after.status === 'registered' && after.balances).toEqual(
      before.status === 'registered' && before.balances,
    );
  });
});
