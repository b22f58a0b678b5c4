import {
  chains,
  committeeFrom,
  contextOn,
  DeciderSpecification,
  day,
  establishedCommittee,
  gridId,
  memberId,
  regionId,
  registeredMember,
  committeeId,
} from '@cogov/testkit';
import { describe, expect, it } from 'vitest';
import { WorkerId } from '../shared/ids.ts';
import { gridDecider, type GridEvent, type GridFacts } from './index.ts';

const G = gridId('g1');
const facts: GridFacts = {
  regions: chains.community,
  committee: committeeFrom(establishedCommittee('dongmen-g1', 'grid-branch')),
  member: registeredMember('m1'),
};
const spec = DeciderSpecification.for(gridDecider, contextOn(facts));
const drawn: GridEvent[] = [
  {
    type: 'GridCellDrawn',
    data: {
      gridId: G,
      communityId: regionId('dongmen'),
      name: '一网格',
      households: 300,
      drawnOn: day('2020-01-01'),
      aboveStandard: false,
    },
  },
];
const withContacts = (households: number): GridEvent[] => [
  ...drawn,
  {
    type: 'ContactHouseholdsAssigned',
    data: { gridId: G, memberId: memberId('m1'), households, assignedOn: day('2020-02-01') },
  },
];

describe('GridCell (invariant 7)', () => {
  it('draws a cell of a community with a positive household count, flagging one far above the standard', () => {
    const draw = {
      type: 'DrawGridCell' as const,
      gridId: G,
      communityId: regionId('dongmen'),
      name: '一网格',
      households: 300,
      drawnOn: day('2020-01-01'),
    };
    spec.given([]).when(draw).then(drawn);
    spec
      .given([])
      .when({ ...draw, households: 600 })
      .thenEvents((e) => expect(e[0]?.data).toMatchObject({ aboveStandard: true }));
    spec.given(drawn).when(draw).thenRejects('GRID_ALREADY_DRAWN');
    spec
      .given([])
      .when(draw, { facts: { regions: chains.town } })
      .thenRejects('REGION_LEVEL_MISMATCH');
  });

  it('never lets contact households exceed the households', () => {
    const assign = {
      type: 'AssignContactHouseholds' as const,
      gridId: G,
      memberId: memberId('m1'),
      households: 10,
      assignedOn: day('2021-01-01'),
    };
    spec
      .given(drawn)
      .when(assign)
      .thenEvents((e) => expect(e).toMatchObject([{ type: 'ContactHouseholdsAssigned' }]));
    spec.given(withContacts(295)).when(assign).thenRejects('CONTACTS_EXCEED_HOUSEHOLDS');
    spec
      .given(withContacts(200))
      .when({ type: 'RecountHouseholds', gridId: G, households: 150, recountedOn: day('2021-01-01') })
      .thenRejects('CONTACTS_EXCEED_HOUSEHOLDS');
    spec
      .given(withContacts(200))
      .when({ type: 'RecountHouseholds', gridId: G, households: 250, recountedOn: day('2021-01-01') })
      .thenEvents((e) =>
        expect(e).toMatchObject([{ type: 'HouseholdsRecounted', data: { previous: 300, households: 250 } }]),
      );
  });

  it('assigns contacts only to a registered member still in the party organisation', () => {
    const assign = {
      type: 'AssignContactHouseholds' as const,
      gridId: G,
      memberId: memberId('m1'),
      households: 10,
      assignedOn: day('2021-01-01'),
    };
    spec
      .given(drawn)
      .when(assign, { facts: { ...facts, member: undefined } as never })
      .thenRejects('MEMBER_NOT_FOUND');
    spec
      .given(drawn)
      .when(assign, { facts: { ...facts, member: registeredMember('m1', { transferredOn: '2020-06-01' }) } })
      .thenRejects('MEMBER_TRANSFERRED_OUT');
  });

  it('releases contacts', () => {
    const release = {
      type: 'ReleaseContactHouseholds' as const,
      gridId: G,
      memberId: memberId('m1'),
      releasedOn: day('2022-01-01'),
    };
    spec
      .given(withContacts(20))
      .when(release)
      .thenEvents((e) => expect(e[0]?.data).toMatchObject({ households: 20 }));
    spec.given(drawn).when(release).thenRejects('CONTACT_NOT_ASSIGNED');
  });

  it('assigns and relieves grid workers', () => {
    const assign = {
      type: 'AssignGridWorker' as const,
      gridId: G,
      workerId: WorkerId.parse('w1'),
      name: '王芳',
      assignedOn: day('2020-03-01'),
    };
    const assigned = spec
      .given(drawn)
      .when(assign)
      .thenEvents((e) => expect(e).toHaveLength(1));
    spec
      .given([...drawn, ...assigned])
      .when(assign)
      .thenRejects('WORKER_ALREADY_ASSIGNED');
    const relieve = {
      type: 'RelieveGridWorker' as const,
      gridId: G,
      workerId: WorkerId.parse('w1'),
      relievedOn: day('2021-03-01'),
    };
    spec
      .given([...drawn, ...assigned])
      .when(relieve)
      .thenEvents((e) => expect(e).toHaveLength(1));
    spec.given(drawn).when(relieve).thenRejects('WORKER_NOT_ASSIGNED');
  });

  it('links one grid branch of the same community', () => {
    const link = {
      type: 'LinkGridBranch' as const,
      gridId: G,
      committeeId: committeeId('dongmen-g1'),
      linkedOn: day('2021-01-01'),
    };
    const linked = spec
      .given(drawn)
      .when(link)
      .thenEvents((e) => expect(e).toHaveLength(1));
    spec
      .given([...drawn, ...linked])
      .when(link)
      .thenRejects('BRANCH_ALREADY_LINKED');
    spec
      .given(drawn)
      .when(link, {
        facts: { ...facts, committee: committeeFrom(establishedCommittee('x', 'community-party-committee')) },
      })
      .thenRejects('NOT_A_GRID_BRANCH');
    spec
      .given(drawn)
      .when(link, {
        facts: {
          ...facts,
          committee: committeeFrom(establishedCommittee('x', 'grid-branch', { region: 'gaihe' })),
        },
      })
      .thenRejects('BRANCH_OUTSIDE_COMMUNITY');
    spec
      .given(drawn)
      .when(link, { facts: { regions: chains.community } })
      .thenRejects('COMMITTEE_NOT_FOUND');
    const dissolved = committeeFrom([
      ...establishedCommittee('dongmen-g1', 'grid-branch'),
      {
        type: 'CommitteeDissolved',
        data: { committeeId: committeeId('dongmen-g1'), dissolvedOn: day('2020-06-01'), reason: 'x' },
      },
    ]);
    spec
      .given(drawn)
      .when(link, { facts: { ...facts, committee: dissolved } })
      .thenRejects('COMMITTEE_DISSOLVED');
  });

  it('accepts nothing once retired, or under a retired community (invariant 9)', () => {
    const retire = {
      type: 'RetireGridCell' as const,
      gridId: G,
      retiredOn: day('2023-01-01'),
      reason: 'redrawn',
    };
    const retired = spec
      .given(drawn)
      .when(retire)
      .thenEvents((e) => expect(e).toHaveLength(1));
    spec
      .given([...drawn, ...retired])
      .when(retire)
      .thenRejects('GRID_RETIRED');
    spec
      .given(drawn)
      .when(
        { type: 'RecountHouseholds', gridId: G, households: 310, recountedOn: day('2022-01-01') },
        { facts: { ...facts, regions: chains.retiredCommunity } },
      )
      .thenRejects('REGION_RETIRED');
    spec.given([]).when(retire).thenRejects('GRID_NOT_FOUND');
  });
});
