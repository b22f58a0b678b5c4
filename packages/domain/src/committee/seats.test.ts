import {
  candidateId,
  chains,
  committeeId,
  contextOn,
  DeciderSpecification,
  day,
  establishedCommittee,
  registeredMember,
  steps,
  unitId,
} from '@cogov/testkit';
import { describe, expect, it } from 'vitest';
import { committeeDecider } from './index.ts';
import type { CommitteeFacts } from './rules.ts';

const C = 'dongmen-ppc';
const W = 'lincheng-wc';
const facts: CommitteeFacts = { regions: chains.community, member: registeredMember('p1') };
const spec = DeciderSpecification.for(committeeDecider, contextOn(facts));
const streetSpec = DeciderSpecification.for(committeeDecider, contextOn({ ...facts, regions: chains.town }));
const cand = { committee: C, candidate: 'cand-1', person: 'p1' };
const streetCand = { committee: W, candidate: 'cand-1', person: 'p1' };
const sitting = [...establishedCommittee(C, 'community-party-committee'), steps.appointed(cand)];
const streetSitting = [
  ...establishedCommittee(W, 'subdistrict-working-committee'),
  steps.appointed(streetCand, { level: 'subdistrict', on: '2022-03-28', termEndsOn: '2025-03-27' }),
];
const ids = { committeeId: committeeId(C), candidateId: candidateId('cand-1') };
const streetIds = { committeeId: committeeId(W), candidateId: candidateId('cand-1') };
const exited = (effectiveOn: string) => [
  ...sitting,
  {
    type: 'MemberTermExpired' as const,
    data: { ...ids, personId: 'p1' as never, effectiveOn: day(effectiveOn), termEndsOn: day('2024-12-31') },
  },
];

describe('Committee: duties (四大员)', () => {
  const assign = {
    type: 'AssignDuties' as const,
    ...ids,
    duties: ['policy-advocate' as const, 'opinion-collector' as const],
    assignedOn: day('2022-04-01'),
  };

  it('assigns duties to a sitting member', () => {
    spec
      .given(sitting)
      .when(assign)
      .thenEvents((e) =>
        expect(e).toMatchObject([
          { type: 'DutiesAssigned', data: { duties: ['policy-advocate', 'opinion-collector'] } },
        ]),
      );
  });

  it('rejects repeated duties, a date outside the seat, a member never appointed', () => {
    spec
      .given(sitting)
      .when({ ...assign, duties: ['policy-advocate', 'policy-advocate'] })
      .thenRejects('DUTIES_INVALID');
    spec
      .given(sitting)
      .when({ ...assign, assignedOn: day('2022-03-01') })
      .thenRejects('SEAT_NOT_SITTING');
    spec
      .given(establishedCommittee(C, 'community-party-committee'))
      .when(assign)
      .thenRejects('SEAT_NOT_SITTING');
  });
});

describe('Committee: renewal (续聘) of a subdistrict-level member', () => {
  const renew = {
    type: 'RenewMember' as const,
    ...streetIds,
    renewedOn: day('2025-03-01'),
    approvalRef: '会组〔2025〕9号',
  };

  it('renews for up to another three years with the superior’s approval', () => {
    streetSpec
      .given(streetSitting)
      .when(renew)
      .thenEvents((e) =>
        expect(e).toMatchObject([
          { type: 'MemberRenewed', data: { previousTermEndsOn: '2025-03-27', termEndsOn: '2028-03-27' } },
        ]),
      );
  });

  it('rejects a renewal without approval, too long, not longer, or by a member not sitting', () => {
    const { approvalRef: _a, ...unapproved } = renew;
    streetSpec.given(streetSitting).when(unapproved).thenRejects('RENEWAL_APPROVAL_REQUIRED');
    streetSpec
      .given(streetSitting)
      .when({ ...renew, termEndsOn: day('2028-03-28') })
      .thenRejects('TERM_TOO_LONG');
    streetSpec
      .given(streetSitting)
      .when({ ...renew, termEndsOn: day('2025-03-27') })
      .thenRejects('RENEWAL_NOT_LONGER');
    streetSpec
      .given(streetSitting)
      .when({ ...renew, renewedOn: day('2025-04-01') })
      .thenRejects('SEAT_NOT_SITTING');
  });

  it('leaves community-level members to the new term', () => {
    spec
      .given(sitting)
      .when({ ...renew, ...ids })
      .thenRejects('RENEWAL_NOT_APPLICABLE');
  });
});

