/**
 * @cogov/api: the HTTP API (fastify) over the domain, the stores and the read models, and the
 * `cogov` command line.
 */
export { buildApp, type AppOptions } from './app.ts';
export {
  loadConfig,
  policyOf,
  ConfigError,
  ConfigSchema,
  ENVIRONMENT,
  ROLES,
  type Config,
  type Role,
  type TokenConfig,
} from './config.ts';
export { openRuntime, dataPaths, type Runtime, type RuntimeOptions } from './runtime.ts';
export { sha256, GRANTS, type Permission, type Principal } from './http/auth.ts';
export { Problem, type Problem as ProblemDetails } from './http/problems.ts';
