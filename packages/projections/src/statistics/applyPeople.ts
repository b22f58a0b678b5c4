import {
  assertNever,
  type MemberEvent,
  type PlainDate,
  type RegionEvent,
  type UnitEvent,
} from '@cogov/domain';
import type { ApplyContext, RegionRecord } from './context.ts';

interface MemberRecord {
  readonly communityId: string | null;
  readonly unitId: string | null;
  readonly category: string;
  /** Communities with an active registration. */
  readonly reports: readonly string[];
}

export const applyRegion = (ctx: ApplyContext, event: RegionEvent): void => {
  switch (event.type) {
    case 'RegionDefined':
      ctx.state.set(['region', event.data.regionId], {
        path: [...event.data.ancestors, event.data.regionId],
      } satisfies RegionRecord);
      return;
    case 'RegionRenamed':
    case 'RegionRetired':
      return;
    default:
      assertNever(event, 'region event');
  }
};

/** A community's count of active member registrations: 0 → 1 and 1 → 0 move the national-sheet level. */
const reportingChange = (ctx: ApplyContext, communityId: string, date: PlainDate, change: 1 | -1) => {
  const key = ['reporting', communityId] as const;
  const before = ctx.state.get<number>(key) ?? 0;
  const after = before + change;
  ctx.state.set(key, after);
  if (before === 0 && after === 1)
    ctx.tally.add('communities.withReportingMembers', date, 1, ctx.regionScopes(communityId));
  if (before === 1 && after === 0)
    ctx.tally.add('communities.withReportingMembers', date, -1, ctx.regionScopes(communityId));
};

export const applyMember = (ctx: ApplyContext, event: MemberEvent): void => {
  const { state, tally } = ctx;
  const key = ['member', event.data.memberId] as const;
  const member = state.get<MemberRecord>(key);
  /** Where a member counts: community (and above) and unit. */
  const where = (record: MemberRecord | undefined) => [
    ...ctx.regionScopes(record?.communityId),
    ...(record?.unitId === null || record?.unitId === undefined ? [] : [`u:${record.unitId}`]),
  ];
  /** The same, plus the member's own (yearly) figures, for what a member does. */
  const scopes = (record: MemberRecord | undefined) => [...where(record), `m:${event.data.memberId}`];
  switch (event.type) {
    case 'MemberRegistered': {
      const record: MemberRecord = {
        communityId: event.data.communityId,
        unitId: event.data.unitId,
        category: event.data.category,
        reports: [],
      };
      state.set(key, record);
      tally.add('members.registered', event.data.registeredOn, 1, where(record), [
        `category=${event.data.category}`,
      ]);
      return;
    }
    case 'MemberCategoryChanged':
      tally.add('members.registered', event.data.changedOn, -1, where(member), [
        `category=${event.data.from}`,
      ]);
      tally.add('members.registered', event.data.changedOn, 1, where(member), [`category=${event.data.to}`]);
      if (member !== undefined) state.set(key, { ...member, category: event.data.to });
      return;
    case 'MemberReportedToCommunity': {
      const community = ctx.regionScopes(event.data.communityId);
      tally.add('members.reported', event.data.reportedOn, 1, community);
      tally.add('members.reporting', event.data.reportedOn, 1, community);
      reportingChange(ctx, event.data.communityId, event.data.reportedOn, 1);
      if (member !== undefined)
        state.set(key, { ...member, reports: [...member.reports, event.data.communityId] });
      return;
    }
    case 'MemberDeregisteredFromCommunity':
      tally.add('members.reporting', event.data.deregisteredOn, -1, ctx.regionScopes(event.data.communityId));
      reportingChange(ctx, event.data.communityId, event.data.deregisteredOn, -1);
      if (member !== undefined)
        state.set(key, { ...member, reports: member.reports.filter((c) => c !== event.data.communityId) });
      return;
    case 'MemberTransferredOut':
      tally.add('members.registered', event.data.transferredOn, -1, where(member), [
        `category=${member?.category ?? 'unknown'}`,
      ]);
      for (const communityId of member?.reports ?? []) {
        tally.add('members.reporting', event.data.transferredOn, -1, ctx.regionScopes(communityId));
        reportingChange(ctx, communityId, event.data.transferredOn, -1);
      }
      if (member !== undefined) state.set(key, { ...member, reports: [] });
      return;
    case 'HouseholdsContacted': {
      const grid = state.get<{ communityId: string }>(['grid', event.data.gridId]);
      tally.add('members.householdVisits', event.data.contactedOn, event.data.households, [
        ...ctx.regionScopes(grid?.communityId),
        `g:${event.data.gridId}`,
        `m:${event.data.memberId}`,
      ]);
      return;
    }
    case 'PointsAwarded':
      tally.add('points.awarded', event.data.awardedOn, event.data.points, scopes(member), [
        `cause=${event.data.cause.kind}`,
      ]);
      return;
    case 'PointsDeducted':
      tally.add('points.deducted', event.data.deductedOn, event.data.points, scopes(member));
      return;
    case 'MemberRated':
      tally.add('members.rated', event.data.ratedOn, 1, scopes(member), [`rating=${event.data.rating}`]);
      return;
    case 'PersonalDataErased':
      // Erasure changes no figure: the member is counted as before, only unnamed.
      return;
    default:
      assertNever(event, 'member event');
  }
};

export const applyUnit = (ctx: ApplyContext, event: UnitEvent): void => {
  const { tally, state } = ctx;
  const unitScopes = (regionId: string | null | undefined) => [
    ...ctx.regionScopes(regionId),
    `u:${event.data.unitId}`,
  ];
  switch (event.type) {
    case 'UnitRegistered':
      state.set(['unit', event.data.unitId], { regionId: event.data.regionId });
      tally.add('units.registered', event.data.registeredOn, 1, unitScopes(event.data.regionId), [
        `kind=${event.data.kind}`,
      ]);
      return;
    case 'UnitPairedWithCommunity':
      tally.add('units.paired', event.data.pairedOn, 1, unitScopes(event.data.communityId));
      return;
    case 'UnitUnpaired':
      tally.add('units.paired', event.data.unpairedOn, -1, unitScopes(event.data.communityId));
      return;
    case 'UnitReportedToCommunity':
      tally.add('units.reported', event.data.reportedOn, 1, unitScopes(event.data.communityId));
      return;
    case 'ResourceOffered': {
      const unit = state.get<{ regionId: string }>(['unit', event.data.unitId]);
      tally.add('resources.offered', event.data.offeredOn, 1, unitScopes(unit?.regionId), [
        `kind=${event.data.kind}`,
      ]);
      return;
    }
    default:
      assertNever(event, 'unit event');
  }
};
