import type { Decision } from '../kernel/decider.ts';
import { addDays, minDate, termEnd } from '../kernel/plainDate.ts';
import { firstOf, inFuture, regionChainLive } from '../shared/guards.ts';
import { refuse } from '../shared/rejections.ts';
import type { CommitteeCommandOf } from './commands.ts';
import type { CommitteeEvent, CommitteeKind } from './events.ts';
import {
  acceptsCommands,
  happenedAfter,
  overlappingSeat,
  registeredPerson,
  type CommitteeContext,
} from './rules.ts';
import { LEVEL_OF, seatEnd, termOn, type ActiveCommittee, type CommitteeState } from './state.ts';

const REGION_LEVEL_OF: Readonly<Record<CommitteeKind, readonly string[]>> = {
  'subdistrict-working-committee': ['subdistrict', 'town'],
  'community-party-committee': ['community'],
  'community-general-branch': ['community'],
  'community-branch': ['community'],
  'compound-branch': ['compound'],
  'grid-branch': ['community'],
};

/** 升格: a branch becomes a general branch, a general branch a party committee. */
const UPGRADES: Readonly<Partial<Record<CommitteeKind, CommitteeKind>>> = {
  'community-branch': 'community-general-branch',
  'community-general-branch': 'community-party-committee',
};

/** Roles one person holds at a time. */
const SINGLE_ROLES = new Set(['secretary', 'first-secretary']);

export const establish = (
  command: CommitteeCommandOf<'EstablishCommittee'>,
  state: CommitteeState,
  context: CommitteeContext,
): Decision<CommitteeEvent> => {
  if (state.status !== 'absent')
    return refuse('COMMITTEE_ALREADY_ESTABLISHED', { committeeId: command.committeeId });
  const region = context.facts.regions[0];
  const rejection = firstOf(
    () => inFuture(command.establishedOn, 'establishedOn', context),
    () => regionChainLive(context.facts.regions),
    () =>
      region !== undefined &&
      region.status !== 'absent' &&
      !REGION_LEVEL_OF[command.kind].includes(region.level)
        ? refuse('REGION_LEVEL_MISMATCH', { expected: REGION_LEVEL_OF[command.kind], actual: region.level })
        : null,
  );
  if (rejection !== null) return rejection;
  return [
    {
      type: 'CommitteeEstablished',
      data: {
        committeeId: command.committeeId,
        kind: command.kind,
        level: LEVEL_OF[command.kind],
        regionId: command.regionId,
        name: command.name,
        establishedOn: command.establishedOn,
      },
    },
  ];
};

export const upgrade = (
  command: CommitteeCommandOf<'UpgradeCommittee'>,
  state: ActiveCommittee,
  context: CommitteeContext,
): Decision<CommitteeEvent> => {
  const rejection = firstOf(
    () => acceptsCommands(state, context),
    () => happenedAfter(command.upgradedOn, 'upgradedOn', context, state.establishedOn, 'establishedOn'),
    () =>
      UPGRADES[state.kind] === command.toKind
        ? null
        : refuse('UPGRADE_NOT_ALLOWED', { fromKind: state.kind, toKind: command.toKind }),
  );
  if (rejection !== null) return rejection;
  return [
    {
      type: 'CommitteeUpgraded',
      data: {
        committeeId: state.id,
        fromKind: state.kind,
        toKind: command.toKind,
        upgradedOn: command.upgradedOn,
        approvalRef: command.approvalRef,
      },
    },
  ];
};

/**
 * 换届: a new term makes the previous one past. Officers are relieved; community-level part-time
 * members continue if named in `renewals` and otherwise expire (届满, not continuing), because
 * their term is the organisation's term (004 §2.1).
 */
