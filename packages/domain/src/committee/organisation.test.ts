import {
  chains,
  committeeId,
  contextOn,
  DeciderSpecification,
  day,
  establishedCommittee,
  memberId,
  regionId,
  registeredMember,
  steps,
  candidateId,
} from '@cogov/testkit';
import { describe, expect, it } from 'vitest';
import { committeeDecider } from './index.ts';
import type { CommitteeFacts } from './rules.ts';

const C = 'dongmen-ppc';
const facts: CommitteeFacts = { regions: chains.community, member: registeredMember('p1') };
const spec = DeciderSpecification.for(committeeDecider, contextOn(facts));
const base = establishedCommittee(C, 'community-party-committee');

describe('Committee: establishing and upgrading', () => {
  const establish = {
    type: 'EstablishCommittee' as const,
    committeeId: committeeId(C),
    kind: 'community-general-branch' as const,
    regionId: regionId('dongmen'),
    name: '东门社区党总支',
    establishedOn: day('2020-01-01'),
  };

  it('establishes a community organisation in a community', () => {
    const { type: _t, ...data } = establish;
    spec
      .given([])
      .when(establish)
      .then([{ type: 'CommitteeEstablished', data: { ...data, level: 'community' } }]);
  });

  it('rejects a region of the wrong level for the kind', () => {
    spec
      .given([])
      .when({ ...establish, kind: 'subdistrict-working-committee' })
      .thenRejects('REGION_LEVEL_MISMATCH');
  });

  it('rejects an id in use, a missing or retired region', () => {
    spec.given(base).when(establish).thenRejects('COMMITTEE_ALREADY_ESTABLISHED');
    spec
      .given([])
      .when(establish, { facts: { regions: [] } })
      .thenRejects('REGION_NOT_FOUND');
    spec
      .given([])
      .when(establish, { facts: { regions: chains.retiredCommunity } })
      .thenRejects('REGION_RETIRED');
  });

  it('upgrades (升格) a general branch to a party committee, and nothing else', () => {
    const branch = establishedCommittee(C, 'community-general-branch');
    const upgrade = {
      type: 'UpgradeCommittee' as const,
      committeeId: committeeId(C),
      toKind: 'community-party-committee' as const,
      upgradedOn: day('2022-05-01'),
      approvalRef: '会组〔2022〕3号',
    };
    spec
      .given(branch)
      .when(upgrade)
      .then([
        {
          type: 'CommitteeUpgraded',
          data: {
            committeeId: committeeId(C),
            fromKind: 'community-general-branch',
            toKind: 'community-party-committee',
            upgradedOn: day('2022-05-01'),
            approvalRef: '会组〔2022〕3号',
          },
        },
      ]);
    spec.given(base).when(upgrade).thenRejects('UPGRADE_NOT_ALLOWED');
    spec
      .given(branch)
      .when({ ...upgrade, toKind: 'grid-branch' })
      .thenRejects('UPGRADE_NOT_ALLOWED');
  });
});

describe('Committee: terms', () => {
  const start = {
    type: 'StartTerm' as const,
    committeeId: committeeId(C),
    termNumber: 2,
    startsOn: day('2025-01-01'),
    renewals: [],
  };

  it('starts the next term for the policy’s five years', () => {
    spec
      .given(base)
      .when(start)
      .then([
        {
          type: 'TermStarted',
          data: {
            committeeId: committeeId(C),
            termNumber: 2,
            startsOn: day('2025-01-01'),
            endsOn: day('2029-12-31'),
          },
        },
      ]);
  });

  it('makes the previous term past: members not continuing expire, those renewed continue, officers are relieved', () => {
    const a = { committee: C, candidate: 'cand-a', person: 'pa' };
    const b = { committee: C, candidate: 'cand-b', person: 'pb' };
    const given = [
      ...base,
      {
        type: 'OfficerAssigned' as const,
        data: {
          committeeId: committeeId(C),
          personId: memberId('sec'),
          role: 'secretary' as const,
          effectiveOn: day('2020-01-01'),
        },
      },
      steps.appointed(a),
      steps.appointed(b),
    ];
    spec
      .given(given)
      .when({ ...start, renewals: [candidateId('cand-b')], renewalApprovalRef: '林工委〔2025〕1号' })
      .thenEvents((events) =>
        expect(events).toMatchObject([
          { type: 'TermStarted' },
          { type: 'OfficerRelieved', data: { personId: 'sec', effectiveOn: '2025-01-01' } },
          {
            type: 'MemberTermExpired',
            data: { candidateId: 'cand-a', effectiveOn: '2025-01-01', termEndsOn: '2024-12-31' },
          },
          {
            type: 'MemberRenewed',
            data: { candidateId: 'cand-b', renewedOn: '2025-01-01', termEndsOn: '2029-12-31' },
          },
        ]),
      );
  });

  it('rejects a wrong number, an earlier start, an over-long term', () => {
    spec
      .given(base)
      .when({ ...start, termNumber: 3 })
      .thenRejects('TERM_NUMBER_MISMATCH');
    spec
      .given(base)
      .when({ ...start, startsOn: day('2019-06-01') })
      .thenRejects('DATE_OUT_OF_ORDER');
    spec
      .given([
        ...base,
        {
          type: 'TermStarted',
          data: {
            committeeId: committeeId(C),
            termNumber: 2,
            startsOn: day('2023-01-01'),
            endsOn: day('2027-12-31'),
          },
        },
      ])
      .when({ ...start, termNumber: 3, startsOn: day('2022-06-01') })
      .thenRejects('TERM_NOT_AFTER_PREVIOUS');
    spec
      .given(base)
      .when({ ...start, endsOn: day('2030-06-30') })
      .thenRejects('TERM_TOO_LONG');
  });

  it('rejects renewing a seat that is not sitting, or without approval', () => {
    spec
      .given(base)
      .when({ ...start, renewals: [candidateId('ghost')], renewalApprovalRef: 'x' })
      .thenRejects('RENEWAL_NOT_SITTING');
    const a = { committee: C, candidate: 'cand-a', person: 'pa' };
    spec
      .given([...base, steps.appointed(a)])
      .when({ ...start, renewals: [candidateId('cand-a')] })
      .thenRejects('RENEWAL_APPROVAL_REQUIRED');
  });

  it('rejects renewals into a subdistrict committee’s term', () => {
    const street = DeciderSpecification.for(committeeDecider, contextOn({ ...facts, regions: chains.town }));
    street
      .given(establishedCommittee('wc', 'subdistrict-working-committee'))
      .when({
        ...start,
        committeeId: committeeId('wc'),
        renewals: [candidateId('x')],
        renewalApprovalRef: 'x',
      })
      .thenRejects('RENEWAL_NOT_APPLICABLE');
  });
});

