import type { EventStore } from '@cogov/domain';
import type { ReadModels } from '../readModels.ts';

/**
 * Whether the read models hold each event of the log exactly once: each one rebuilt from the log
 * equals the running one, no cause scored twice, and the points statistic counts every award
 * once. Lists what is wrong (empty when all holds). The log must hold some awards.
 */
export const exactlyOnceProblems = async (
  readModels: ReadModels,
  store: EventStore,
  scope = 'r:changsha',
): Promise<string[]> => {
  const problems: string[] = [];
  for (const name of ['statistics', 'membership', 'lookups']) {
    const report = await readModels.projector.rebuild(name);
    if (report.differences > 0)
      problems.push(
        `${name}: ${report.differences} differences, e.g. ${JSON.stringify(report.samples.slice(0, 3))}`,
      );
  }
  const awards = new Map<string, number>();
  let points = 0;
  for await (const event of store.readAll()) {
    if (event.type !== 'PointsAwarded') continue;
    const data = event.data as {
      memberId: string;
      points: number;
      cause: { kind: string; sourceId: string };
    };
    const key = `${data.memberId}|${data.cause.kind}|${data.cause.sourceId}`;
    awards.set(key, (awards.get(key) ?? 0) + 1);
    points += data.points;
  }
  if (awards.size === 0) problems.push('the log holds no PointsAwarded: the points were not checked');
  for (const [key, count] of awards) if (count > 1) problems.push(`${key} awarded ${count} times`);
  const counted = readModels
    .statistics()
    .total('points.awarded', { scope }, '1990-01-01' as never, '2100-12-31' as never);
  if (counted !== points) problems.push(`points.awarded says ${counted}, the log ${points}`);
  return problems;
};
