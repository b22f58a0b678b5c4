import { driveIssue, ISSUE_WORLD, issuePlan } from '@cogov/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Assignee } from './events.ts';

const RUNS = 1000;
const within = (span: readonly [string, string] | undefined, date: string) =>
  span !== undefined && span[0] <= date && date < span[1];
/** Eligibility straight from the world's table, not from the domain's committee or unit code. */
const eligible = (assignee: Assignee, date: string) =>
  assignee.kind === 'member'
    ? within(ISSUE_WORLD.sitting[assignee.personId], date)
    : within(ISSUE_WORLD.paired[assignee.unitId], date);

let resolutions = 0;
let reopenings = 0;

describe('Issue invariants (properties)', () => {
  it('invariant 6: resolved only when assigned, at most once per opening; reopened only after resolution; assignees sit on the committee or are paired units', () => {
    fc.assert(
      fc.property(issuePlan, (plan) => {
        const { events } = driveIssue(plan);
        let assigned = false;
        let resolvedThisOpening = false;
        let lastWasResolution = false;
        for (const event of events) {
          switch (event.type) {
            case 'IssueAssigned':
              expect(eligible(event.data.assignee, event.data.assignedOn)).toBe(true);
              assigned = true;
              break;
            case 'IssueReassigned':
              expect(eligible(event.data.to, event.data.reassignedOn)).toBe(true);
              break;
            case 'IssueResolved':
              resolutions++;
              expect(assigned).toBe(true);
              expect(resolvedThisOpening).toBe(false);
              resolvedThisOpening = true;
              break;
            case 'IssueReopened':
              reopenings++;
              expect(lastWasResolution).toBe(true);
              resolvedThisOpening = false;
              break;
            default:
              break;
          }
          if (event.type !== 'IssueOutcomePublished') lastWasResolution = event.type === 'IssueResolved';
        }
      }),
      { numRuns: RUNS },
    );
    expect(resolutions).toBeGreaterThan(RUNS / 4);
    expect(reopenings).toBeGreaterThan(RUNS / 20);
  });
});
