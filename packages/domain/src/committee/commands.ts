import { z } from 'zod';
import { PlainDate } from '../kernel/plainDate.ts';
import { Authority } from '../policy/schema.ts';
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
import {
  CommitteeKind,
  DismissalReason,
  Duty,
  EvaluationGrade,
  FollowUpStatus,
  NomineeCategory,
  OfficerRole,
} from './events.ts';

const committee = { committeeId: CommitteeId };
const candidate = { ...committee, candidateId: CandidateId };

export const EstablishCommittee = z.strictObject({
  type: z.literal('EstablishCommittee'),
  ...committee,
  kind: CommitteeKind,
  regionId: RegionId,
  name: Name,
  establishedOn: PlainDate,
});
export const UpgradeCommittee = z.strictObject({
  type: z.literal('UpgradeCommittee'),
  ...committee,
  toKind: CommitteeKind,
  upgradedOn: PlainDate,
  approvalRef: DocumentRef,
});
export const StartTerm = z.strictObject({
  type: z.literal('StartTerm'),
  ...committee,
  termNumber: z.number().int().min(1).max(1000),
  startsOn: PlainDate,
  /** Defaults to the policy's full term. */
  endsOn: PlainDate.optional(),
  /** Community-level part-time seats that continue into the new term (the others expire). */
  renewals: z.array(CandidateId).max(200).default([]),
  renewalApprovalRef: DocumentRef.optional(),
});
export const AssignOfficer = z.strictObject({
  type: z.literal('AssignOfficer'),
  ...committee,
  personId: MemberId,
  role: OfficerRole,
  effectiveOn: PlainDate,
});
export const RelieveOfficer = z.strictObject({
  type: z.literal('RelieveOfficer'),
  ...committee,
  personId: MemberId,
  role: OfficerRole,
  effectiveOn: PlainDate,
  reason: Text,
});
export const NominateCandidate = z.strictObject({
  type: z.literal('NominateCandidate'),
  ...candidate,
  personId: MemberId,
  category: NomineeCategory,
  /** Required for categories 1 and 2 (leaders nominated from their unit). */
  unitId: UnitId.optional(),
  nominatedBy: Name,
  nominatedOn: PlainDate,
});
export const ScreenCandidate = z.strictObject({
  type: z.literal('ScreenCandidate'),
  ...candidate,
  screenedOn: PlainDate,
  method: z.enum(['mass-evaluation', 'qualification-review']),
  passed: z.boolean(),
  votesFor: z.number().int().min(0).max(1_000_000).optional(),
  votesAgainst: z.number().int().min(0).max(1_000_000).optional(),
  note: Text.optional(),
});
export const DeliberateCandidate = z.strictObject({
  type: z.literal('DeliberateCandidate'),
  ...candidate,
  deliberatedOn: PlainDate,
  meetingRef: DocumentRef,
  endorsed: z.boolean(),
  note: Text.optional(),
});
export const ApproveCandidate = z.strictObject({
  type: z.literal('ApproveCandidate'),
  ...candidate,
  approvedOn: PlainDate,
  authority: Authority,
  approvalRef: DocumentRef,
  filedWith: Authority.optional(),
});
export const RejectCandidate = z.strictObject({
  type: z.literal('RejectCandidate'),
  ...candidate,
  rejectedOn: PlainDate,
  reason: Text,
});
export const StartPublicity = z.strictObject({
  type: z.literal('StartPublicity'),
  ...candidate,
  startsOn: PlainDate,
});
export const RaiseObjection = z.strictObject({
  type: z.literal('RaiseObjection'),
  ...candidate,
  objectionId: ObjectionId,
  raisedOn: PlainDate,
  summary: Text,
});
export const ResolveObjection = z.strictObject({
  type: z.literal('ResolveObjection'),
  ...candidate,
  objectionId: ObjectionId,
  resolvedOn: PlainDate,
  upheld: z.boolean(),
  finding: Text,
});
export const AppointMember = z.strictObject({
  type: z.literal('AppointMember'),
  ...candidate,
  appointedOn: PlainDate,
  certificateNo: DocumentRef,
  /** Subdistrict level only: a term shorter than the policy's three years. */
  termEndsOn: PlainDate.optional(),
});
export const AssignDuties = z.strictObject({
  type: z.literal('AssignDuties'),
  ...candidate,
  duties: z.array(Duty).min(1).max(4),
  assignedOn: PlainDate,
});
export const RenewMember = z.strictObject({
  type: z.literal('RenewMember'),
  ...candidate,
  renewedOn: PlainDate,
  termEndsOn: PlainDate.optional(),
  approvalRef: DocumentRef.optional(),
});
export const DismissMember = z.strictObject({
  type: z.literal('DismissMember'),
  ...candidate,
  effectiveOn: PlainDate,
  reason: DismissalReason,
  decisionRef: DocumentRef,
  /** 报上级组织备案: the superior the dismissal is filed with. */
  filedWith: Authority,
});
export const RecordWithdrawal = z.strictObject({
  type: z.literal('RecordWithdrawal'),
  ...candidate,
  effectiveOn: PlainDate,
  reason: Text,
  notice: z.strictObject({
    issuedBy: Name,
    unitId: UnitId.optional(),
    notifiedOn: PlainDate,
    documentRef: DocumentRef,
  }),
});
export const ExpireMemberTerm = z.strictObject({
  type: z.literal('ExpireMemberTerm'),
  ...candidate,
});
export const EvaluateMember = z.strictObject({
  type: z.literal('EvaluateMember'),
  ...candidate,
  year: z.number().int().min(1949).max(2199),
  grade: EvaluationGrade,
  evaluatedOn: PlainDate,
  method: z
    .enum(['mass-evaluation-and-performance', 'duty-report'])
    .default('mass-evaluation-and-performance'),
});
export const SubmitAgendaItem = z.strictObject({
  type: z.literal('SubmitAgendaItem'),
  ...committee,
  agendaItemId: AgendaItemId,
  title: Name,
  submittedBy: Name,
  submittedOn: PlainDate,
});
export const HoldJointMeeting = z.strictObject({
  type: z.literal('HoldJointMeeting'),
  ...committee,
  meetingId: MeetingId,
  heldOn: PlainDate,
  attendees: z.array(MemberId).min(1).max(500),
  agendaItemIds: z.array(AgendaItemId).max(200).default([]),
  minutesRef: DocumentRef,
  resolutions: z
    .array(z.strictObject({ resolutionId: ResolutionId, text: Text }))
    .max(100)
    .default([]),
  followUps: z
    .array(z.strictObject({ resolutionId: ResolutionId, status: FollowUpStatus, note: Text }))
    .max(500)
    .default([]),
});
export const DissolveCommittee = z.strictObject({
  type: z.literal('DissolveCommittee'),
  ...committee,
  dissolvedOn: PlainDate,
  reason: Text,
});

export const CommitteeCommand = z.discriminatedUnion('type', [
  EstablishCommittee,
  UpgradeCommittee,
  StartTerm,
  AssignOfficer,
  RelieveOfficer,
  NominateCandidate,
  ScreenCandidate,
  DeliberateCandidate,
  ApproveCandidate,
  RejectCandidate,
  StartPublicity,
  RaiseObjection,
  ResolveObjection,
  AppointMember,
  AssignDuties,
  RenewMember,
  DismissMember,
  RecordWithdrawal,
  ExpireMemberTerm,
  EvaluateMember,
  SubmitAgendaItem,
  HoldJointMeeting,
  DissolveCommittee,
]);
export type CommitteeCommand = z.infer<typeof CommitteeCommand>;
/** A command of one type. */
export type CommitteeCommandOf<T extends CommitteeCommand['type']> = Extract<CommitteeCommand, { type: T }>;
