import { z } from 'zod';
import { defineEvent, eventCatalog, type EventOf } from '../kernel/events.ts';
import { PlainDate } from '../kernel/plainDate.ts';
import { Authority, PipelineStage } from '../policy/schema.ts';
import {
  AgendaItemId,
  CandidateId,
  CommitteeId,
  MeetingId,
  MemberId,
  ObjectionId,
  RegionId,
  ResolutionId,
  UnitId,
} from '../shared/ids.ts';
import { DocumentRef, Name, Text } from '../shared/text.ts';

/**
 * 街道大工委 · 社区大党委 · 党总支 · 社区党支部 · 小区党支部 · 网格功能性党支部
 */
export const CommitteeKind = z.enum([
  'subdistrict-working-committee',
  'community-party-committee',
  'community-general-branch',
  'community-branch',
  'compound-branch',
  'grid-branch',
]);
export type CommitteeKind = z.infer<typeof CommitteeKind>;

/** Who approves and how long part-time members serve depends on the level. */
export const CommitteeLevel = z.enum(['subdistrict', 'community']);
export type CommitteeLevel = z.infer<typeof CommitteeLevel>;

/** 书记 · 第一书记 · 副书记 · 专职委员 */
export const OfficerRole = z.enum(['secretary', 'first-secretary', 'deputy-secretary', 'full-time-member']);
export type OfficerRole = z.infer<typeof OfficerRole>;

/** The five categories of 004 §2.1 who may be nominated. */
export const NomineeCategory = z.enum([
  'non-public-enterprise-leader',
  'institution-leader',
  'community-secretary',
  'exemplary-resident',
  'retired-member',
]);
export type NomineeCategory = z.infer<typeof NomineeCategory>;

/** The "four roles" (四大员) of 000. */
export const Duty = z.enum([
  'policy-advocate',
  'community-counsellor',
  'project-follower',
  'opinion-collector',
]);
export type Duty = z.infer<typeof Duty>;

/** 优秀 / 称职 / 基本称职 / 不称职 */
export const EvaluationGrade = z.enum(['excellent', 'competent', 'basically-competent', 'incompetent']);
export type EvaluationGrade = z.infer<typeof EvaluationGrade>;

export const DismissalReason = z.enum([
  'neglect-of-duty',
  'rule-violation',
  'disciplinary-sanction',
  'legal-sanction',
  'publicity-objection-upheld',
]);
export type DismissalReason = z.infer<typeof DismissalReason>;

export const FollowUpStatus = z.enum(['done', 'in-progress', 'stalled']);

const base = { committeeId: CommitteeId };
const candidate = { ...base, candidateId: CandidateId };
const seat = { ...candidate, personId: MemberId };

