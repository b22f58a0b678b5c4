import {
  GridId,
  gridDecider,
  gridFacts,
  WorkerId,
  type GridCommand,
  type GridEvent,
  type GridFacts,
  type GridState,
} from '@cogov/domain';
import {
  chains,
  committeeFrom,
  committeeId,
  contextOn,
  establishedCommittee,
  memberId,
  regionId,
  registeredMember,
} from '../domain/fixtures.ts';
import { clock, drive, stepPlan, type Driven, type Step } from './common.ts';

const branch = committeeFrom(establishedCommittee('branch', 'grid-branch'));

/** Commands on one grid cell: recounts, contact households, workers, a branch link, retirement. */
export const driveGrid = (
  plan: readonly Step[],
  options: { retiredRegion?: boolean; gridId?: string } = {},
): Driven<GridCommand, GridEvent> & { state: GridState } => {
  const time = clock();
  const G = GridId.parse(options.gridId ?? 'grid-1');
  const facts = (command: GridCommand, state: GridState): GridFacts => {
    const request = gridFacts(command, state);
    return {
      regions: options.retiredRegion === true ? chains.retiredCommunity : chains.community,
      ...(request.committee === undefined ? {} : { committee: branch }),
      ...(request.member === undefined ? {} : { member: registeredMember(request.member) }),
    };
  };
  const next = (state: GridState, i: number): GridCommand | undefined => {
    const s = plan[i] as Step;
    const on = time.advance(s.days);
    const households = 1 + (s.variant % (s.valid ? 400 : 60));
    const member = memberId(`m${s.target % 5}`);
    if (state.status === 'absent' || s.action < 4) {
      return {
        type: 'DrawGridCell',
        gridId: G,
        communityId: regionId('dongmen'),
        name: 'g',
        households: 1 + (s.variant % 500),
        drawnOn: on,
      };
    }
    const a = s.action;
    if (a < 25) return { type: 'RecountHouseholds', gridId: G, households, recountedOn: on };
    if (a < 55)
      return {
        type: 'AssignContactHouseholds',
        gridId: G,
        memberId: member,
        households: 1 + (s.variant % 150),
        assignedOn: on,
      };
    if (a < 70) return { type: 'ReleaseContactHouseholds', gridId: G, memberId: member, releasedOn: on };
    if (a < 80)
      return {
        type: 'AssignGridWorker',
        gridId: G,
        workerId: WorkerId.parse(`w${s.target % 3}`),
        name: 'worker',
        assignedOn: on,
      };
    if (a < 88)
      return {
        type: 'RelieveGridWorker',
        gridId: G,
        workerId: WorkerId.parse(`w${s.target % 3}`),
        relievedOn: on,
      };
    if (a < 95)
      return { type: 'LinkGridBranch', gridId: G, committeeId: committeeId('branch'), linkedOn: on };
    return { type: 'RetireGridCell', gridId: G, retiredOn: on, reason: 'redrawn' };
  };
  return drive(
    gridDecider,
    next,
    (command, state) => contextOn(facts(command, state), { today: '2030-06-01' }),
    plan.length,
  );
};

export const gridPlan = stepPlan(50);
