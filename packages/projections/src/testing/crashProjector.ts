// The child of the projector crash test: projects a store's log into read models (with the points
// process manager) while recording new activities, until it is killed.
import {
  ActivityId,
  CogovService,
  LIUYANG_2013,
  MemberId,
  RegionId,
  type DomainCommand,
} from '@cogov/domain';
import { LmdbEventStore } from '@cogov/eventstore/lmdb';
import { readFileSync } from 'node:fs';
import { openReadModels } from '../readModels.ts';

const [storePath, readModelsPath, runArg, worldFile] = process.argv.slice(2);
if (storePath === undefined || readModelsPath === undefined || worldFile === undefined)
  throw new Error('usage: crashProjector.ts STORE READ_MODELS RUN WORLD.json');
const run = Number(runArg ?? 0);
/** Communities and their members, as the parent seeded them. */
const world = JSON.parse(readFileSync(worldFile, 'utf8')) as { community: string; members: string[] }[];

const store = await LmdbEventStore.open({ path: storePath });
const cogov = new CogovService({ store, policy: LIUYANG_2013 });
// Small batches: many transactions, so that a kill lands inside one more often.
const readModels = openReadModels({ path: readModelsPath, store, cogov, batchSize: 100, maxWaitMs: 2 });
await readModels.start();
process.send?.('ready');

const execute = async (command: DomainCommand) => {
  const result = await cogov.execute(command, { actor: 'crash-test' });
  if (result.status === 'rejected') throw new Error(`${command.type}: ${result.rejection.code}`);
};
for (let k = 0; ; k++) {
  const { community, members } = world[k % world.length]!;
  const activityId = ActivityId.parse(`crash-${run}-${k}`);
  const on = '2018-09-20' as never;
  await execute({
    type: 'PlanActivity',
    activityId,
    kind: 'volunteer-service',
    regionId: RegionId.parse(community),
    title: `crash run ${run} activity ${k}`,
    scheduledFor: on,
    unitIds: [],
    plannedOn: on,
  });
  await execute({
    type: 'HoldActivity',
    activityId,
    heldOn: on,
    participants: members.slice(k % 5, (k % 5) + 6).map((m) => MemberId.parse(m)),
    otherParticipants: k % 7,
    volunteerHours: 2,
    beneficiaries: 10,
  });
}
