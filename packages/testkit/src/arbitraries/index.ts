export { step, stepPlan, clock, drive, pick, type Step, type Driven } from './common.ts';
export {
  committeeWorld,
  committeeScenario,
  driveCommittee,
  COMMITTEE_STREAM,
  type CommitteeWorld,
} from './committee.ts';
export { driveIssue, issuePlan, ISSUE_WORLD } from './issue.ts';
export { driveGrid, gridPlan } from './grid.ts';
export { driveMember, memberPlan } from './member.ts';
export { driveProject, projectPlan } from './project.ts';
export { driveActivity, driveUnit, driveRegion, smallPlan } from './others.ts';
