import { parsePolicy, POLICY_PRESETS, type Policy } from '@cogov/domain';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

export const ROLES = ['reader', 'clerk', 'auditor', 'admin'] as const;

/** The SHA-256 of a text, in hex: how a token is kept in the configuration. */
export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
export type Role = (typeof ROLES)[number];

/** A bearer token as configured: never the token itself, only its SHA-256. */
const TokenConfig = z.strictObject({
  name: z.string().min(1).max(100),
  sha256: z
    .string()
    .regex(
      /^[0-9a-f]{64}$/,
      'the SHA-256 of the token, 64 lower-case hex digits (cogov token create makes one)',
    ),
  role: z.enum(ROLES),
  /** A region id: the token sees and changes that region's subtree only; `*` for everything. */
  scope: z.string().min(1).max(100),
});
export type TokenConfig = z.infer<typeof TokenConfig>;

const Port = z.coerce.number().int().min(0).max(65_535);

/** Every setting, as the file holds it (camelCase) and as environment variables override it. */
export const ConfigSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: Port.default(3000),
  /** The embedded store's and the read models' directory. */
  dataDir: z.string().min(1).default('./data'),
  /** Set to use a KurrentDB cluster for the log (read models stay local, under dataDir). */
  kurrentdbConnectionString: z.string().min(1).optional(),
  /** A preset id (huitong-2022, liuyang-2013) or the path of a policy JSON file. */
  policy: z.string().min(1).default('huitong-2022'),
  tokens: z.array(TokenConfig).max(10_000).default([]),
  /** Largest request body accepted, in bytes. */
  bodyLimit: z.coerce
    .number()
    .int()
    .min(1_024)
    .max(16 * 2 ** 20)
    .default(64 * 1_024),
  /** Longest a client may take to send a whole request (headers and body); then 408 and the connection is closed. */
  requestTimeoutMs: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  /** A connection with nothing happening on it for this long is closed. */
  idleTimeoutMs: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  /** Longest a read with `minPosition` waits for the read models to catch up. */
  minPositionWaitMs: z.coerce.number().int().min(0).max(60_000).default(2_000),
  /** How long an Idempotency-Key's first response is kept. */
  idempotencyTtlHours: z.coerce
    .number()
    .min(1)
    .max(24 * 365)
    .default(24),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type Config = z.infer<typeof ConfigSchema>;

/** Environment variables and the setting each overrides. */
export const ENVIRONMENT: Readonly<Record<string, keyof Config>> = {
  HOST: 'host',
  PORT: 'port',
  COGOV_DATA_DIR: 'dataDir',
  EVENTSTORE_CONNECTION_STRING: 'kurrentdbConnectionString',
  COGOV_POLICY: 'policy',
  COGOV_TOKENS: 'tokens',
  COGOV_BODY_LIMIT: 'bodyLimit',
  COGOV_REQUEST_TIMEOUT_MS: 'requestTimeoutMs',
  COGOV_IDLE_TIMEOUT_MS: 'idleTimeoutMs',
  COGOV_MIN_POSITION_WAIT_MS: 'minPositionWaitMs',
  COGOV_IDEMPOTENCY_TTL_HOURS: 'idempotencyTtlHours',
  COGOV_LOG_LEVEL: 'logLevel',
};

/** A setting that cannot be used: the start stops with a message naming it and where it came from. */
export class ConfigError extends Error {
  readonly _tag = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`cogov cannot start, its configuration is invalid:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * Reads the configuration: the file named by `COGOV_CONFIG` (JSON, optional), then environment
 * variables over it, then explicit overrides (command-line flags). Validated by zod; every problem
 * names the setting and its source.
 */
export const loadConfig = (
  env: Readonly<Record<string, string | undefined>> = process.env,
  overrides: Partial<Record<keyof Config, unknown>> = {},
): Config => {
  const sources = new Map<string, string>();
  let fromFile: Record<string, unknown> = {};
  const file = env['COGOV_CONFIG'];
  if (file !== undefined && file !== '') {
    let text: string;
    try {
      text = readFileSync(resolve(file), 'utf8');
    } catch (error) {
      throw new ConfigError([`COGOV_CONFIG: cannot read ${file} (${(error as Error).message})`]);
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('expected a JSON object of settings');
      fromFile = parsed as Record<string, unknown>;
    } catch (error) {
      throw new ConfigError([`COGOV_CONFIG: ${file} is not valid JSON (${(error as Error).message})`]);
    }
    for (const key of Object.keys(fromFile)) sources.set(key, `${file}: "${key}"`);
  }
  const fromEnv: Record<string, unknown> = {};
  for (const [variable, key] of Object.entries(ENVIRONMENT)) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    if (key === 'tokens') {
      try {
        fromEnv[key] = JSON.parse(value) as unknown;
      } catch (error) {
        throw new ConfigError([`${variable}: not valid JSON (${(error as Error).message})`]);
      }
    } else fromEnv[key] = value;
    sources.set(key, variable);
  }
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  for (const key of Object.keys(defined)) sources.set(key, `--${key}`);
  const parsed = ConfigSchema.safeParse({ ...fromFile, ...fromEnv, ...defined });
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const [head, ...rest] = issue.path.map(String);
        const where = head === undefined ? '(configuration)' : (sources.get(head) ?? head);
        return `${where}${rest.length > 0 ? ` → ${rest.join('.')}` : ''}: ${issue.message}`;
      }),
    );
  }
  const duplicates = parsed.data.tokens.filter(
    (t, i, all) => all.findIndex((u) => u.sha256 === t.sha256) !== i,
  );
  if (duplicates.length > 0)
    throw new ConfigError([`tokens: the same token is configured twice (${duplicates[0]?.name})`]);
  // Names appear in the log as each event's actor: two tokens named alike could not be told apart.
  const sameName = parsed.data.tokens.filter((t, i, all) => all.findIndex((u) => u.name === t.name) !== i);
  if (sameName.length > 0)
    throw new ConfigError([
      `tokens: two tokens are named "${sameName[0]?.name}"; every token needs a name of its own (it is recorded as the actor of what it writes)`,
    ]);
  return parsed.data;
};

/** The policy a configuration names: a preset, or a JSON file checked by the domain's own rules. */
export const policyOf = (config: Config): Policy => {
  const preset = POLICY_PRESETS[config.policy];
  if (preset !== undefined) return preset;
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(resolve(config.policy), 'utf8'));
  } catch (error) {
    throw new ConfigError([
      `policy: "${config.policy}" is neither a preset (${Object.keys(POLICY_PRESETS).join(', ')}) nor a readable JSON file (${(error as Error).message})`,
    ]);
  }
  const parsed = parsePolicy(input);
  if (!parsed.ok)
    throw new ConfigError(
      parsed.issues.map((issue) => `policy (${config.policy}) → ${issue.path}: ${issue.message}`),
    );
  return parsed.policy;
};

/** The data directory's layout: the embedded log, the read models and the keys side by side. */
export const dataPaths = (config: Pick<Config, 'dataDir'>) => {
  const root = resolve(config.dataDir);
  return {
    root,
    events: join(root, 'events'),
    readModels: join(root, 'read-models'),
    keys: join(root, 'keys'),
    /** One data key per person (ADR 16); back it up apart from the log, see the ADR. */
    personalKeys: join(root, 'keys', 'personal'),
  };
};
