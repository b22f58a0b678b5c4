/**
 * The direction of dependencies (ARCHITECTURE.md):
 *   api -> projections, eventstore -> domain;  testkit -> domain;
 *   tests of any package may use testkit.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const pkg = (name) => `^packages/${name}/`;
const nonTest = '\\.(?<!test\\.)ts$';
const isTest = '\\.test\\.ts$';
/** The entry points the packages' `exports` maps name (one per package, plus optional subpaths). */
const entryPoints = [
  '^packages/[^/]+/src/index\\.ts$',
  '^packages/domain/src/kernel/index\\.ts$',
  '^packages/eventstore/src/(lmdb|esdb|testing)/index\\.ts$',
  '^packages/testkit/src/scenarios/index\\.ts$',
].join('|');

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle makes modules impossible to reason about one at a time.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: '@cogov/domain depends on zod alone: no I/O, no node built-ins, no other package.',
      from: { path: pkg('domain'), pathNot: isTest },
      to: { pathNot: ['^packages/domain/', 'node_modules/zod/'] },
    },
    {
      name: 'testkit-depends-on-domain-only',
      severity: 'error',
      from: { path: pkg('testkit'), pathNot: isTest },
      to: { path: [pkg('eventstore'), pkg('projections'), pkg('api')] },
    },
    {
      name: 'eventstore-depends-on-domain-only',
      severity: 'error',
      from: { path: pkg('eventstore'), pathNot: isTest },
      to: { path: [pkg('projections'), pkg('api'), pkg('testkit')] },
    },
    {
      name: 'projections-do-not-reach-up',
      severity: 'error',
      from: { path: pkg('projections'), pathNot: isTest },
      to: { path: [pkg('api'), pkg('testkit')] },
    },
    {
      name: 'api-does-not-use-testkit-outside-demo',
      severity: 'error',
      comment:
        'The API seeds demos (and its benchmarks and test servers) from testkit scenarios; nothing else in api imports testkit.',
      from: { path: pkg('api'), pathNot: [isTest, '^packages/api/src/(demo|bench|testing|reliability)/'] },
      to: { path: pkg('testkit') },
    },
    {
      name: 'tests-use-packages-by-their-entry-point',
      severity: 'error',
      comment: 'A package reaches another only through its public entry point (one index.ts per package).',
      from: { path: '^packages/([^/]+)/' },
      to: {
        path: '^packages/([^/]+)/src/',
        pathNot: ['^packages/$1/', entryPoints],
      },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'default'],
      extensions: ['.ts', '.js'],
    },
    exclude: { path: ['node_modules', 'dist'] },
  },
};
