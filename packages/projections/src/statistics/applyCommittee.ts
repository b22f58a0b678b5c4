import { assertNever, type CommitteeEvent } from '@cogov/domain';
import {
  dayAfter,
  type ApplyContext,
  type CommitteeRecord,
  type OfficerRecord,
  type SeatRecord,
} from './context.ts';

/** Counting for committee events: organisations, the pipeline, seats, meetings, evaluations. */
export const applyCommittee = (ctx: ApplyContext, event: CommitteeEvent): void => {
  const { tally, state } = ctx;
  switch (event.type) {
    case 'CommitteeEstablished': {
      const { committeeId, kind, level, regionId, establishedOn } = event.data;
      state.set(['committee', committeeId], { regionId, kind, level } satisfies CommitteeRecord);
      tally.add('committees.count', establishedOn, 1, ctx.committeeScopes(committeeId), [`kind=${kind}`]);
      return;
    }
    case 'CommitteeUpgraded': {
      const { committeeId, fromKind, toKind, upgradedOn } = event.data;
      const committee = ctx.committee(committeeId);
      const scopes = ctx.committeeScopes(committeeId);
      tally.add('committees.count', upgradedOn, -1, scopes, [`kind=${fromKind}`]);
      tally.add('committees.count', upgradedOn, 1, scopes, [`kind=${toKind}`]);
      tally.add('committees.upgraded', upgradedOn, 1, scopes, [`kind=${toKind}`]);
      if (committee !== undefined)
        state.set(['committee', committeeId], {
          ...committee,
          kind: toKind,
          level: toKind === 'subdistrict-working-committee' ? 'subdistrict' : 'community',
        });
      return;
    }
    case 'CommitteeDissolved': {
      const { committeeId, dissolvedOn } = event.data;
      const committee = ctx.committee(committeeId);
      tally.add('committees.count', dissolvedOn, -1, ctx.committeeScopes(committeeId), [
        `kind=${committee?.kind ?? 'unknown'}`,
      ]);
      for (const [key] of state.entries<SeatRecord>(['seat', committeeId]))
        ctx.moveSeatEnd(committeeId, key[2] as string, dissolvedOn, true, 'shorten');
      for (const [key] of state.entries<OfficerRecord>(['officer', committeeId]))
        ctx.endOfficer(committeeId, key.slice(2), dissolvedOn);
      return;
    }
    case 'CandidateNominated': {
      const level = ctx.committee(event.data.committeeId)?.level ?? 'unknown';
      tally.add(
        'candidates.nominated',
        event.data.nominatedOn,
        1,
        ctx.committeeScopes(event.data.committeeId),
        [`level=${level}`, `category=${event.data.category}`],
      );
      return;
    }
    case 'CandidateRejected':
      tally.add(
        'candidates.rejected',
        event.data.rejectedOn,
        1,
        ctx.committeeScopes(event.data.committeeId),
        [`stage=${event.data.stage}`],
      );
      return;
    case 'PublicityObjectionRaised':
      tally.add('publicity.objections', event.data.raisedOn, 1, ctx.committeeScopes(event.data.committeeId));
      return;
    case 'MemberAppointed': {
      const {
        committeeId,
        candidateId,
        personId,
        level,
        category,
        unitId,
        appointedOn,
        termEndsOn,
        aboveGuideline,
      } = event.data;
      const seat: SeatRecord = {
        person: personId,
        level,
        category,
        unitId,
        from: appointedOn,
        end: dayAfter(termEndsOn),
        exited: false,
      };
      state.set(['seat', committeeId, candidateId], seat);
      const scopes = ctx.seatScopes(committeeId, seat);
      const facets = [`level=${level}`, `category=${category}`];
      tally.add('partTime.appointed', appointedOn, 1, scopes, facets);
      tally.add('partTime.sitting', appointedOn, 1, scopes, facets);
      tally.add('partTime.sitting', seat.end, -1, scopes, facets);
      if (aboveGuideline)
        tally.add('partTime.aboveGuideline', appointedOn, 1, ctx.committeeScopes(committeeId), [
          `level=${level}`,
        ]);
      return;
    }
    case 'MemberRenewed': {
      const { committeeId, candidateId, renewedOn, termEndsOn } = event.data;
      const seat = state.get<SeatRecord>(['seat', committeeId, candidateId]);
      if (seat !== undefined)
        tally.add('partTime.renewed', renewedOn, 1, ctx.seatScopes(committeeId, seat), [
          `level=${seat.level}`,
        ]);
      ctx.moveSeatEnd(committeeId, candidateId, dayAfter(termEndsOn), false);
      return;
    }
    case 'MemberDismissed':
    case 'MemberWithdrew':
    case 'MemberTermExpired': {
      const { committeeId, candidateId, effectiveOn } = event.data;
      const seat = state.get<SeatRecord>(['seat', committeeId, candidateId]);
      const reason =
        event.type === 'MemberDismissed'
          ? 'dismissed'
          : event.type === 'MemberWithdrew'
            ? 'withdrew'
            : 'expired';
      if (seat !== undefined)
        tally.add('partTime.exited', effectiveOn, 1, ctx.seatScopes(committeeId, seat), [
          `level=${seat.level}`,
          `reason=${reason}`,
        ]);
      ctx.moveSeatEnd(committeeId, candidateId, effectiveOn, true);
      return;
    }
    case 'JointMeetingHeld': {
      const { committeeId, heldOn, attendees, partTimeAttendees, invitedCount, resolutions } = event.data;
      const scopes = ctx.committeeScopes(committeeId);
      const partTime = new Set<string>(partTimeAttendees);
      tally.add('meetings.held', heldOn, 1, scopes);
      tally.add('meetings.invited', heldOn, invitedCount, scopes);
      tally.add('meetings.resolutions', heldOn, resolutions.length, scopes);
      const level = ctx.committee(committeeId)?.level ?? 'unknown';
      tally.add('meetings.attendances', heldOn, partTimeAttendees.length, scopes, [
        'role=part-time',
        `partTime=${level}`,
      ]);
      tally.add('meetings.attendances', heldOn, attendees.length - partTimeAttendees.length, scopes, [
        'role=other',
      ]);
      for (const attendee of attendees) {
        tally.add(
          'meetings.attendances',
          heldOn,
          1,
          [`m:${attendee}`],
          [`role=${partTime.has(attendee) ? 'part-time' : 'other'}`],
        );
      }
      return;
    }
    case 'DutiesAssigned': {
      const { committeeId, candidateId, duties, assignedOn } = event.data;
      const key = ['seat', committeeId, candidateId] as const;
      const seat = state.get<SeatRecord>(key);
      if (seat === undefined) return;
      const before = seat.duties ?? [];
      const after = [...before, { duties, on: assignedOn }];
      ctx.retallyDuties(ctx.seatScopes(committeeId, seat), seat, before, seat.end, after, seat.end);
      state.set(key, { ...seat, duties: after });
      return;
    }
    case 'MemberEvaluated':
      tally.add(
        'evaluations.graded',
        event.data.evaluatedOn,
        1,
        [...ctx.committeeScopes(event.data.committeeId), `m:${event.data.personId}`],
        [`grade=${event.data.grade}`],
      );
      return;
    case 'OfficerAssigned': {
      const { committeeId, personId, role, effectiveOn } = event.data;
      const scopes = ctx.committeeScopes(committeeId);
      tally.add('officers.assigned', effectiveOn, 1, scopes, [`role=${role}`]);
      tally.add('officers.sitting', effectiveOn, 1, scopes, [`role=${role}`]);
      state.set(['officer', committeeId, personId, role, effectiveOn], {
        person: personId,
        role,
        from: effectiveOn,
        end: null,
      } satisfies OfficerRecord);
      return;
    }
    case 'OfficerRelieved': {
      const { committeeId, personId, role, effectiveOn } = event.data;
      const open = state
        .entries<OfficerRecord>(['officer', committeeId, personId, role])
        .find(([, officer]) => officer.end === null);
      if (open !== undefined) ctx.endOfficer(committeeId, open[0].slice(2), effectiveOn);
      return;
    }
    case 'TermStarted':
    case 'CandidateScreened':
    case 'CandidateDeliberated':
    case 'CandidateApproved':
    case 'PublicityStarted':
    case 'PublicityObjectionResolved':
    case 'AgendaItemSubmitted':
      return;
    default:
      assertNever(event, 'committee event');
  }
};
