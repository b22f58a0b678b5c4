import { reject, type Rejection } from '../kernel/decider.ts';

/**
 * Every rejection code of the domain, with what it means. The codes are stable: clients and the
 * HTTP API match on them. `docs/errors.md` is generated from this registry.
 */
export const REJECTIONS = {
  // Dates and places
  DATE_IN_FUTURE: 'A fact that has happened carries a date after today (in the county time zone).',
  DATE_OUT_OF_ORDER: 'A date lies before an earlier step it must follow (e.g. resolved before assigned).',
  REGION_NOT_FOUND: 'The region does not exist.',
  REGION_RETIRED: 'The region, or a region above it, was retired: nothing is accepted under it.',
  REGION_LEVEL_MISMATCH:
    'The region is not of the level this requires (e.g. a community committee outside a community).',
  REGION_ALREADY_DEFINED: 'A region with this id already exists.',
  PARENT_LEVEL_MISMATCH: 'The parent region cannot hold a region of this level.',
  NAME_UNCHANGED: 'The new name is the current name.',
  // Committees and terms
  COMMITTEE_NOT_FOUND: 'The committee does not exist.',
  COMMITTEE_ALREADY_ESTABLISHED: 'A committee with this id already exists.',
  COMMITTEE_DISSOLVED: 'The committee was dissolved: it accepts nothing more.',
  UPGRADE_NOT_ALLOWED:
    'Only a branch can be upgraded to a general branch, and a general branch to a party committee.',
  NO_CURRENT_TERM: 'The committee has no term covering the date: no one can be added without a current term.',
  TERM_NOT_AFTER_PREVIOUS: 'A new term must start after the previous one started.',
  TERM_TOO_LONG: 'The term is longer than the policy allows.',
  TERM_NUMBER_MISMATCH: 'The term number is not the next one.',
  RENEWAL_NOT_SITTING:
    'A seat named for renewal into the new term is not a sitting community-level part-time seat.',
  OFFICER_ROLE_FILLED: 'Someone already holds this officer role on that date.',
  OFFICER_NOT_SITTING: 'The person holds no officer seat with this role on that date.',
  SEAT_OVERLAP: 'The person already holds a seat in this committee during part of that interval.',
  // The part-time member pipeline
  PART_TIME_NOT_SUPPORTED: 'This kind of organisation has no part-time members (compound and grid branches).',
  CANDIDATE_EXISTS: 'A candidate with this id already exists.',
  CANDIDATE_NOT_FOUND: 'No candidate with this id.',
  CANDIDACY_IN_PROGRESS: 'The person already has a candidacy in progress in this committee.',
  CANDIDATE_CLOSED: 'The candidacy was rejected or has led to an appointment already.',
  PERSON_NOT_REGISTERED: 'The person is not a registered party member.',
  MEMBER_TRANSFERRED_OUT: 'The party member was transferred out: nothing is accepted for them.',
  PERSONAL_DATA_ERASED: 'The member’s personal data has already been erased.',
  UNIT_REQUIRED: 'Nominees of categories 1 and 2 are nominated from a unit.',
  UNIT_NOT_REGISTERED: 'The unit is not registered.',
  UNIT_OUTSIDE_AREA: 'The unit is not located in the committee’s area.',
  STAGE_OUT_OF_ORDER: 'The step is not the next one the policy requires for this candidate.',
  STAGE_NOT_IN_PIPELINE: 'The policy’s pipeline has no such step.',
  WRONG_APPROVAL_AUTHORITY:
    'The approval comes from an authority other than the one the policy names for this level.',
  FILING_REQUIRED: 'The policy requires the decision to be filed with a named authority.',
  PUBLICITY_NOT_STARTED: 'The publicity period has not started.',
  PUBLICITY_ALREADY_STARTED: 'The publicity period was started already.',
  PUBLICITY_NOT_COMPLETED: 'The publicity period has not ended yet.',
  OBJECTION_UNRESOLVED: 'An objection raised during publicity is still unresolved.',
  OBJECTION_OUTSIDE_PUBLICITY: 'An objection must be raised inside the publicity period.',
  OBJECTION_EXISTS: 'An objection with this id exists already.',
  OBJECTION_NOT_FOUND: 'No open objection with this id.',
  PART_TIME_CAP_REACHED:
    'The committee already has as many sitting part-time members as the policy’s hard cap.',
  // Seats
  SEAT_NOT_SITTING: 'The member does not sit on the committee on that date (not appointed yet, or exited).',
  EXIT_OUTSIDE_SEAT: 'The exit’s effective date lies outside the seat’s interval.',
  TERM_NOT_ENDED: 'The term has not ended yet.',
  RENEWAL_NOT_LONGER: 'A renewal must end later than the current term end.',
  RENEWAL_APPROVAL_REQUIRED: 'The policy requires the superior’s approval for a renewal.',
  RENEWAL_NOT_APPLICABLE:
    'Community-level members continue into a new term through StartTerm, not a renewal.',
  NOTICE_FROM_WRONG_UNIT: 'A withdrawal is notified in writing by the member’s own unit.',
  ALREADY_EVALUATED: 'The member was evaluated for that year already.',
  DUTIES_INVALID: 'Duties must be distinct roles of the four.',
  // Joint meetings
  MEETING_EXISTS: 'A meeting with this id was held already.',
  ATTENDEE_NOT_SITTING: 'An attendee does not sit on the committee on the meeting date.',
  ATTENDEES_REQUIRED: 'A meeting has at least one attendee, each listed once.',
  AGENDA_ITEM_EXISTS: 'An agenda item with this id exists already.',
  AGENDA_ITEM_UNKNOWN: 'An agenda item was never submitted, or was discussed already.',
  RESOLUTION_EXISTS: 'A resolution with this id exists already.',
  RESOLUTION_UNKNOWN: 'A follow-up names no open resolution of an earlier meeting.',
  FOLLOW_UP_MISSING: 'The policy requires every open resolution to be reported on at the next meeting.',
  // Members
  MEMBER_ALREADY_REGISTERED: 'A member with this id is registered already.',
  MEMBER_NOT_FOUND: 'No registered member with this id.',
  ALREADY_REPORTED: 'There is an active registration for this community already.',
  NOT_REPORTED: 'There is no active registration for this community.',
  CATEGORY_UNCHANGED: 'The member is in this category already.',
  CONTACT_NOT_ASSIGNED: 'The member has no contact households assigned in this grid.',
  POINTS_CAUSE_ALREADY_SCORED: 'This cause has scored points for this member already.',
  NOTHING_TO_DEDUCT: 'The member’s balance for the year is zero.',
  ALREADY_RATED: 'The member was rated for that year already.',
  UNREPORTED_CANNOT_BE_QUALIFIED:
    'Under the policy, an in-service member who never reported cannot be rated qualified or better.',
  // Units
  UNIT_ALREADY_REGISTERED: 'A unit with this id is registered already.',
  UNIT_NOT_FOUND: 'No unit with this id.',
  ALREADY_PAIRED: 'The unit is paired with this community already.',
  NOT_PAIRED: 'The unit is not paired with this community on that date.',
  RESOURCE_EXISTS: 'A resource with this id was offered already.',
  // Grid cells
  GRID_ALREADY_DRAWN: 'A grid cell with this id exists already.',
  GRID_NOT_FOUND: 'No grid cell with this id.',
  GRID_RETIRED: 'The grid cell was retired: it accepts nothing more.',
  CONTACTS_EXCEED_HOUSEHOLDS: 'Contact households would exceed the grid’s households.',
  WORKER_ALREADY_ASSIGNED: 'The grid worker is assigned already.',
  WORKER_NOT_ASSIGNED: 'The grid worker is not assigned to this grid.',
  NOT_A_GRID_BRANCH: 'The committee is not a grid branch.',
  BRANCH_OUTSIDE_COMMUNITY: 'The grid branch belongs to another community.',
  BRANCH_ALREADY_LINKED: 'A grid branch is linked to this grid already.',
  // Issues
  ISSUE_EXISTS: 'An issue with this id is registered already.',
  ISSUE_NOT_FOUND: 'No issue with this id.',
  ISSUE_NOT_OPEN: 'The issue is resolved or withdrawn.',
  ISSUE_ALREADY_ASSIGNED: 'The issue is assigned already: reassign it instead.',
  ISSUE_NOT_ASSIGNED: 'The issue has no assignee.',
  ISSUE_NOT_RESOLVED: 'The issue is not resolved.',
  ASSIGNEE_NOT_ELIGIBLE:
    'An assignee is a member sitting on the ledger’s committee, or a unit paired with its community, on that date.',
  SAME_ASSIGNEE: 'The issue is assigned to this assignee already.',
  NOT_OVERDUE: 'Only an overdue issue is escalated (督办).',
  OUTCOME_ALREADY_PUBLISHED: 'The outcome of this resolution was published already.',
  // Service projects and micro-wishes
  PROJECT_EXISTS: 'A need, project or micro-wish with this id exists already.',
  PROJECT_NOT_FOUND: 'No need, project or micro-wish with this id.',
  PROJECT_CLOSED: 'The item is completed, fulfilled or cancelled.',
  PROJECT_WRONG_KIND: 'The command does not apply to this kind of item (need, project or micro-wish).',
  PROJECT_NOT_AGREED: 'The need has not been agreed as a project.',
  ALREADY_CLAIMED: 'The item has an active claim already.',
  NOT_CLAIMED: 'The item has no active claim.',
  CLAIM_NOT_ACTIVE: 'The claim is not the item’s active claim.',
  CLAIMANT_NOT_ELIGIBLE:
    'Micro-wishes are claimed by party members; a dispatched project only by the unit it was dispatched to.',
  NOT_COMPLETED: 'Only a completed project or fulfilled micro-wish is rated.',
  ALREADY_RATED_PROJECT: 'The item was rated already.',
  // Activities
  ACTIVITY_EXISTS: 'An activity with this id exists already.',
  ACTIVITY_NOT_FOUND: 'No activity with this id.',
  ACTIVITY_NOT_PLANNED: 'The activity was held or cancelled already.',
  PARTICIPANTS_DUPLICATED: 'A participant is listed twice.',
} as const;

export type RejectionCode = keyof typeof REJECTIONS;

/** A rejection whose code is in the registry (a typo is a compile error). */
export const refuse = (
  code: RejectionCode,
  details: Readonly<Record<string, unknown>> = {},
): Rejection<RejectionCode> => reject(code, REJECTIONS[code], details);
