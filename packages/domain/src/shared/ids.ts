import type { z } from 'zod';
import { identifier } from '../kernel/ids.ts';

export const RegionId = identifier('RegionId');
export type RegionId = z.infer<typeof RegionId>;
export const CommitteeId = identifier('CommitteeId');
export type CommitteeId = z.infer<typeof CommitteeId>;
/** A registered party member: also the person who holds seats on committees. */
export const MemberId = identifier('MemberId');
export type MemberId = z.infer<typeof MemberId>;
export const UnitId = identifier('UnitId');
export type UnitId = z.infer<typeof UnitId>;
export const GridId = identifier('GridId');
export type GridId = z.infer<typeof GridId>;
export const IssueId = identifier('IssueId');
export type IssueId = z.infer<typeof IssueId>;
export const ProjectId = identifier('ProjectId');
export type ProjectId = z.infer<typeof ProjectId>;
export const ActivityId = identifier('ActivityId');
export type ActivityId = z.infer<typeof ActivityId>;
/** A candidacy for a part-time seat; the seat it leads to keeps the same id. */
export const CandidateId = identifier('CandidateId');
export type CandidateId = z.infer<typeof CandidateId>;
export const MeetingId = identifier('MeetingId');
export type MeetingId = z.infer<typeof MeetingId>;
export const AgendaItemId = identifier('AgendaItemId');
export type AgendaItemId = z.infer<typeof AgendaItemId>;
export const ResolutionId = identifier('ResolutionId');
export type ResolutionId = z.infer<typeof ResolutionId>;
export const ObjectionId = identifier('ObjectionId');
export type ObjectionId = z.infer<typeof ObjectionId>;
export const ClaimId = identifier('ClaimId');
export type ClaimId = z.infer<typeof ClaimId>;
export const ResourceId = identifier('ResourceId');
export type ResourceId = z.infer<typeof ResourceId>;
export const WorkerId = identifier('WorkerId');
export type WorkerId = z.infer<typeof WorkerId>;
