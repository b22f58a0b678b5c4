import { InvalidArgumentError } from 'commander';
import { configFrom } from '../options.ts';
import { progressOn } from '../progress.ts';

/** `cogov seed`: writes a scenario into an empty store through the real command handler. */
export const seed = async (flags: {
  scenario: string;
  scale?: number;
  dataDir?: string;
  force?: boolean;
}) => {
  const { seedScenario, SCENARIO_NAMES } = await import('../demo/seed.ts');
  if (!SCENARIO_NAMES.includes(flags.scenario))
    throw new InvalidArgumentError(
      `--scenario: unknown ${flags.scenario}; known: ${SCENARIO_NAMES.join(', ')}`,
    );
  const result = await seedScenario(configFrom(flags), flags.scenario, {
    ...(flags.scale === undefined ? {} : { scale: flags.scale }),
    ...(flags.force === true ? { force: true } : {}),
    progress: progressOn(),
  });
  if (result === null) {
    console.error('the store already holds events; use --force to add the scenario anyway');
    process.exitCode = 1;
  } else console.log(JSON.stringify(result));
};