export const CommitteeEstablished = defineEvent(
  'CommitteeEstablished',
  z.strictObject({
    ...base,
    kind: CommitteeKind,
    level: CommitteeLevel,
    regionId: RegionId,
    name: Name,
    establishedOn: PlainDate,
  }),
);
export const CommitteeUpgraded = defineEvent(
  'CommitteeUpgraded',
  z.strictObject({
    ...base,
    fromKind: CommitteeKind,
    toKind: CommitteeKind,
    upgradedOn: PlainDate,
    approvalRef: DocumentRef,
  }),
);
export const TermStarted = defineEvent(
  'TermStarted',
  z.strictObject({ ...base, termNumber: z.number().int().min(1), startsOn: PlainDate, endsOn: PlainDate }),
);
export const OfficerAssigned = defineEvent(
  'OfficerAssigned',
  z.strictObject({ ...base, personId: MemberId, role: OfficerRole, effectiveOn: PlainDate }),
);
export const OfficerRelieved = defineEvent(
  'OfficerRelieved',
  z.strictObject({ ...base, personId: MemberId, role: OfficerRole, effectiveOn: PlainDate, reason: Text }),
);
export const CandidateNominated = defineEvent(
  'CandidateNominated',
  z.strictObject({
    ...seat,
    category: NomineeCategory,
    unitId: UnitId.nullable(),
    nominatedBy: Name,
    nominatedOn: PlainDate,
  }),
);
export const CandidateScreened = defineEvent(
  'CandidateScreened',
  z.strictObject({
    ...candidate,
    screenedOn: PlainDate,
    method: z.enum(['mass-evaluation', 'qualification-review']),
    votesFor: z.number().int().min(0).nullable(),
    votesAgainst: z.number().int().min(0).nullable(),
  }),
);
export const CandidateDeliberated = defineEvent(
  'CandidateDeliberated',
  z.strictObject({ ...candidate, deliberatedOn: PlainDate, meetingRef: DocumentRef }),
);
export const CandidateApproved = defineEvent(
  'CandidateApproved',
  z.strictObject({
    ...candidate,
    approvedOn: PlainDate,
    authority: Authority,
    approvalRef: DocumentRef,
    /** 备案: where a community-level approval is filed. */
    filedWith: Authority.nullable(),
    /** Where a subdistrict-level approval is reported (the standing committee). */
    reportedTo: Authority.nullable(),
  }),
);
export const CandidateRejected = defineEvent(
  'CandidateRejected',
  z.strictObject({ ...candidate, stage: PipelineStage, rejectedOn: PlainDate, reason: Text }),
);
export const PublicityStarted = defineEvent(
  'PublicityStarted',
  z.strictObject({
    ...candidate,
    startsOn: PlainDate,
    endsOn: PlainDate,
    workingDays: z.number().int().min(1),
  }),
);
export const PublicityObjectionRaised = defineEvent(
  'PublicityObjectionRaised',
  z.strictObject({ ...candidate, objectionId: ObjectionId, raisedOn: PlainDate, summary: Text }),
);
export const PublicityObjectionResolved = defineEvent(
  'PublicityObjectionResolved',
  z.strictObject({
    ...candidate,
    objectionId: ObjectionId,
    resolvedOn: PlainDate,
    upheld: z.boolean(),
    finding: Text,
  }),
);
/** The level of the body that approved an appointment: the county, the subdistrict, the community. */
export const ApprovalLevel = z.enum(['county', 'subdistrict', 'community']);
export type ApprovalLevel = z.infer<typeof ApprovalLevel>;

/** The level each approving authority sits at. */
export const APPROVAL_LEVEL: Readonly<Record<Authority, ApprovalLevel>> = {
  'county-organisation-department': 'county',
  'county-standing-committee': 'county',
  'subdistrict-committee': 'subdistrict',
  'community-committee': 'community',
};

/** An appointment's approval: its document, the approving body and the level it sits at. */
export const Approval = z.strictObject({ ref: DocumentRef, authority: Authority, level: ApprovalLevel });
export type Approval = z.infer<typeof Approval>;

/**
 * Version 2 (2026-12): the approval as a structured value, `approval: {ref, authority, level}`,
 * where version 1 had `approvalRef` and `approvedBy`. Version 1 events are lifted on read
 * (`DOMAIN_UPCASTERS`); the log keeps them as written.
 */
export const MemberAppointed = defineEvent(
  'MemberAppointed',
  z.strictObject({
    ...seat,
    level: CommitteeLevel,
    category: NomineeCategory,
    unitId: UnitId.nullable(),
    appointedOn: PlainDate,
    /** The last day of the appointment's term. */
    termEndsOn: PlainDate,
    termNumber: z.number().int().min(1),
    certificateNo: DocumentRef,
    approval: Approval,
    /** More sitting part-time members than the policy's guideline (about five): recorded, not refused. */
    aboveGuideline: z.boolean(),
  }),
  { schemaVersion: 2 },
);

