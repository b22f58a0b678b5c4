import { assertNever, type Decision } from '../kernel/decider.ts';
import type { RegionState } from '../region/state.ts';
import type { ContextWith } from '../shared/context.ts';
import { beforeDate, firstOf, inFuture, regionChainLive } from '../shared/guards.ts';
import { refuse } from '../shared/rejections.ts';
import type { UnitCommand } from './commands.ts';
import type { UnitEvent } from './events.ts';
import { openPairing, type UnitState } from './state.ts';

export interface UnitFacts {
  /** The region named by the command (the unit's region, or the community) and those above it. */
  readonly regions: readonly RegionState[];
}
export type UnitContext = ContextWith<UnitFacts>;

export const decideUnit = (
  command: UnitCommand,
  state: UnitState,
  context: UnitContext,
): Decision<UnitEvent> => {
  if (command.type === 'RegisterUnit') {
    if (state.status !== 'absent') return refuse('UNIT_ALREADY_REGISTERED', { unitId: command.unitId });
    const rejection = firstOf(
      () => inFuture(command.registeredOn, 'registeredOn', context),
      () => regionChainLive(context.facts.regions),
    );
    if (rejection !== null) return rejection;
    const region = context.facts.regions[0];
    const regionPath =
      region === undefined || region.status === 'absent' ? [] : [...region.ancestors, region.id];
    return [
      {
        type: 'UnitRegistered',
        data: {
          unitId: command.unitId,
          name: command.name,
          kind: command.kind,
          regionId: command.regionId,
          regionPath,
          registeredOn: command.registeredOn,
        },
      },
    ];
  }
  if (state.status === 'absent') return refuse('UNIT_NOT_FOUND', { unitId: command.unitId });
  const { unitId } = command;
  const community = () =>
    firstOf(
      () => regionChainLive(context.facts.regions),
      () => {
        const region = context.facts.regions[0];
        return region?.status !== 'absent' && region?.level !== 'community'
          ? refuse('REGION_LEVEL_MISMATCH', { expected: 'community', actual: region?.level })
          : null;
      },
    );
  switch (command.type) {
    case 'PairUnitWithCommunity': {
      const rejection = firstOf(
        () => inFuture(command.pairedOn, 'pairedOn', context),
        () => beforeDate(command.pairedOn, state.registeredOn, 'pairedOn', 'registeredOn'),
        community,
        () =>
          openPairing(state, command.communityId) === undefined
            ? null
            : refuse('ALREADY_PAIRED', { communityId: command.communityId }),
      );
      if (rejection !== null) return rejection;
      return [
        {
          type: 'UnitPairedWithCommunity',
          data: {
            unitId,
            communityId: command.communityId,
            pairedOn: command.pairedOn,
            agreementRef: command.agreementRef ?? null,
          },
        },
      ];
    }
    case 'UnpairUnit': {
      const pairing = openPairing(state, command.communityId);
      if (pairing === undefined) return refuse('NOT_PAIRED', { communityId: command.communityId });
      const rejection = firstOf(
        () => inFuture(command.unpairedOn, 'unpairedOn', context),
        () => beforeDate(command.unpairedOn, pairing.pairedOn, 'unpairedOn', 'pairedOn'),
      );
      if (rejection !== null) return rejection;
      return [
        {
          type: 'UnitUnpaired',
          data: {
            unitId,
            communityId: command.communityId,
            unpairedOn: command.unpairedOn,
            reason: command.reason,
          },
        },
      ];
    }
    case 'ReportUnitToCommunity': {
      const pairing = openPairing(state, command.communityId);
      if (pairing === undefined) return refuse('NOT_PAIRED', { communityId: command.communityId });
      const rejection = firstOf(
        () => community(),
        () =>
          pairing.reportedOn === null
            ? null
            : refuse('ALREADY_REPORTED', { communityId: command.communityId }),
        () => inFuture(command.reportedOn, 'reportedOn', context),
        () => beforeDate(command.reportedOn, pairing.pairedOn, 'reportedOn', 'pairedOn'),
      );
      if (rejection !== null) return rejection;
      return [
        {
          type: 'UnitReportedToCommunity',
          data: { unitId, communityId: command.communityId, reportedOn: command.reportedOn },
        },
      ];
    }
    case 'OfferResource': {
      const rejection = firstOf(
        () => inFuture(command.offeredOn, 'offeredOn', context),
        () => beforeDate(command.offeredOn, state.registeredOn, 'offeredOn', 'registeredOn'),
        () =>
          state.resources.has(command.resourceId)
            ? refuse('RESOURCE_EXISTS', { resourceId: command.resourceId })
            : null,
      );
      if (rejection !== null) return rejection;
      return [
        {
          type: 'ResourceOffered',
          data: {
            unitId,
            resourceId: command.resourceId,
            title: command.title,
            kind: command.kind,
            offeredOn: command.offeredOn,
          },
        },
      ];
    }
    default:
      return assertNever(command, 'unit command');
  }
};