export const startTerm = (
  command: CommitteeCommandOf<'StartTerm'>,
  state: ActiveCommittee,
  context: CommitteeContext,
): Decision<CommitteeEvent> => {
  const previous = state.terms[state.terms.length - 1];
  const years = context.policy.committeeTermYears[state.level];
  const maxEnd = termEnd(command.startsOn, years);
  const endsOn = command.endsOn ?? maxEnd;
  const renewals = new Set<string>(command.renewals);
  const rejection = firstOf(
    () => acceptsCommands(state, context),
    () => happenedAfter(command.startsOn, 'startsOn', context, state.establishedOn, 'establishedOn'),
    () =>
      previous !== undefined && command.termNumber !== previous.number + 1
        ? refuse('TERM_NUMBER_MISMATCH', { expected: previous.number + 1, actual: command.termNumber })
        : null,
    () =>
      previous !== undefined && command.startsOn <= previous.startsOn
        ? refuse('TERM_NOT_AFTER_PREVIOUS', { previousStartsOn: previous.startsOn })
        : null,
    () =>
      endsOn > maxEnd || endsOn <= command.startsOn
        ? refuse('TERM_TOO_LONG', { endsOn, maxEndsOn: maxEnd })
        : null,
    () => (renewals.size > 0 && state.level !== 'community' ? refuse('RENEWAL_NOT_APPLICABLE') : null),
    () => {
      // Only a seat still sat when the new term starts continues into it (invariant 4).
      const invalid = command.renewals.find((id) => {
        const seat = state.seats.find((s) => s.id === id && s.kind === 'part-time');
        return (
          seat === undefined ||
          seat.exitOn !== null ||
          seat.termEndsOn === null ||
          seat.from >= command.startsOn ||
          addDays(seat.termEndsOn, 1) < command.startsOn
        );
      });
      return invalid === undefined ? null : refuse('RENEWAL_NOT_SITTING', { candidateId: invalid });
    },
    () => {
      // Invariant 2: the continued seat must not run into another seat of the same person.
      for (const id of command.renewals) {
        const seat = state.seats.find((s) => s.id === id);
        if (seat === undefined) continue;
        const clash = overlappingSeat(state, seat.personId, command.startsOn, addDays(endsOn, 1), seat.id);
        const relievedNow =
          clash !== undefined &&
          clash.kind === 'officer' &&
          clash.exitOn === null &&
          clash.from < command.startsOn;
        if (clash !== undefined && !relievedNow)
          return refuse('SEAT_OVERLAP', { candidateId: id, seat: clash.id });
      }
      return null;
    },
    () =>
      renewals.size > 0 &&
      context.policy.partTime.renewalRequiresApproval &&
      command.renewalApprovalRef === undefined
        ? refuse('RENEWAL_APPROVAL_REQUIRED')
        : null,
  );
  if (rejection !== null) return rejection;

  const events: CommitteeEvent[] = [
    {
      type: 'TermStarted',
      data: { committeeId: state.id, termNumber: command.termNumber, startsOn: command.startsOn, endsOn },
    },
  ];
  for (const seat of state.seats) {
    if (seat.exitOn !== null || seat.from >= command.startsOn) continue;
    if (seat.kind === 'officer' && seat.role !== null) {
      events.push({
        type: 'OfficerRelieved',
        data: {
          committeeId: state.id,
          personId: seat.personId,
          role: seat.role,
          effectiveOn: command.startsOn,
          reason: 'term ended (换届)',
        },
      });
    } else if (seat.candidateId !== null && state.level === 'community' && seat.termEndsOn !== null) {
      const ids = { committeeId: state.id, candidateId: seat.candidateId, personId: seat.personId };
      if (renewals.has(seat.id)) {
        events.push({
          type: 'MemberRenewed',
          data: {
            ...ids,
            renewedOn: command.startsOn,
            previousTermEndsOn: seat.termEndsOn,
            termEndsOn: endsOn,
            approvalRef: command.renewalApprovalRef ?? null,
          },
        });
      } else {
        events.push({
          type: 'MemberTermExpired',
          data: {
            ...ids,
            effectiveOn: minDate(command.startsOn, addDays(seat.termEndsOn, 1)),
            termEndsOn: seat.termEndsOn,
          },
        });
      }
    }
  }
  return events;
};

export const assignOfficer = (
  command: CommitteeCommandOf<'AssignOfficer'>,
  state: ActiveCommittee,
  context: CommitteeContext,
): Decision<CommitteeEvent> => {
  const rejection = firstOf(
    () => acceptsCommands(state, context),
    () => happenedAfter(command.effectiveOn, 'effectiveOn', context, state.establishedOn, 'establishedOn'),
    () => registeredPerson(context.facts.member, command.personId),
    () =>
      termOn(state, command.effectiveOn) === undefined
        ? refuse('NO_CURRENT_TERM', { date: command.effectiveOn })
        : null,
    () => {
      if (!SINGLE_ROLES.has(command.role)) return null;
      const holder = state.seats.find((s) => {
        const end = seatEnd(s, state);
        return s.role === command.role && (end === null || command.effectiveOn < end);
      });
      return holder === undefined
        ? null
        : refuse('OFFICER_ROLE_FILLED', { role: command.role, holder: holder.personId });
    },
    () => {
      const clash = overlappingSeat(state, command.personId, command.effectiveOn, null);
      return clash === undefined
        ? null
        : refuse('SEAT_OVERLAP', { personId: command.personId, seat: clash.id });
    },
  );
  if (rejection !== null) return rejection;
  return [
    {
      type: 'OfficerAssigned',
      data: {
        committeeId: state.id,
        personId: command.personId,
        role: command.role,
        effectiveOn: command.effectiveOn,
      },
    },
  ];
};

export const relieveOfficer = (
  command: CommitteeCommandOf<'RelieveOfficer'>,
  state: ActiveCommittee,
  context: CommitteeContext,
): Decision<CommitteeEvent> => {
  const seat = state.seats.find(
    (s) =>
      s.kind === 'officer' && s.personId === command.personId && s.role === command.role && s.exitOn === null,
  );
  if (seat === undefined)
    return refuse('OFFICER_NOT_SITTING', { personId: command.personId, role: command.role });
  const rejection = firstOf(
    () => acceptsCommands(state, context),
    () => inFuture(command.effectiveOn, 'effectiveOn', context),
    () =>
      command.effectiveOn <= seat.from
        ? refuse('EXIT_OUTSIDE_SEAT', { effectiveOn: command.effectiveOn, from: seat.from })
        : null,
  );
  if (rejection !== null) return rejection;
  return [
    {
      type: 'OfficerRelieved',
      data: {
        committeeId: state.id,
        personId: command.personId,
        role: command.role,
        effectiveOn: command.effectiveOn,
        reason: command.reason,
      },
    },
  ];
};

export const dissolve = (
  command: CommitteeCommandOf<'DissolveCommittee'>,
  state: ActiveCommittee,
  context: CommitteeContext,
): Decision<CommitteeEvent> => {
  const rejection = firstOf(
    () => acceptsCommands(state, context),
    () => happenedAfter(command.dissolvedOn, 'dissolvedOn', context, state.establishedOn, 'establishedOn'),
  );
  if (rejection !== null) return rejection;
  return [
    {
      type: 'CommitteeDissolved',
      data: { committeeId: state.id, dissolvedOn: command.dissolvedOn, reason: command.reason },
    },
  ];
};
