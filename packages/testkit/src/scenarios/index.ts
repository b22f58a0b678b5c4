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
export { kaiyuan, KAIYUAN_JULY_FIRST } from './kaiyuan.ts';
export { changsha, CHANGSHA_AS_OF, CHANGSHA_FULL } from './changsha.ts';
import { changsha } from './changsha.ts';
import { huitong } from './huitong.ts';
import { kaiyuan } from './kaiyuan.ts';
import type { Scenario } from './framework.ts';

/** The scenarios of the seeds, by name. */
export const SCENARIOS: Readonly<Record<string, Scenario>> = { huitong, kaiyuan, changsha };
