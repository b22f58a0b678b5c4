/**
 * @cogov/api: the HTTP API (fastify) over the domain, the stores and the read models.
 */
export { buildApp, type AppOptions } from './app.ts';
export {
  loadConfig,
  policyOf,
  ConfigError,
  ConfigSchema,
  ENVIRONMENT,
  ROLES,
  sha256,
  type Config,
  type Role,
  type TokenConfig,
} from './config.ts';
export { openRuntime, dataPaths, sealingPersonalData, type Runtime, type RuntimeOptions } from './runtime.ts';
export { startPrechecks, type Prechecks } from './prechecks.ts';
export { startServer, type Server, type StartOptions } from './server.ts';
export { GRANTS, type Permission, type Principal } from './http/auth.ts';
export {
  Problem,
  PROBLEM_KINDS,
  type Problem as ProblemDetails,
  type ProblemKindName,
} from './problems/registry.ts';
export { renderErrorsDoc } from './problems/doc.ts';
export { toCsv, toXlsx, XLSX_TYPE, CSV_TYPE } from './http/spreadsheets.ts';
