import {
  chains,
  committeeId,
  contextOn,
  DeciderSpecification,
  day,
  establishedCommittee,
  memberId,
  pipelineThrough,
  registeredMember,
  registeredUnit,
  steps,
  unitId,
  candidateId,
} from '@cogov/testkit';
import { describe, expect, it } from 'vitest';
import { LIUYANG_2013 } from '../policy/presets.ts';
import { committeeDecider } from './index.ts';
import type { CommitteeFacts } from './rules.ts';

const C = 'dongmen-ppc';
const cand = { committee: C, candidate: 'cand-1', person: 'p1' };
const base = establishedCommittee(C, 'community-party-committee');
const street = establishedCommittee('lincheng-wc', 'subdistrict-working-committee');
const facts: CommitteeFacts = {
  regions: chains.community,
  member: registeredMember('p1'),
  unit: registeredUnit('bank'),
};
const spec = DeciderSpecification.for(committeeDecider, contextOn(facts));
const ids = { committeeId: committeeId(C), candidateId: candidateId('cand-1') };

describe('Committee: nominating a candidate', () => {
  const nominate = {
    type: 'NominateCandidate' as const,
    ...ids,
    personId: memberId('p1'),
    category: 'institution-leader' as const,
    unitId: unitId('bank'),
    nominatedBy: 'unit party committee',
    nominatedOn: day('2022-03-01'),
  };

  it('records a nomination from a unit of the area', () => {
    spec
      .given(base)
      .when(nominate)
      .then([steps.nominated(cand)]);
  });

  it('rejects an unknown committee', () => {
    spec.given([]).when(nominate).thenRejects('COMMITTEE_NOT_FOUND');
  });

  it('rejects a nominee from categories 1 and 2 without a unit', () => {
    const { unitId: _u, ...withoutUnit } = nominate;
    spec.given(base).when(withoutUnit).thenRejects('UNIT_REQUIRED');
  });

  it('accepts an exemplary resident without a unit', () => {
    const { unitId: _u, ...withoutUnit } = nominate;
    spec
      .given(base)
      .when({ ...withoutUnit, category: 'exemplary-resident' })
      .then([steps.nominated({ ...cand, category: 'exemplary-resident', unit: null })]);
  });

  it('rejects a person who is not a registered party member', () => {
    spec
      .given(base)
      .when(nominate, { facts: { ...facts, member: undefined } as never })
      .thenRejects('PERSON_NOT_REGISTERED');
  });

  it('rejects a member transferred out', () => {
    spec
      .given(base)
      .when(nominate, {
        facts: { ...facts, member: registeredMember('p1', { transferredOn: '2021-01-01' }) },
      })
      .thenRejects('MEMBER_TRANSFERRED_OUT');
  });

  it('rejects an unregistered unit', () => {
    spec
      .given(base)
      .when(nominate, { facts: { ...facts, unit: undefined } as never })
      .thenRejects('UNIT_NOT_REGISTERED');
  });

  it('rejects a unit located outside the committee’s area', () => {
    spec
      .given(establishedCommittee(C, 'community-party-committee', { region: 'gaihe' }))
      .when(nominate, {
        facts: { ...facts, regions: chains.otherCommunity },
      })
      .thenRejects('UNIT_OUTSIDE_AREA');
  });

  it('rejects a second candidacy of the same person while one is open', () => {
    spec
      .given([...base, steps.nominated(cand)])
      .when({ ...nominate, candidateId: candidateId('cand-2') })
      .thenRejects('CANDIDACY_IN_PROGRESS');
  });

  it('rejects a reused candidate id', () => {
    spec
      .given([...base, steps.nominated(cand)])
      .when({ ...nominate, personId: memberId('p2') })
      .thenRejects('CANDIDATE_EXISTS');
  });

  it('rejects compound and grid branches, which have no part-time members', () => {
    spec.given(establishedCommittee(C, 'grid-branch')).when(nominate).thenRejects('PART_TIME_NOT_SUPPORTED');
  });

  it('rejects a nomination dated in the future', () => {
    spec
      .given(base)
      .when(nominate, { today: day('2022-02-01') })
      .thenRejects('DATE_IN_FUTURE');
  });

  it('rejects a nomination dated before the committee was established', () => {
    spec
      .given(base)
      .when({ ...nominate, nominatedOn: day('2019-12-31') })
      .thenRejects('DATE_OUT_OF_ORDER');
  });

  it('rejects anything under a retired region', () => {
    spec
      .given(base)
      .when(nominate, { facts: { ...facts, regions: chains.retiredCommunity } })
      .thenRejects('REGION_RETIRED');
    spec
      .given(base)
      .when(nominate, { facts: { ...facts, regions: chains.underRetiredTown } })
      .thenRejects('REGION_RETIRED');
  });
});

