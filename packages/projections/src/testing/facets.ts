import type { Key } from 'lmdb';
import type { ReadModels } from '../readModels.ts';
import { facetProblem, isMetric } from '../statistics/metrics.ts';

/**
 * Every facet the statistics read model holds that the metrics' registry would refuse: what a test
 * expects to be empty, so that a query the API refuses as a misspelling is never one that counts.
 */
export const unregisteredFacets = (readModels: ReadModels): string[] => {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const key of readModels.projector.databases<'counters'>('statistics').counters.getKeys({})) {
    const [metric, , facet] = key as Key[] as [string, string, string];
    const id = `${metric} ${facet}`;
    if (facet === '' || seen.has(id)) continue;
    seen.add(id);
    const problem = isMetric(metric) ? facetProblem(metric, facet) : `${metric} is not a metric`;
    if (problem !== null) problems.push(`${id}: ${problem}`);
  }
  return problems;
};
