import { chains, contextOn, DeciderSpecification, day, regionId, unitId } from '@cogov/testkit';
import { describe, expect, it } from 'vitest';
import { ResourceId } from '../shared/ids.ts';
import { unitDecider, type UnitEvent } from './index.ts';

const U = unitId('bank');
const spec = DeciderSpecification.for(unitDecider, contextOn({ regions: chains.community }));
const registered: UnitEvent[] = [
  {
    type: 'UnitRegistered',
    data: {
      unitId: U,
      name: '农业银行会同支行',
      kind: 'financial',
      regionId: regionId('dongmen'),
      regionPath: ['huitong', 'lincheng', 'dongmen'].map(regionId),
      registeredOn: day('2020-01-01'),
    },
  },
];
const pair = {
  type: 'PairUnitWithCommunity' as const,
  unitId: U,
  communityId: regionId('dongmen'),
  pairedOn: day('2021-01-01'),
  agreementRef: '共建协议 2021-1',
};
const paired = [
  ...registered,
  {
    type: 'UnitPairedWithCommunity' as const,
    data: {
      unitId: U,
      communityId: regionId('dongmen'),
      pairedOn: day('2021-01-01'),
      agreementRef: '共建协议 2021-1',
    },
  },
];

describe('Unit: registration and pairing', () => {
  it('registers a unit with the path of its region', () => {
    spec
      .given([])
      .when({
        type: 'RegisterUnit',
        unitId: U,
        name: '农业银行会同支行',
        kind: 'financial',
        regionId: regionId('dongmen'),
        registeredOn: day('2020-01-01'),
      })
      .then(registered);
  });

  it('rejects a unit registered twice, or in a retired region', () => {
    const register = {
      type: 'RegisterUnit' as const,
      unitId: U,
      name: 'x',
      kind: 'school' as const,
      regionId: regionId('dongmen'),
      registeredOn: day('2020-01-01'),
    };
    spec.given(registered).when(register).thenRejects('UNIT_ALREADY_REGISTERED');
    spec
      .given([])
      .when(register, { facts: { regions: chains.retiredCommunity } })
      .thenRejects('REGION_RETIRED');
  });

  it('pairs with a community once at a time', () => {
    spec.given(registered).when(pair).then([paired[1]!]);
    spec.given(paired).when(pair).thenRejects('ALREADY_PAIRED');
    spec.given([]).when(pair).thenRejects('UNIT_NOT_FOUND');
    spec
      .given(registered)
      .when(pair, { facts: { regions: chains.town } })
      .thenRejects('REGION_LEVEL_MISMATCH');
  });

  it('unpairs with a reason, and rejects unpairing when not paired', () => {
    const unpair = {
      type: 'UnpairUnit' as const,
      unitId: U,
      communityId: regionId('dongmen'),
      unpairedOn: day('2022-01-01'),
      reason: 'agreement ended',
    };
    spec
      .given(paired)
      .when(unpair)
      .thenEvents((e) => expect(e).toMatchObject([{ type: 'UnitUnpaired' }]));
    spec.given(registered).when(unpair).thenRejects('NOT_PAIRED');
  });
});

describe('Unit: reporting (双报到) and resources (资源清单)', () => {
  const report = {
    type: 'ReportUnitToCommunity' as const,
    unitId: U,
    communityId: regionId('dongmen'),
    reportedOn: day('2021-02-01'),
  };
  it('reports to a paired community once per pairing', () => {
    const reported = spec
      .given(paired)
      .when(report)
      .thenEvents((e) => expect(e).toMatchObject([{ type: 'UnitReportedToCommunity' }]));
    spec
      .given([...paired, ...reported])
      .when(report)
      .thenRejects('ALREADY_REPORTED');
    spec.given(registered).when(report).thenRejects('NOT_PAIRED');
  });

  it('offers a resource once', () => {
    const offer = {
      type: 'OfferResource' as const,
      unitId: U,
      resourceId: ResourceId.parse('hall'),
      title: '会议室',
      kind: 'venue' as const,
      offeredOn: day('2021-05-01'),
    };
    const offered = spec
      .given(registered)
      .when(offer)
      .thenEvents((e) => expect(e).toMatchObject([{ type: 'ResourceOffered' }]));
    spec
      .given([...registered, ...offered])
      .when(offer)
      .thenRejects('RESOURCE_EXISTS');
  });
});