describe('Committee: screening, deliberation and approval', () => {
  const nominated = [...base, steps.nominated(cand)];
  const screen = {
    type: 'ScreenCandidate' as const,
    ...ids,
    screenedOn: day('2022-03-05'),
    method: 'mass-evaluation' as const,
    passed: true,
    votesFor: 40,
    votesAgainst: 2,
  };

  it('records a candidate who passed the mass evaluation', () => {
    spec
      .given(nominated)
      .when(screen)
      .then([steps.screened(cand)]);
  });

  it('rejects the candidacy when screening fails', () => {
    spec
      .given(nominated)
      .when({ ...screen, passed: false, note: 'objections from residents' })
      .then([
        {
          type: 'CandidateRejected',
          data: {
            ...ids,
            stage: 'screening',
            rejectedOn: day('2022-03-05'),
            reason: 'objections from residents',
          },
        },
      ]);
  });

  it('rejects a step before its turn', () => {
    spec
      .given(nominated)
      .when({
        type: 'DeliberateCandidate',
        ...ids,
        deliberatedOn: day('2022-03-10'),
        meetingRef: 'm',
        endorsed: true,
      })
      .thenRejects('STAGE_OUT_OF_ORDER', { stage: 'deliberation', expected: 'screening' });
  });

  it('rejects a step the policy does not have', () => {
    spec
      .given(nominated)
      .when(
        {
          type: 'DeliberateCandidate',
          ...ids,
          deliberatedOn: day('2022-03-10'),
          meetingRef: 'm',
          endorsed: true,
        },
        { policy: LIUYANG_2013 },
      )
      .thenRejects('STAGE_NOT_IN_PIPELINE');
  });

  it('rejects a step dated before the previous one', () => {
    spec
      .given(nominated)
      .when({ ...screen, screenedOn: day('2022-02-20') })
      .thenRejects('DATE_OUT_OF_ORDER');
  });

  it('rejects an unknown candidate', () => {
    spec.given(base).when(screen).thenRejects('CANDIDATE_NOT_FOUND');
  });

  it('rejects steps of a closed candidacy', () => {
    spec
      .given([
        ...nominated,
        {
          type: 'CandidateRejected',
          data: { ...ids, stage: 'screening', rejectedOn: day('2022-03-02'), reason: 'x' },
        },
      ])
      .when(screen)
      .thenRejects('CANDIDATE_CLOSED');
  });

  it('records deliberation by the committee, or its refusal', () => {
    const deliberate = {
      type: 'DeliberateCandidate' as const,
      ...ids,
      deliberatedOn: day('2022-03-10'),
      meetingRef: '党委会 2022-3',
      endorsed: true,
    };
    const screened = [...nominated, steps.screened(cand)];
    spec
      .given(screened)
      .when(deliberate)
      .then([steps.deliberated(cand)]);
    spec
      .given(screened)
      .when({ ...deliberate, endorsed: false })
      .thenEvents((events) =>
        expect(events).toMatchObject([{ type: 'CandidateRejected', data: { stage: 'deliberation' } }]),
      );
  });

  describe('approval', () => {
    const deliberated = [...base, ...pipelineThrough(cand, 'deliberation')];
    const approve = {
      type: 'ApproveCandidate' as const,
      ...ids,
      approvedOn: day('2022-03-15'),
      authority: 'subdistrict-committee' as const,
      approvalRef: '林工委批〔2022〕7号',
      filedWith: 'county-organisation-department' as const,
    };

    it('records the subdistrict committee’s approval of a community-level member, filed with the organisation department', () => {
      spec
        .given(deliberated)
        .when(approve)
        .then([steps.approved(cand)]);
    });

    it('rejects approval by the wrong authority for the level', () => {
      spec
        .given(deliberated)
        .when({ ...approve, authority: 'county-organisation-department' })
        .thenRejects('WRONG_APPROVAL_AUTHORITY');
    });

    it('rejects a community-level approval that is not filed with the organisation department', () => {
      const { filedWith: _f, ...unfiled } = approve;
      spec.given(deliberated).when(unfiled).thenRejects('FILING_REQUIRED');
    });

    it('requires the organisation department for a subdistrict working committee, reported to the standing committee', () => {
      const streetCand = { ...cand, committee: 'lincheng-wc' };
      const events = pipelineThrough(streetCand, 'deliberation', 'subdistrict');
      const streetSpec = DeciderSpecification.for(
        committeeDecider,
        contextOn({ ...facts, regions: chains.town }),
      );
      const command = {
        ...approve,
        committeeId: committeeId('lincheng-wc'),
        authority: 'county-organisation-department' as const,
      };
      streetSpec
        .given([...street, ...events])
        .when(command)
        .then([steps.approved(streetCand, 'subdistrict')]);
      streetSpec
        .given([...street, ...events])
        .when({ ...command, authority: 'subdistrict-committee' })
        .thenRejects('WRONG_APPROVAL_AUTHORITY');
    });

    it('lets any open candidacy be turned down at its current step', () => {
      spec
        .given(deliberated)
        .when({
          type: 'RejectCandidate',
          ...ids,
          rejectedOn: day('2022-03-12'),
          reason: 'declined by the department',
        })
        .then([
          {
            type: 'CandidateRejected',
            data: {
              ...ids,
              stage: 'approval',
              rejectedOn: day('2022-03-12'),
              reason: 'declined by the department',
            },
          },
        ]);
    });
  });
});

