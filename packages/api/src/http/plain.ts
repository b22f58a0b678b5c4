import { PersistentSet, ScoredCauses } from '@cogov/domain';

/**
 * A value as JSON can show it: sets as arrays (sorted, so answers are stable), maps as objects,
 * dates as ISO 8601 strings. States folded by the domain hold sets (`causes`, `ratedYears`…),
 * which `JSON.stringify` would turn into `{}`.
 */
export const plain = (value: unknown): unknown => {
  if (value instanceof Set || value instanceof PersistentSet || value instanceof ScoredCauses)
    return [...value].map(plain).sort(byValue);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), plain(v)]));
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
};

const byValue = (a: unknown, b: unknown) =>
  typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