/** Lifts a version 1 MemberAppointed (`approvalRef`, `approvedBy`) to version 2 (`approval`). */
export const memberAppointedV1toV2 = (data: unknown): unknown => {
  const { approvalRef, approvedBy, ...rest } = data as { approvalRef: string; approvedBy: Authority };
  return {
    ...rest,
    approval: { ref: approvalRef, authority: approvedBy, level: APPROVAL_LEVEL[approvedBy] },
  };
};
export const DutiesAssigned = defineEvent(
  'DutiesAssigned',
  z.strictObject({ ...seat, duties: z.array(Duty).min(1).max(4), assignedOn: PlainDate }),
);
export const MemberRenewed = defineEvent(
  'MemberRenewed',
  z.strictObject({
    ...seat,
    renewedOn: PlainDate,
    previousTermEndsOn: PlainDate,
    termEndsOn: PlainDate,
    approvalRef: DocumentRef.nullable(),
  }),
);
/** Exits carry `effectiveOn`: the first day the person no longer sits. */
export const MemberDismissed = defineEvent(
  'MemberDismissed',
  z.strictObject({
    ...seat,
    effectiveOn: PlainDate,
    reason: DismissalReason,
    decisionRef: DocumentRef,
    filedWith: Authority,
  }),
);
export const MemberWithdrew = defineEvent(
  'MemberWithdrew',
  z.strictObject({
    ...seat,
    effectiveOn: PlainDate,
    reason: Text,
    /** 经党组织关系所在单位书面通报: the written notice from the member's own unit. */
    notice: z.strictObject({
      issuedBy: Name,
      unitId: UnitId.nullable(),
      notifiedOn: PlainDate,
      documentRef: DocumentRef,
    }),
  }),
);
export const MemberTermExpired = defineEvent(
  'MemberTermExpired',
  z.strictObject({ ...seat, effectiveOn: PlainDate, termEndsOn: PlainDate }),
);
export const AgendaItemSubmitted = defineEvent(
  'AgendaItemSubmitted',
  z.strictObject({
    ...base,
    agendaItemId: AgendaItemId,
    title: Name,
    submittedBy: Name,
    submittedOn: PlainDate,
  }),
);
export const JointMeetingHeld = defineEvent(
  'JointMeetingHeld',
  z.strictObject({
    ...base,
    meetingId: MeetingId,
    heldOn: PlainDate,
    attendees: z.array(MemberId).min(1),
    /** The attendees who sit as part-time members (the seeds count their attendances). */
    partTimeAttendees: z.array(MemberId),
    /** Everyone sitting on the committee on the day: the denominator of the attendance rate. */
    invitedCount: z.number().int().min(1),
    agendaItemIds: z.array(AgendaItemId),
    minutesRef: DocumentRef,
    resolutions: z.array(z.strictObject({ resolutionId: ResolutionId, text: Text })),
    followUps: z.array(z.strictObject({ resolutionId: ResolutionId, status: FollowUpStatus, note: Text })),
  }),
);
export const MemberEvaluated = defineEvent(
  'MemberEvaluated',
  z.strictObject({
    ...seat,
    year: z.number().int(),
    grade: EvaluationGrade,
    evaluatedOn: PlainDate,
    method: z.enum(['mass-evaluation-and-performance', 'duty-report']),
  }),
);
export const CommitteeDissolved = defineEvent(
  'CommitteeDissolved',
  z.strictObject({ ...base, dissolvedOn: PlainDate, reason: Text }),
);

export const committeeEvents = eventCatalog([
  CommitteeEstablished,
  CommitteeUpgraded,
  TermStarted,
  OfficerAssigned,
  OfficerRelieved,
  CandidateNominated,
  CandidateScreened,
  CandidateDeliberated,
  CandidateApproved,
  CandidateRejected,
  PublicityStarted,
  PublicityObjectionRaised,
  PublicityObjectionResolved,
  MemberAppointed,
  DutiesAssigned,
  MemberRenewed,
  MemberDismissed,
  MemberWithdrew,
  MemberTermExpired,
  AgendaItemSubmitted,
  JointMeetingHeld,
  MemberEvaluated,
  CommitteeDissolved,
]);
export type CommitteeEvent =
  | EventOf<typeof CommitteeEstablished>
  | EventOf<typeof CommitteeUpgraded>
  | EventOf<typeof TermStarted>
  | EventOf<typeof OfficerAssigned>
  | EventOf<typeof OfficerRelieved>
  | EventOf<typeof CandidateNominated>
  | EventOf<typeof CandidateScreened>
  | EventOf<typeof CandidateDeliberated>
  | EventOf<typeof CandidateApproved>
  | EventOf<typeof CandidateRejected>
  | EventOf<typeof PublicityStarted>
  | EventOf<typeof PublicityObjectionRaised>
  | EventOf<typeof PublicityObjectionResolved>
  | EventOf<typeof MemberAppointed>
  | EventOf<typeof DutiesAssigned>
  | EventOf<typeof MemberRenewed>
  | EventOf<typeof MemberDismissed>
  | EventOf<typeof MemberWithdrew>
  | EventOf<typeof MemberTermExpired>
  | EventOf<typeof AgendaItemSubmitted>
  | EventOf<typeof JointMeetingHeld>
  | EventOf<typeof MemberEvaluated>
  | EventOf<typeof CommitteeDissolved>;

/** Events that end a part-time seat. */
export type SeatExitEvent = Extract<
  CommitteeEvent,
  { type: 'MemberDismissed' | 'MemberWithdrew' | 'MemberTermExpired' }
>;
