import { loadConfig } from '@cogov/api/config';

/** `cogov config`: the configuration as the server would read it, token hashes shortened. */
export const showConfig = (): void => {
  const config = loadConfig();
  console.log(
    JSON.stringify(
      { ...config, tokens: config.tokens.map((t) => ({ ...t, sha256: `${t.sha256.slice(0, 8)}…` })) },
      null,
      2,
    ),
  );
};
