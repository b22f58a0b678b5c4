import { assertNever, type Decision } from '../kernel/decider.ts';
import type { ContextWith } from '../shared/context.ts';
import { beforeDate, firstOf, inFuture, regionChainLive } from '../shared/guards.ts';
import { refuse } from '../shared/rejections.ts';
import type { RegionCommand } from './commands.ts';
import type { RegionEvent, RegionLevel } from './events.ts';
import type { RegionState } from './state.ts';

/** The parent chain: the parent first, then its ancestors (empty for a root region). */
export interface RegionFacts {
  readonly regions: readonly RegionState[];
}
export type RegionContext = ContextWith<RegionFacts>;

const ALLOWED_PARENTS: Readonly<Record<RegionLevel, readonly RegionLevel[]>> = {
  city: [],
  county: ['city'],
  district: ['city'],
  subdistrict: ['city', 'county', 'district'],
  town: ['city', 'county', 'district'],
  community: ['subdistrict', 'town'],
  compound: ['community'],
  building: ['compound'],
};
const ROOT_LEVELS: readonly RegionLevel[] = ['city', 'county'];

export const decideRegion = (
  command: RegionCommand,
  state: RegionState,
  context: RegionContext,
): Decision<RegionEvent> => {
  switch (command.type) {
    case 'DefineRegion': {
      if (state.status !== 'absent') return refuse('REGION_ALREADY_DEFINED', { regionId: command.regionId });
      const parent = context.facts.regions[0];
      const rejection = firstOf(
        () => inFuture(command.definedOn, 'definedOn', context),
        () => {
          if (command.parentId === undefined) {
            return ROOT_LEVELS.includes(command.level)
              ? null
              : refuse('PARENT_LEVEL_MISMATCH', { level: command.level, parentLevel: null });
          }
          return regionChainLive(context.facts.regions);
        },
        () =>
          parent !== undefined &&
          parent.status !== 'absent' &&
          !ALLOWED_PARENTS[command.level].includes(parent.level)
            ? refuse('PARENT_LEVEL_MISMATCH', { level: command.level, parentLevel: parent.level })
            : null,
      );
      if (rejection !== null) return rejection;
      const ancestors =
        parent === undefined || parent.status === 'absent' ? [] : [...parent.ancestors, parent.id];
      return [
        {
          type: 'RegionDefined',
          data: {
            regionId: command.regionId,
            name: command.name,
            level: command.level,
            parentId: command.parentId ?? null,
            ancestors,
            definedOn: command.definedOn,
          },
        },
      ];
    }
    case 'RenameRegion': {
      if (state.status === 'absent') return refuse('REGION_NOT_FOUND', { regionId: command.regionId });
      const rejection = firstOf(
        () => regionChainLive([state, ...context.facts.regions]),
        () => inFuture(command.renamedOn, 'renamedOn', context),
        () => beforeDate(command.renamedOn, state.definedOn, 'renamedOn', 'definedOn'),
        () => (command.name === state.name ? refuse('NAME_UNCHANGED') : null),
      );
      if (rejection !== null) return rejection;
      return [
        {
          type: 'RegionRenamed',
          data: {
            regionId: command.regionId,
            name: command.name,
            previousName: state.name,
            renamedOn: command.renamedOn,
          },
        },
      ];
    }
    case 'RetireRegion': {
      if (state.status === 'absent') return refuse('REGION_NOT_FOUND', { regionId: command.regionId });
      const rejection = firstOf(
        () => (state.status === 'retired' ? refuse('REGION_RETIRED', { regionId: state.id }) : null),
        () => inFuture(command.retiredOn, 'retiredOn', context),
        () => beforeDate(command.retiredOn, state.definedOn, 'retiredOn', 'definedOn'),
      );
      if (rejection !== null) return rejection;
      return [
        {
          type: 'RegionRetired',
          data: { regionId: command.regionId, retiredOn: command.retiredOn, reason: command.reason },
        },
      ];
    }
    default:
      return assertNever(command, 'region command');
  }
};
