import {
  CommitteeId,
  evolveCommittee,
  evolveGrid,
  evolveMember,
  evolveRegion,
  evolveUnit,
  fold,
  GridId,
  HUITONG_2022,
  initialCommitteeState,
  initialGridState,
  initialMemberState,
  initialRegionState,
  initialUnitState,
  LEVEL_OF,
  MemberId,
  PlainDate,
  RegionId,
  termEnd,
  UnitId,
  type CommitteeEvent,
  type CommitteeKind,
  type CommitteeState,
  type DecideContext,
  type GridState,
  type MemberState,
  type Policy,
  type RegionLevel,
  type RegionState,
  type UnitState,
} from '@cogov/domain';

/** Parses a date literal in tests. */
export const day = (value: string): PlainDate => PlainDate.parse(value);
export const regionId = (value: string) => RegionId.parse(value);
export const memberId = (value: string) => MemberId.parse(value);
export const unitId = (value: string) => UnitId.parse(value);
export const committeeId = (value: string) => CommitteeId.parse(value);
export const gridId = (value: string) => GridId.parse(value);

/** A decide context on a given day (default 2030-01-01, after every fixture date). */
export const contextOn = <F>(
  facts: F,
  options: { today?: string; policy?: Policy } = {},
): DecideContext & { facts: F } => {
  const today = day(options.today ?? '2030-01-01');
  return { now: new Date(`${today}T04:00:00Z`), today, policy: options.policy ?? HUITONG_2022, facts };
};

/** A live region (or retired, with `retiredOn`). */
export const region = (
  id: string,
  level: RegionLevel,
  ancestors: readonly string[] = [],
  retiredOn?: string,
): RegionState => {
  const parent = ancestors[ancestors.length - 1];
  const defined = evolveRegion(initialRegionState, {
    type: 'RegionDefined',
    data: {
      regionId: regionId(id),
      name: id,
      level,
      parentId: parent === undefined ? null : regionId(parent),
      ancestors: ancestors.map(regionId),
      definedOn: day('2000-01-01'),
    },
  });
  return retiredOn === undefined
    ? defined
    : evolveRegion(defined, {
        type: 'RegionRetired',
        data: { regionId: regionId(id), retiredOn: day(retiredOn), reason: 'merged' },
      });
};

/** The standard test geography: 会同县 → 林城镇 → 东门社区 → 东门小区. Chains are nearest first. */
export const geography = {
  county: region('huitong', 'county'),
  town: region('lincheng', 'town', ['huitong']),
  community: region('dongmen', 'community', ['huitong', 'lincheng']),
  compound: region('dongmen-a', 'compound', ['huitong', 'lincheng', 'dongmen']),
  otherCommunity: region('gaihe', 'community', ['huitong', 'lincheng']),
};
export const chains = {
  county: [geography.county],
  town: [geography.town, geography.county],
  community: [geography.community, geography.town, geography.county],
  compound: [geography.compound, geography.community, geography.town, geography.county],
  otherCommunity: [geography.otherCommunity, geography.town, geography.county],
  retiredCommunity: [
    region('dongmen', 'community', ['huitong', 'lincheng'], '2021-01-01'),
    geography.town,
    geography.county,
  ],
  underRetiredTown: [
    geography.community,
    region('lincheng', 'town', ['huitong'], '2021-01-01'),
    geography.county,
  ],
};

export const registeredMember = (
  id: string,
  options: { transferredOn?: string; category?: 'in-service' | 'retired' } = {},
): MemberState => {
  const registered = evolveMember(initialMemberState, {
    type: 'MemberRegistered',
    data: {
      memberId: memberId(id),
      name: id,
      category: options.category ?? 'in-service',
      communityId: regionId('dongmen'),
      unitId: null,
      registeredOn: day('2000-01-01'),
    },
  });
  return options.transferredOn === undefined
    ? registered
    : evolveMember(registered, {
        type: 'MemberTransferredOut',
        data: { memberId: memberId(id), transferredOn: day(options.transferredOn), destination: 'elsewhere' },
      });
};

/** A unit located in 东门社区, optionally paired with communities from a date. */
export const registeredUnit = (
  id: string,
  pairings: readonly { community: string; from: string; until?: string }[] = [],
): UnitState => {
  let state = evolveUnit(initialUnitState, {
    type: 'UnitRegistered',
    data: {
      unitId: unitId(id),
      name: id,
      kind: 'state-enterprise',
      regionId: regionId('dongmen'),
      regionPath: ['huitong', 'lincheng', 'dongmen'].map(regionId),
      registeredOn: day('2000-01-01'),
    },
  });
  for (const p of pairings) {
    state = evolveUnit(state, {
      type: 'UnitPairedWithCommunity',
      data: {
        unitId: unitId(id),
        communityId: regionId(p.community),
        pairedOn: day(p.from),
        agreementRef: null,
      },
    });
    if (p.until !== undefined) {
      state = evolveUnit(state, {
        type: 'UnitUnpaired',
        data: {
          unitId: unitId(id),
          communityId: regionId(p.community),
          unpairedOn: day(p.until),
          reason: 'ended',
        },
      });
    }
  }
  return state;
};

/** The events of a committee established on 2020-01-01 with a first term starting the same day. */
export const establishedCommittee = (
  id: string,
  kind: CommitteeKind,
  options: { region?: string; termYears?: number; termStartsOn?: string; termEndsOn?: string } = {},
): CommitteeEvent[] => {
  const level = LEVEL_OF[kind];
  const startsOn = day(options.termStartsOn ?? '2020-01-01');
  return [
    {
      type: 'CommitteeEstablished',
      data: {
        committeeId: committeeId(id),
        kind,
        level,
        regionId: regionId(options.region ?? (level === 'subdistrict' ? 'lincheng' : 'dongmen')),
        name: id,
        establishedOn: day('2020-01-01'),
      },
    },
    {
      type: 'TermStarted',
      data: {
        committeeId: committeeId(id),
        termNumber: 1,
        startsOn,
        endsOn:
          options.termEndsOn === undefined
            ? termEnd(startsOn, options.termYears ?? 5)
            : day(options.termEndsOn),
      },
    },
  ];
};

export const committeeFrom = (events: readonly CommitteeEvent[]): CommitteeState =>
  fold(evolveCommittee, initialCommitteeState, events);

export const drawnGrid = (
  id: string,
  households: number,
  contacts: Readonly<Record<string, number>> = {},
): GridState => {
  let state = evolveGrid(initialGridState, {
    type: 'GridCellDrawn',
    data: {
      gridId: gridId(id),
      communityId: regionId('dongmen'),
      name: id,
      households,
      drawnOn: day('2020-01-01'),
      aboveStandard: false,
    },
  });
  for (const [m, n] of Object.entries(contacts)) {
    state = evolveGrid(state, {
      type: 'ContactHouseholdsAssigned',
      data: { gridId: gridId(id), memberId: memberId(m), households: n, assignedOn: day('2020-02-01') },
    });
  }
  return state;
};