describe('Committee: exits (invariant 4)', () => {
  const dismiss = {
    type: 'DismissMember' as const,
    ...ids,
    effectiveOn: day('2023-05-01'),
    reason: 'neglect-of-duty' as const,
    decisionRef: '东党〔2023〕4号',
    filedWith: 'subdistrict-committee' as const,
  };

  it('dismisses a sitting member, filed with the superior', () => {
    spec
      .given(sitting)
      .when(dismiss)
      .thenEvents((e) =>
        expect(e).toMatchObject([
          { type: 'MemberDismissed', data: { effectiveOn: '2023-05-01', personId: 'p1' } },
        ]),
      );
  });

  it('rejects a dismissal not filed with the superior, outside the seat, or after the member exited', () => {
    spec
      .given(sitting)
      .when({ ...dismiss, filedWith: 'county-organisation-department' })
      .thenRejects('FILING_REQUIRED');
    spec
      .given(sitting)
      .when({ ...dismiss, effectiveOn: day('2022-03-28') })
      .thenRejects('EXIT_OUTSIDE_SEAT');
    spec
      .given(sitting)
      .when({ ...dismiss, effectiveOn: day('2025-01-02') })
      .thenRejects('EXIT_OUTSIDE_SEAT');
    spec.given(exited('2024-01-01')).when(dismiss).thenRejects('SEAT_NOT_SITTING');
  });

  const withdrawal = {
    type: 'RecordWithdrawal' as const,
    ...ids,
    effectiveOn: day('2023-08-01'),
    reason: 'transferred to another city',
    notice: {
      issuedBy: 'bank party committee',
      unitId: unitId('bank'),
      notifiedOn: day('2023-07-20'),
      documentRef: '行党〔2023〕12号',
    },
  };

  it('records a withdrawal notified in writing by the member’s own unit', () => {
    spec
      .given(sitting)
      .when(withdrawal)
      .thenEvents((e) =>
        expect(e).toMatchObject([{ type: 'MemberWithdrew', data: { notice: { unitId: 'bank' } } }]),
      );
  });

  it('rejects a notice from another unit or dated after the withdrawal', () => {
    spec
      .given(sitting)
      .when({ ...withdrawal, notice: { ...withdrawal.notice, unitId: unitId('school') } })
      .thenRejects('NOTICE_FROM_WRONG_UNIT');
    spec
      .given(sitting)
      .when({ ...withdrawal, notice: { ...withdrawal.notice, notifiedOn: day('2023-08-02') } })
      .thenRejects('DATE_OUT_OF_ORDER');
  });

  it('records expiry once the term has run out, not before', () => {
    spec
      .given(sitting)
      .when({ type: 'ExpireMemberTerm', ...ids })
      .thenEvents((e) =>
        expect(e).toMatchObject([
          { type: 'MemberTermExpired', data: { effectiveOn: '2025-01-01', termEndsOn: '2024-12-31' } },
        ]),
      );
    spec
      .given(sitting)
      .when({ type: 'ExpireMemberTerm', ...ids }, { today: day('2024-06-01') })
      .thenRejects('TERM_NOT_ENDED');
    spec
      .given(exited('2025-01-01'))
      .when({ type: 'ExpireMemberTerm', ...ids })
      .thenRejects('SEAT_NOT_SITTING');
  });

  it('rejects an exit dated in the future', () => {
    spec
      .given(sitting)
      .when(dismiss, { today: day('2023-04-01') })
      .thenRejects('DATE_IN_FUTURE');
  });
});

describe('Committee: evaluation (述职评议)', () => {
  const evaluate = {
    type: 'EvaluateMember' as const,
    ...ids,
    year: 2022,
    grade: 'excellent' as const,
    evaluatedOn: day('2022-12-20'),
    method: 'mass-evaluation-and-performance' as const,
  };

  it('grades a sitting member once a year', () => {
    spec
      .given(sitting)
      .when(evaluate)
      .thenEvents((e) =>
        expect(e).toMatchObject([{ type: 'MemberEvaluated', data: { grade: 'excellent', year: 2022 } }]),
      );
    const evaluated = committeeDecider.decide(
      evaluate,
      spec.given(sitting).state,
      contextOn(facts),
    ) as never[];
    spec
      .given([...sitting, ...evaluated])
      .when(evaluate)
      .thenRejects('ALREADY_EVALUATED');
  });

  it('rejects grading after exit or for a year before the seat', () => {
    spec.given(exited('2022-10-01')).when(evaluate).thenRejects('SEAT_NOT_SITTING');
    spec
      .given(sitting)
      .when({ ...evaluate, year: 2021 })
      .thenRejects('DATE_OUT_OF_ORDER');
  });
});
