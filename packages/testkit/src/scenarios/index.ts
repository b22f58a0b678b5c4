export {
  ScenarioClock,
  ScenarioWriter,
  ScenarioError,
  random,
  type Random,
  type Scenario,
  type ScenarioOptions,
  type ScenarioResult,
} from './framework.ts';
export { huitong } from './huitong.ts';
import { huitong } from './huitong.ts';
import type { Scenario } from './framework.ts';

/** The scenarios of the seeds, by name. */
export const SCENARIOS: Readonly<Record<string, Scenario>> = { huitong };
