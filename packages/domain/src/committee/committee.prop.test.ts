import { committeeScenario, driveCommittee } from '@cogov/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, termEnd, type PlainDate } from '../kernel/plainDate.ts';
import type { PipelineStage, Policy } from '../policy/schema.ts';
import type { CommitteeEvent } from './events.ts';
import { committeeDecider } from './index.ts';

const RUNS = 1000;

/**
 * An independent reading of a committee's log: who sat when, and which term was current. It
 * shares no code with the decider, so a rule the decider forgets shows up as a disagreement.
 */
interface OracleSeat {
  readonly key: string;
  readonly person: string;
  readonly candidate: string | null;
  readonly from: PlainDate;
  /** First day not sitting; null while open-ended. */
  end: PlainDate | null;
  termEndsOn: PlainDate | null;
  exited: boolean;
}

const replay = (
  events: readonly CommitteeEvent[],
  visit?: (event: CommitteeEvent, seats: OracleSeat[], index: number) => void,
) => {
  const seats: OracleSeat[] = [];
  const terms: { startsOn: PlainDate; endsOn: PlainDate }[] = [];
  let dissolvedOn: PlainDate | null = null;
  events.forEach((event, index) => {
    visit?.(event, seats, index);
    switch (event.type) {
      case 'TermStarted': {
        const last = terms[terms.length - 1];
        if (last !== undefined && last.endsOn >= event.data.startsOn)
          last.endsOn = addDays(event.data.startsOn, -1);
        terms.push({ startsOn: event.data.startsOn, endsOn: event.data.endsOn });
        break;
      }
      case 'MemberAppointed':
        seats.push({
          key: event.data.candidateId,
          person: event.data.personId,
          candidate: event.data.candidateId,
          from: event.data.appointedOn,
          end: addDays(event.data.termEndsOn, 1),
          termEndsOn: event.data.termEndsOn,
          exited: false,
        });
        break;
      case 'MemberRenewed': {
        const seat = seats.find((s) => s.candidate === event.data.candidateId);
        if (seat !== undefined) {
          seat.termEndsOn = event.data.termEndsOn;
          seat.end = addDays(event.data.termEndsOn, 1);
        }
        break;
      }
      case 'MemberDismissed':
      case 'MemberWithdrew':
      case 'MemberTermExpired': {
        const seat = seats.find((s) => s.candidate === event.data.candidateId);
        if (seat !== undefined) {
          seat.end = event.data.effectiveOn;
          seat.exited = true;
        }
        break;
      }
      case 'OfficerAssigned':
        seats.push({
          key: `officer-${index}`,
          person: event.data.personId,
          candidate: null,
          from: event.data.effectiveOn,
          end: null,
          termEndsOn: null,
          exited: false,
        });
        break;
      case 'OfficerRelieved': {
        const seat = seats.find((s) => s.candidate === null && s.person === event.data.personId && !s.exited);
        if (seat !== undefined) {
          seat.end = event.data.effectiveOn;
          seat.exited = true;
        }
        break;
      }
      case 'CommitteeDissolved':
        dissolvedOn = event.data.dissolvedOn;
        break;
      default:
        break;
    }
  });
  const endOf = (seat: OracleSeat): PlainDate | null =>
    dissolvedOn !== null && (seat.end === null || dissolvedOn < seat.end) ? dissolvedOn : seat.end;
  const sits = (seat: OracleSeat, date: PlainDate) => {
    const end = endOf(seat);
    return seat.from <= date && (end === null || date < end);
  };
  return { seats, terms, endOf, sits };
};

let appointments = 0;
let meetings = 0;
let exits = 0;

