import {
  chains,
  contextOn,
  DeciderSpecification,
  day,
  memberId,
  registeredMember,
  registeredUnit,
  regionId,
  unitId,
} from '@cogov/testkit';
import { describe, expect, it } from 'vitest';
import { ClaimId, ProjectId } from '../shared/ids.ts';
import { projectDecider, type ProjectEvent, type ProjectFacts } from './index.ts';

const P = ProjectId.parse('need-1');
const facts: ProjectFacts = {
  regions: chains.community,
  unit: registeredUnit('bank', [{ community: 'dongmen', from: '2021-01-01' }]),
  member: registeredMember('m1'),
};
const spec = DeciderSpecification.for(projectDecider, contextOn(facts));
const play = (events: ProjectEvent[], ...commands: Parameters<typeof projectDecider.decide>[0][]) => {
  let all = events;
  for (const c of commands)
    all = [...all, ...(projectDecider.decide(c, spec.given(all).state, contextOn(facts)) as ProjectEvent[])];
  return all;
};
const listed: ProjectEvent[] = [
  {
    type: 'NeedListed',
    data: {
      projectId: P,
      communityId: regionId('dongmen'),
      gridId: null,
      title: '老年食堂',
      category: 'elderly-care',
      listedBy: 'community',
      listedOn: day('2022-03-01'),
    },
  },
];
const agree = {
  type: 'AgreeProject' as const,
  projectId: P,
  agreedOn: day('2022-03-10'),
  listId: 'bank-2022',
  resourceIds: [],
};
const dispatch = {
  type: 'DispatchProject' as const,
  projectId: P,
  unitId: unitId('bank'),
  dispatchedOn: day('2022-03-12'),
};
const claim = {
  type: 'ClaimProject' as const,
  projectId: P,
  claimId: ClaimId.parse('claim-1'),
  claimant: { kind: 'unit' as const, unitId: unitId('bank') },
  claimedOn: day('2022-03-13'),
};

describe('ServiceProject: lists (清单) and dispatch', () => {
  it('lists a need in a community', () => {
    spec
      .given([])
      .when({
        type: 'ListNeed',
        projectId: P,
        communityId: regionId('dongmen'),
        title: '老年食堂',
        category: 'elderly-care',
        listedBy: 'community',
        listedOn: day('2022-03-01'),
      })
      .then(listed);
    spec
      .given(listed)
      .when({
        type: 'ListNeed',
        projectId: P,
        communityId: regionId('dongmen'),
        title: 'x',
        category: 'other',
        listedBy: 'resident',
        listedOn: day('2022-03-01'),
      })
      .thenRejects('PROJECT_EXISTS');
    spec
      .given([])
      .when(
        {
          type: 'ListNeed',
          projectId: P,
          communityId: regionId('lincheng'),
          title: 'x',
          category: 'other',
          listedBy: 'resident',
          listedOn: day('2022-03-01'),
        },
        { facts: { ...facts, regions: chains.town } },
      )
      .thenRejects('REGION_LEVEL_MISMATCH');
  });

  it('agrees a need as a project on a list, then dispatches it to a paired unit', () => {
    spec
      .given(listed)
      .when(agree)
      .thenEvents((e) =>
        expect(e[0]).toMatchObject({ type: 'ProjectAgreed', data: { listId: 'bank-2022' } }),
      );
    spec.given(listed).when(dispatch).thenRejects('PROJECT_NOT_AGREED');
    spec
      .given(play(listed, agree))
      .when(dispatch)
      .thenEvents((e) => expect(e).toHaveLength(1));
    spec
      .given(play(listed, agree))
      .when({ ...dispatch, unitId: unitId('ghost') }, { facts: { ...facts, unit: undefined } as never })
      .thenRejects('UNIT_NOT_REGISTERED');
    spec
      .given(play(listed, agree))
      .when(dispatch, { facts: { ...facts, unit: registeredUnit('bank') } })
      .thenRejects('NOT_PAIRED');
  });

  it('rejects agreeing a micro-wish or agreeing twice', () => {
    spec.given(play(listed, agree)).when(agree).thenRejects('PROJECT_CLOSED');
  });
});

