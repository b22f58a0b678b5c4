import { chains, contextOn, DeciderSpecification, day, geography, region, regionId } from '@cogov/testkit';
import { describe, expect, it } from 'vitest';
import { regionDecider, type RegionEvent } from './index.ts';

const spec = DeciderSpecification.for(regionDecider, contextOn({ regions: chains.town }));
const defined = (
  id: string,
  level: 'community' | 'town',
  parent: string,
  ancestors: string[],
): RegionEvent => ({
  type: 'RegionDefined',
  data: {
    regionId: regionId(id),
    name: id,
    level,
    parentId: regionId(parent),
    ancestors: ancestors.map(regionId),
    definedOn: day('2020-01-01'),
  },
});

describe('Region: defining the tree', () => {
  const define = {
    type: 'DefineRegion' as const,
    regionId: regionId('jianshe'),
    name: '建设社区',
    level: 'community' as const,
    parentId: regionId('lincheng'),
    definedOn: day('2020-01-01'),
  };

  it('defines a community under a town, recording its ancestors', () => {
    spec
      .given([])
      .when(define)
      .then([
        {
          type: 'RegionDefined',
          data: {
            regionId: regionId('jianshe'),
            name: '建设社区',
            level: 'community',
            parentId: regionId('lincheng'),
            ancestors: [regionId('huitong'), regionId('lincheng')],
            definedOn: day('2020-01-01'),
          },
        },
      ]);
  });

  it('defines a county at the root', () => {
    spec
      .given([])
      .when(
        {
          type: 'DefineRegion',
          regionId: regionId('huitong'),
          name: '会同县',
          level: 'county',
          definedOn: day('2020-01-01'),
        },
        { facts: { regions: [] } },
      )
      .thenEvents((e) => expect(e).toMatchObject([{ data: { parentId: null, ancestors: [] } }]));
  });

  it('rejects a level its parent cannot hold, or a community at the root', () => {
    spec
      .given([])
      .when({ ...define, level: 'building' })
      .thenRejects('PARENT_LEVEL_MISMATCH');
    const { parentId: _p, ...rootless } = define;
    spec
      .given([])
      .when(rootless, { facts: { regions: [] } })
      .thenRejects('PARENT_LEVEL_MISMATCH');
  });

  it('rejects a parent that does not exist or is retired, and an id in use', () => {
    spec
      .given([])
      .when(define, { facts: { regions: [{ status: 'absent' }] } })
      .thenRejects('REGION_NOT_FOUND');
    spec
      .given([])
      .when(define, {
        facts: { regions: [region('lincheng', 'town', ['huitong'], '2021-01-01'), geography.county] },
      })
      .thenRejects('REGION_RETIRED');
    spec
      .given([defined('jianshe', 'community', 'lincheng', ['huitong', 'lincheng'])])
      .when(define)
      .thenRejects('REGION_ALREADY_DEFINED');
  });

  it('rejects a definition dated in the future', () => {
    spec
      .given([])
      .when(define, { today: day('2019-01-01') })
      .thenRejects('DATE_IN_FUTURE');
  });
});

describe('Region: renaming and retiring', () => {
  const existing = [defined('jianshe', 'community', 'lincheng', ['huitong', 'lincheng'])];
  const rename = {
    type: 'RenameRegion' as const,
    regionId: regionId('jianshe'),
    name: '新建设社区',
    renamedOn: day('2022-01-01'),
  };
  const retire = {
    type: 'RetireRegion' as const,
    regionId: regionId('jianshe'),
    retiredOn: day('2023-01-01'),
    reason: 'merged',
  };

  it('renames, keeping the previous name', () => {
    spec
      .given(existing)
      .when(rename)
      .then([
        {
          type: 'RenameRegion' === rename.type ? 'RegionRenamed' : 'RegionRenamed',
          data: {
            regionId: regionId('jianshe'),
            name: '新建设社区',
            previousName: 'jianshe',
            renamedOn: day('2022-01-01'),
          },
        },
      ]);
  });

  it('rejects renaming to the same name, an unknown region, a retired one, or a date before it existed', () => {
    spec
      .given(existing)
      .when({ ...rename, name: 'jianshe' })
      .thenRejects('NAME_UNCHANGED');
    spec.given([]).when(rename).thenRejects('REGION_NOT_FOUND');
    const retired = regionDecider.decide(
      retire,
      spec.given(existing).state,
      contextOn({ regions: chains.town }),
    ) as RegionEvent[];
    spec
      .given([...existing, ...retired])
      .when(rename)
      .thenRejects('REGION_RETIRED');
    spec
      .given(existing)
      .when({ ...rename, renamedOn: day('2019-01-01') })
      .thenRejects('DATE_OUT_OF_ORDER');
  });

  it('retires a region once', () => {
    const events = spec
      .given(existing)
      .when(retire)
      .thenEvents((e) => expect(e).toMatchObject([{ type: 'RegionRetired' }]));
    spec
      .given([...existing, ...events])
      .when(retire)
      .thenRejects('REGION_RETIRED');
  });
});