describe('Committee: officers', () => {
  const assign = {
    type: 'AssignOfficer' as const,
    committeeId: committeeId(C),
    personId: memberId('p1'),
    role: 'secretary' as const,
    effectiveOn: day('2021-01-01'),
  };

  it('assigns an officer within the current term', () => {
    spec
      .given(base)
      .when(assign)
      .then([
        {
          type: 'OfficerAssigned',
          data: {
            committeeId: committeeId(C),
            personId: memberId('p1'),
            role: 'secretary',
            effectiveOn: day('2021-01-01'),
          },
        },
      ]);
  });

  it('rejects a filled single role, a second seat, no term, an unregistered person', () => {
    const held = [
      ...base,
      {
        type: 'OfficerAssigned' as const,
        data: {
          committeeId: committeeId(C),
          personId: memberId('p2'),
          role: 'secretary' as const,
          effectiveOn: day('2020-06-01'),
        },
      },
    ];
    spec.given(held).when(assign).thenRejects('OFFICER_ROLE_FILLED');
    spec
      .given([
        ...base,
        steps.appointed({ committee: C, candidate: 'c1', person: 'p1' }, { on: '2020-06-01' }),
      ])
      .when(assign)
      .thenRejects('SEAT_OVERLAP');
    spec.given([base[0]!]).when(assign).thenRejects('NO_CURRENT_TERM');
    spec
      .given(base)
      .when(assign, { facts: { regions: chains.community } })
      .thenRejects('PERSON_NOT_REGISTERED');
  });

  it('relieves an officer, and rejects relieving one who holds no such seat or on the day they started', () => {
    const { type: _t, ...data } = assign;
    const held = [...base, { type: 'OfficerAssigned' as const, data }];
    const relieve = {
      type: 'RelieveOfficer' as const,
      committeeId: committeeId(C),
      personId: memberId('p1'),
      role: 'secretary' as const,
      effectiveOn: day('2022-01-01'),
      reason: 'transferred',
    };
    spec
      .given(held)
      .when(relieve)
      .thenEvents((e) => expect(e).toMatchObject([{ type: 'OfficerRelieved' }]));
    spec.given(base).when(relieve).thenRejects('OFFICER_NOT_SITTING');
    spec
      .given(held)
      .when({ ...relieve, effectiveOn: day('2021-01-01') })
      .thenRejects('EXIT_OUTSIDE_SEAT');
  });
});

describe('Committee: dissolution (invariant 9)', () => {
  const dissolve = {
    type: 'DissolveCommittee' as const,
    committeeId: committeeId(C),
    dissolvedOn: day('2023-06-30'),
    reason: 'merged into 改河社区',
  };
  const dissolved = [
    ...base,
    {
      type: 'CommitteeDissolved' as const,
      data: { committeeId: committeeId(C), dissolvedOn: day('2023-06-30'), reason: 'merged' },
    },
  ];

  it('dissolves the committee', () => {
    spec
      .given(base)
      .when(dissolve)
      .then([
        {
          type: 'CommitteeDissolved',
          data: {
            committeeId: committeeId(C),
            dissolvedOn: day('2023-06-30'),
            reason: 'merged into 改河社区',
          },
        },
      ]);
  });

  it('accepts nothing after dissolution', () => {
    spec.given(dissolved).when(dissolve).thenRejects('COMMITTEE_DISSOLVED');
    spec
      .given(dissolved)
      .when({
        type: 'StartTerm',
        committeeId: committeeId(C),
        termNumber: 2,
        startsOn: day('2024-01-01'),
        renewals: [],
      })
      .thenRejects('COMMITTEE_DISSOLVED');
    spec
      .given(dissolved)
      .when({
        type: 'AssignOfficer',
        committeeId: committeeId(C),
        personId: memberId('p1'),
        role: 'deputy-secretary',
        effectiveOn: day('2023-07-01'),
      })
      .thenRejects('COMMITTEE_DISSOLVED');
  });
});