describe('Committee invariants (properties)', () => {
  it('invariant 1: no MemberAppointed unless every required step passed, in order, approved by the right authority, after a completed publicity with no unresolved objection', () => {
    fc.assert(
      fc.property(committeeScenario, ({ world, plan }) => {
        const { events } = driveCommittee(world, plan);
        const policy: Policy = world.policy;
        const pipeline = policy.partTime.pipeline;
        const required = pipeline.slice(0, pipeline.indexOf('appointment'));
        const publicityFirst = required.includes('publicity');
        events.forEach((event, index) => {
          if (event.type !== 'MemberAppointed') return;
          appointments++;
          const mine = events
            .slice(0, index)
            .filter((e) => 'candidateId' in e.data && e.data.candidateId === event.data.candidateId);
          const stageOf: Partial<Record<CommitteeEvent['type'], PipelineStage>> = {
            CandidateNominated: 'nomination',
            CandidateScreened: 'screening',
            CandidateDeliberated: 'deliberation',
            CandidateApproved: 'approval',
            PublicityStarted: 'publicity',
          };
          expect(mine.flatMap((e) => stageOf[e.type] ?? [])).toEqual(required);
          expect(mine.some((e) => e.type === 'CandidateRejected')).toBe(false);
          const approval = mine.find((e) => e.type === 'CandidateApproved');
          expect(approval?.type === 'CandidateApproved' && approval.data.authority).toBe(
            policy.partTime.approval[event.data.level].authority,
          );
          if (publicityFirst) {
            const publicity = mine.find((e) => e.type === 'PublicityStarted');
            expect(
              publicity?.type === 'PublicityStarted' && publicity.data.endsOn < event.data.appointedOn,
            ).toBe(true);
            const raised = mine
              .filter((e) => e.type === 'PublicityObjectionRaised')
              .map((e) => e.data.objectionId);
            const resolved = mine.flatMap((e) => (e.type === 'PublicityObjectionResolved' ? [e] : []));
            for (const objection of raised)
              expect(resolved.some((r) => r.data.objectionId === objection && !r.data.upheld)).toBe(true);
          }
        });
      }),
      { numRuns: RUNS },
    );
    expect(appointments).toBeGreaterThan(RUNS / 4);
  });

  it('invariant 2: a person holds at most one seat in a committee at any date', () => {
    fc.assert(
      fc.property(committeeScenario, ({ world, plan }) => {
        const { seats, endOf } = replay(driveCommittee(world, plan).events);
        for (const a of seats) {
          for (const b of seats) {
            if (a === b || a.person !== b.person) continue;
            const aEnd = endOf(a);
            const bEnd = endOf(b);
            const overlap =
              (aEnd === null || b.from < aEnd) &&
              (bEnd === null || a.from < bEnd) &&
              (aEnd === null || a.from < aEnd) &&
              (bEnd === null || b.from < bEnd);
            expect(overlap, `${a.key} and ${b.key} of ${a.person} overlap`).toBe(false);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('invariant 3: a subdistrict-level term is at most the policy’s years; a community-level term ends with the committee’s term', () => {
    fc.assert(
      fc.property(committeeScenario, ({ world, plan }) => {
        const { events } = driveCommittee(world, plan);
        const years = world.policy.partTime.subdistrictTermYears;
        replay(events, (event, _seats, index) => {
          const terms = replay(events.slice(0, index)).terms;
          if (event.type === 'MemberAppointed') {
            if (event.data.level === 'subdistrict') {
              expect(event.data.termEndsOn <= termEnd(event.data.appointedOn, years)).toBe(true);
            } else {
              const term = terms.find(
                (t) => t.startsOn <= event.data.appointedOn && event.data.appointedOn <= t.endsOn,
              );
              expect(event.data.termEndsOn).toBe(term?.endsOn);
            }
          }
          if (event.type === 'MemberRenewed') {
            const appointed = events.find(
              (e) => e.type === 'MemberAppointed' && e.data.candidateId === event.data.candidateId,
            );
            if (appointed?.type === 'MemberAppointed' && appointed.data.level === 'subdistrict') {
              expect(event.data.termEndsOn <= termEnd(addDays(event.data.previousTermEndsOn, 1), years)).toBe(
                true,
              );
            } else {
              const started = events
                .slice(0, index)
                .reverse()
                .find((e) => e.type === 'TermStarted');
              expect(started?.type === 'TermStarted' && started.data.endsOn).toBe(event.data.termEndsOn);
            }
          }
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('invariant 4: renewals and exits apply only to a sitting member, exits fall inside the seat, and nothing is dated after an exit', () => {
    fc.assert(
      fc.property(committeeScenario, ({ world, plan }) => {
        const { events } = driveCommittee(world, plan);
        replay(events, (event, seats) => {
          const about = 'candidateId' in event.data ? event.data.candidateId : undefined;
          const seat = seats.find((s) => s.candidate !== null && s.candidate === about);
          switch (event.type) {
            case 'MemberRenewed':
              expect(seat).toBeDefined();
              expect(seat?.exited).toBe(false);
              expect(
                seat !== undefined &&
                  seat.from <= event.data.renewedOn &&
                  event.data.renewedOn <= addDays(seat.termEndsOn as PlainDate, 1),
              ).toBe(true);
              break;
            case 'MemberDismissed':
            case 'MemberWithdrew':
            case 'MemberTermExpired':
              exits++;
              expect(seat).toBeDefined();
              expect(seat?.exited).toBe(false);
              expect(
                seat !== undefined &&
                  seat.from < event.data.effectiveOn &&
                  event.data.effectiveOn <= addDays(seat.termEndsOn as PlainDate, 1),
              ).toBe(true);
              break;
            case 'DutiesAssigned':
            case 'MemberEvaluated': {
              // "Nothing after exit" by effective date: a fact about a seat is dated while it is sat,
              // even when recorded later (a year's evaluation of a member who has since left).
              const date = event.type === 'DutiesAssigned' ? event.data.assignedOn : event.data.evaluatedOn;
              expect(seat !== undefined && seat.from <= date && (seat.end === null || date < seat.end)).toBe(
                true,
              );
              break;
            }
            default:
              break;
          }
        });
      }),
      { numRuns: RUNS },
    );
    expect(exits).toBeGreaterThan(RUNS / 10);
  });

  it('invariant 5: joint-meeting attendees sit on the committee on the meeting date', () => {
    fc.assert(
      fc.property(committeeScenario, ({ world, plan }) => {
        const { events } = driveCommittee(world, plan);
        replay(events, (event, seats) => {
          if (event.type !== 'JointMeetingHeld') return;
          meetings++;
          const { sits } = replay(events.slice(0, events.indexOf(event)));
          for (const attendee of event.data.attendees) {
            expect(
              seats.some((s) => s.person === attendee && sits(s, event.data.heldOn)),
              `${attendee} on ${event.data.heldOn}`,
            ).toBe(true);
          }
        });
      }),
      { numRuns: RUNS },
    );
    expect(meetings).toBeGreaterThan(RUNS / 4);
  });

  it('invariant 9: a dissolved committee accepts nothing more', () => {
    fc.assert(
      fc.property(committeeScenario, ({ world, plan }) => {
        const { events } = driveCommittee(world, plan);
        const dissolved = events.findIndex((e) => e.type === 'CommitteeDissolved');
        if (dissolved >= 0) expect(events.slice(dissolved + 1)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('invariant 10: replaying the log from the start, also after a round trip through JSON, yields the same state', () => {
    fc.assert(
      fc.property(committeeScenario, ({ world, plan }) => {
        const { events, state } = driveCommittee(world, plan);
        const fold = (log: readonly CommitteeEvent[]) =>
          log.reduce(committeeDecider.evolve, committeeDecider.initialState);
        expect(fold(events)).toEqual(state);
        expect(fold(JSON.parse(JSON.stringify(events)) as CommitteeEvent[])).toEqual(state);
      }),
      { numRuns: RUNS },
    );
  });
});