describe('Committee: publicity', () => {
  const approved = [...base, ...pipelineThrough(cand, 'approval')];
  const inPublicity = [...base, ...pipelineThrough(cand, 'publicity')];

  it('computes the end of a five-working-day publicity period', () => {
    spec
      .given(approved)
      .when({ type: 'StartPublicity', ...ids, startsOn: day('2022-03-21') })
      .then([steps.publicity(cand)]);
  });

  it('skips weekends, public holidays and counts adjusted working weekends (调休)', () => {
    // 2022-09-30 (Fri) then National Day 1–7 October; 8 and 9 October are working weekends.
    spec
      .given(approved)
      .when({ type: 'StartPublicity', ...ids, startsOn: day('2022-09-29') })
      .thenEvents((events) => expect(events[0]?.data).toMatchObject({ endsOn: '2022-10-10' }));
  });

  it('rejects starting publicity twice or out of turn', () => {
    spec
      .given(inPublicity)
      .when({ type: 'StartPublicity', ...ids, startsOn: day('2022-03-28') })
      .thenRejects('PUBLICITY_ALREADY_STARTED');
    spec
      .given([...base, ...pipelineThrough(cand, 'deliberation')])
      .when({ type: 'StartPublicity', ...ids, startsOn: day('2022-03-21') })
      .thenRejects('STAGE_OUT_OF_ORDER');
  });

  const objection = {
    type: 'RaiseObjection' as const,
    ...ids,
    objectionId: 'obj-1' as never,
    raisedOn: day('2022-03-23'),
    summary: 'conflict of interest',
  };

  it('records an objection raised during the period', () => {
    spec
      .given(inPublicity)
      .when(objection)
      .thenEvents((events) =>
        expect(events).toMatchObject([{ type: 'PublicityObjectionRaised', data: { objectionId: 'obj-1' } }]),
      );
  });

  it('rejects an objection outside the period, a duplicate, or before publicity', () => {
    spec
      .given(inPublicity)
      .when({ ...objection, raisedOn: day('2022-03-26') })
      .thenRejects('OBJECTION_OUTSIDE_PUBLICITY');
    spec.given(approved).when(objection).thenRejects('PUBLICITY_NOT_STARTED');
    const raised = committeeDecider.decide(objection, spec.given(inPublicity).state, contextOn(facts));
    spec
      .given([...inPublicity, ...(raised as never[])])
      .when(objection)
      .thenRejects('OBJECTION_EXISTS');
  });

  it('rejects the candidacy when an objection before appointment is upheld', () => {
    const raised = committeeDecider.decide(
      objection,
      spec.given(inPublicity).state,
      contextOn(facts),
    ) as never[];
    spec
      .given([...inPublicity, ...raised])
      .when({
        type: 'ResolveObjection',
        ...ids,
        objectionId: 'obj-1' as never,
        resolvedOn: day('2022-03-24'),
        upheld: true,
        finding: 'substantiated',
      })
      .thenEvents((events) =>
        expect(events.map((e) => e.type)).toEqual(['PublicityObjectionResolved', 'CandidateRejected']),
      );
  });

  it('rejects resolving an unknown objection', () => {
    spec
      .given(inPublicity)
      .when({
        type: 'ResolveObjection',
        ...ids,
        objectionId: 'nope' as never,
        resolvedOn: day('2022-03-24'),
        upheld: false,
        finding: 'x',
      })
      .thenRejects('OBJECTION_NOT_FOUND');
  });
});