describe('ServiceProject: claims (at most one active, cancellable)', () => {
  const dispatched = play(listed, agree, dispatch);

  it('lets the dispatched unit claim, once at a time', () => {
    spec
      .given(dispatched)
      .when(claim)
      .thenEvents((e) => expect(e).toHaveLength(1));
    spec
      .given(play(dispatched, claim))
      .when({ ...claim, claimId: ClaimId.parse('claim-2') })
      .thenRejects('ALREADY_CLAIMED');
  });

  it('rejects a claim by another unit than the one dispatched to', () => {
    spec
      .given(dispatched)
      .when({ ...claim, claimant: { kind: 'unit', unitId: unitId('school') } })
      .thenRejects('CLAIMANT_NOT_ELIGIBLE');
  });

  it('cancels the active claim, freeing the item; a claim id is not reused', () => {
    const cancel = {
      type: 'CancelClaim' as const,
      projectId: P,
      claimId: ClaimId.parse('claim-1'),
      cancelledOn: day('2022-03-20'),
      reason: 'no budget',
    };
    const cancelled = play(dispatched, claim, cancel);
    spec.given(cancelled).when(cancel).thenRejects('CLAIM_NOT_ACTIVE');
    spec.given(cancelled).when(claim).thenRejects('CLAIM_NOT_ACTIVE');
    spec
      .given(cancelled)
      .when({ ...claim, claimId: ClaimId.parse('claim-2'), claimedOn: day('2022-03-21') })
      .thenEvents((e) => expect(e).toHaveLength(1));
  });

  it('completes a claimed project, rates it once', () => {
    const complete = {
      type: 'CompleteProject' as const,
      projectId: P,
      completedOn: day('2022-06-01'),
      summary: 'canteen opened',
      beneficiaries: 120,
    };
    spec.given(dispatched).when(complete).thenRejects('NOT_CLAIMED');
    const done = play(dispatched, claim, complete);
    expect(done.at(-1)).toMatchObject({
      type: 'ProjectCompleted',
      data: { claimant: { kind: 'unit', unitId: 'bank' } },
    });
    const rate = {
      type: 'RateProject' as const,
      projectId: P,
      ratedOn: day('2022-06-10'),
      satisfaction: 5,
      ratedBy: 'residents council',
    };
    spec.given(dispatched).when(rate).thenRejects('NOT_COMPLETED');
    spec.given(play(done, rate)).when(rate).thenRejects('ALREADY_RATED_PROJECT');
    spec.given(done).when(claim).thenRejects('PROJECT_CLOSED');
  });

  it('cancels a project that is not done', () => {
    const cancel = {
      type: 'CancelProject' as const,
      projectId: P,
      cancelledOn: day('2022-04-01'),
      reason: 'merged with another',
    };
    const cancelled = play(dispatched, cancel);
    expect(cancelled.at(-1)?.type).toBe('ProjectCancelled');
    spec.given(cancelled).when(cancel).thenRejects('PROJECT_CLOSED');
    spec.given([]).when(cancel).thenRejects('PROJECT_NOT_FOUND');
  });
});

describe('ServiceProject: micro-wishes (微心愿)', () => {
  const W = ProjectId.parse('wish-1');
  const posted: ProjectEvent[] = [
    {
      type: 'MicroWishPosted',
      data: {
        projectId: W,
        communityId: regionId('dongmen'),
        gridId: null,
        title: '一副老花镜',
        wisher: '张奶奶',
        postedOn: day('2022-05-01'),
      },
    },
  ];
  const wishClaim = {
    type: 'ClaimProject' as const,
    projectId: W,
    claimId: ClaimId.parse('wc-1'),
    claimant: { kind: 'member' as const, memberId: memberId('m1') },
    claimedOn: day('2022-05-02'),
  };

  it('is claimed by a party member and fulfilled', () => {
    const fulfil = {
      type: 'FulfilMicroWish' as const,
      projectId: W,
      fulfilledOn: day('2022-05-05'),
      note: 'delivered',
    };
    spec.given(posted).when(fulfil).thenRejects('NOT_CLAIMED');
    const claimed = play(posted, wishClaim);
    spec
      .given(claimed)
      .when(fulfil)
      .thenEvents((e) =>
        expect(e[0]).toMatchObject({ type: 'MicroWishFulfilled', data: { claimant: { memberId: 'm1' } } }),
      );
  });

  it('is not claimed by a unit, nor by a member transferred out, and is not a project', () => {
    spec
      .given(posted)
      .when({ ...wishClaim, claimant: { kind: 'unit', unitId: unitId('bank') } })
      .thenRejects('CLAIMANT_NOT_ELIGIBLE');
    spec
      .given(posted)
      .when(wishClaim, {
        facts: { ...facts, member: registeredMember('m1', { transferredOn: '2022-01-01' }) },
      })
      .thenRejects('MEMBER_TRANSFERRED_OUT');
    spec
      .given(posted)
      .when(wishClaim, { facts: { regions: chains.community } })
      .thenRejects('MEMBER_NOT_FOUND');
    spec
      .given(posted)
      .when({ ...agree, projectId: W })
      .thenRejects('PROJECT_WRONG_KIND');
  });
});
