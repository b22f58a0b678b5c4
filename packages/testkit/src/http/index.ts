/**
 * HTTP testing from the API's own OpenAPI document: the smallest valid example of every body,
 * fast-check arbitraries of bad requests, the reference fields of every command body, and the
 * world the API's tests run in (`@cogov/testkit/http`).
 */
export {
  exampleOf,
  commandRoutes,
  type CommandRoute,
  type ExampleWorld,
  type JsonSchema,
} from './examples.ts';
export {
  badRequests,
  TEST_WORLD,
  PATH_IDS,
  QUERY_VALUES,
  type BadRequest,
  type OpenApi,
} from './badRequests.ts';
export { referenceProbes, RECORD_BRANDS, type RecordBrand, type ReferenceProbe } from './referenceProbes.ts';
export { SCOPES, OTHER_WORLD, tokenOf, worldTokens, seedTestWorld, type TestScope } from './world.ts';