describe('Committee: appointing a part-time member (invariant 1)', () => {
  const appoint = {
    type: 'AppointMember' as const,
    ...ids,
    appointedOn: day('2022-03-28'),
    certificateNo: '聘-cand-1',
  };
  const ready = [...base, ...pipelineThrough(cand, 'publicity')];

  it('appoints after every step, to the end of the committee’s term (community level)', () => {
    spec
      .given(ready)
      .when(appoint)
      .then([steps.appointed(cand)]);
  });

  it('rejects an appointment before the publicity period has ended', () => {
    spec
      .given(ready)
      .when({ ...appoint, appointedOn: day('2022-03-25') })
      .thenRejects('PUBLICITY_NOT_COMPLETED');
  });

  it('rejects an appointment while an objection is unresolved', () => {
    const raised = committeeDecider.decide(
      {
        type: 'RaiseObjection',
        ...ids,
        objectionId: 'obj-1' as never,
        raisedOn: day('2022-03-23'),
        summary: 'x',
      },
      spec.given(ready).state,
      contextOn(facts),
    ) as never[];
    spec
      .given([...ready, ...raised])
      .when(appoint)
      .thenRejects('OBJECTION_UNRESOLVED');
  });

  it('rejects an appointment without approval', () => {
    spec
      .given([...base, ...pipelineThrough(cand, 'deliberation')])
      .when(appoint)
      .thenRejects('STAGE_OUT_OF_ORDER');
  });

  it('rejects an appointment when publicity is required first but was skipped', () => {
    spec
      .given([...base, ...pipelineThrough(cand, 'approval')])
      .when(appoint)
      .thenRejects('STAGE_OUT_OF_ORDER');
  });

  it('appoints before publicity under the liuyang-2013 order, then publicity follows', () => {
    const liuyang = DeciderSpecification.for(committeeDecider, contextOn(facts, { policy: LIUYANG_2013 }));
    const events = [
      ...establishedCommittee(C, 'community-party-committee', { termYears: 3 }),
      steps.nominated(cand),
      steps.screened(cand),
      steps.approved(cand),
    ];
    const state = liuyang
      .given(events)
      .when(appoint)
      .thenEvents((e) =>
        expect(e).toMatchObject([{ type: 'MemberAppointed', data: { termEndsOn: '2022-12-31' } }]),
      );
    liuyang
      .given([...events, ...state])
      .when({ type: 'StartPublicity', ...ids, startsOn: day('2022-03-29') })
      .thenEvents((e) => expect(e).toMatchObject([{ type: 'PublicityStarted' }]));
  });

  it('dismisses a member when an objection after appointment is upheld', () => {
    const liuyang = DeciderSpecification.for(committeeDecider, contextOn(facts, { policy: LIUYANG_2013 }));
    const events = [
      ...establishedCommittee(C, 'community-party-committee', { termYears: 3 }),
      steps.nominated(cand),
      steps.screened(cand),
      steps.approved(cand),
      steps.appointed(cand, { termEndsOn: '2022-12-31' }),
      steps.publicity(cand, '2022-03-29', '2022-04-06'),
      {
        type: 'PublicityObjectionRaised' as const,
        data: { ...ids, objectionId: 'obj-1' as never, raisedOn: day('2022-03-30'), summary: 'x' },
      },
    ];
    liuyang
      .given(events)
      .when({
        type: 'ResolveObjection',
        ...ids,
        objectionId: 'obj-1' as never,
        resolvedOn: day('2022-04-02'),
        upheld: true,
        finding: 'upheld',
      })
      .thenEvents((e) =>
        expect(e).toMatchObject([
          { type: 'PublicityObjectionResolved' },
          {
            type: 'MemberDismissed',
            data: { reason: 'publicity-objection-upheld', effectiveOn: '2022-04-02' },
          },
        ]),
      );
  });

  it('rejects an appointment with no current term', () => {
    const noTerm = [
      base[0]!,
      steps.nominated(cand),
      steps.screened(cand),
      steps.deliberated(cand),
      steps.approved(cand),
      steps.publicity(cand),
    ];
    spec.given(noTerm).when(appoint).thenRejects('NO_CURRENT_TERM');
  });

  it('rejects a term end other than the committee’s for a community-level member', () => {
    spec
      .given(ready)
      .when({ ...appoint, termEndsOn: day('2025-06-30') })
      .thenRejects('TERM_TOO_LONG');
  });

  it('gives a subdistrict-level member three years at most (invariant 3)', () => {
    const streetCand = { ...cand, committee: 'lincheng-wc' };
    const streetSpec = DeciderSpecification.for(
      committeeDecider,
      contextOn({ ...facts, regions: chains.town }),
    );
    const events = [...street, ...pipelineThrough(streetCand, 'publicity', 'subdistrict')];
    const command = { ...appoint, committeeId: committeeId('lincheng-wc') };
    streetSpec
      .given(events)
      .when(command)
      .thenEvents((e) =>
        expect(e[0]?.data).toMatchObject({ termEndsOn: '2025-03-27', level: 'subdistrict' }),
      );
    streetSpec
      .given(events)
      .when({ ...command, termEndsOn: day('2025-03-28') })
      .thenRejects('TERM_TOO_LONG');
  });

  it('rejects a second seat for a person already sitting (invariant 2)', () => {
    const cand2 = { committee: C, candidate: 'cand-2', person: 'p1' };
    spec
      .given([...ready, steps.appointed(cand), ...pipelineThrough(cand2, 'publicity')])
      .when({ ...appoint, candidateId: candidateId('cand-2') })
      .thenRejects('SEAT_OVERLAP');
  });

  it('rejects an appointment above the policy’s hard cap, and flags one above the guideline', () => {
    const others = ['a', 'b', 'c', 'd', 'e'].map((x) =>
      steps.appointed({ committee: C, candidate: `cand-${x}`, person: `p-${x}` }, { on: '2022-03-01' }),
    );
    const capped = { ...contextOn(facts).policy, partTime: { ...contextOn(facts).policy.partTime, cap: 5 } };
    spec
      .given([...ready, ...others])
      .when(appoint, { policy: capped })
      .thenRejects('PART_TIME_CAP_REACHED', { cap: 5, sitting: 5 });
    spec
      .given([...ready, ...others])
      .when(appoint)
      .thenEvents((e) => expect(e[0]?.data).toMatchObject({ aboveGuideline: true }));
  });

  it('rejects appointing a person transferred out since the nomination', () => {
    spec
      .given(ready)
      .when(appoint, { facts: { ...facts, member: registeredMember('p1', { transferredOn: '2022-03-20' }) } })
      .thenRejects('MEMBER_TRANSFERRED_OUT');
  });
});
