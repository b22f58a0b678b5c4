/**
 * The direction of dependencies (ARCHITECTURE.md):
 *   cli -> api -> projections, eventstore -> storage -> domain;  cli -> testkit -> domain;
 *   tests of any package (and a package's own test support, src/testing/) may use testkit.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const pkg = (name) => `^packages/${name}/`;
const isTest = '\\.test\\.ts$';
/** A package's test support: used by its tests only, never by what it ships. */
const testSupport = '^packages/[^/]+/src/testing/';
/** The entry points the packages' `exports` maps name (one per package, plus optional subpaths). */
const entryPoints = [
  '^packages/[^/]+/src/index\\.ts$',
  '^packages/domain/src/kernel/index\\.ts$',
  '^packages/eventstore/src/(lmdb|esdb|testing|esdb/testing)/index\\.ts$',
  '^packages/testkit/src/(scenarios|http)/index\\.ts$',
  '^packages/api/src/(config|prechecks)\\.ts$',
  // Light modules a start loads first, to check the data files while the rest loads.
  '^packages/eventstore/src/lmdb/precheck\\.ts$',
  '^packages/projections/src/runtime/precheck\\.ts$',
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
      name: 'storage-depends-on-domain-only',
      severity: 'error',
      from: { path: pkg('storage'), pathNot: isTest },
      to: { path: [pkg('eventstore'), pkg('projections'), pkg('api'), pkg('cli'), pkg('testkit')] },
    },
    {
      name: 'testkit-depends-on-domain-only',
      severity: 'error',
      from: { path: pkg('testkit'), pathNot: isTest },
      to: { path: [pkg('storage'), pkg('eventstore'), pkg('projections'), pkg('api'), pkg('cli')] },
    },
    {
      name: 'eventstore-depends-on-storage-and-domain',
      severity: 'error',
      from: { path: pkg('eventstore'), pathNot: isTest },
      to: { path: [pkg('projections'), pkg('api'), pkg('cli'), pkg('testkit')] },
    },
    {
      name: 'projections-need-no-event-store-at-run-time',
      severity: 'error',
      comment:
        'The projector reads the EventStore port (domain); the stores are its tests’ business. Its own test support (src/testing) may use them.',
      from: { path: pkg('projections'), pathNot: [isTest, testSupport] },
      to: { path: [pkg('eventstore'), pkg('api'), pkg('cli'), pkg('testkit')] },
    },
    {
      name: 'api-never-uses-testkit-or-cli',
      severity: 'error',
      comment: 'The API is the fastify application alone; its tests and test support may use testkit.',
      from: { path: pkg('api'), pathNot: [isTest, testSupport] },
      to: { path: [pkg('testkit'), pkg('cli')] },
    },
    {
      name: 'test-support-is-for-tests',
      severity: 'error',
      comment: 'src/testing/ holds what a package’s tests share; nothing it ships may import it.',
      from: {
        path: '^packages/',
        pathNot: [isTest, testSupport, '^packages/cli/', '^packages/eventstore/src/testing/'],
      },
      to: { path: testSupport, pathNot: '^packages/eventstore/src/testing/' },
    },
    {
      name: 'nothing-depends-on-the-cli',
      severity: 'error',
      from: { path: '^packages/', pathNot: pkg('cli') },
      to: { path: pkg('cli') },
    },
    {
      name: 'packages-are-used-by-their-entry-points',
      severity: 'error',
      comment: 'A package reaches another only through its public entry points.',
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
      conditionNames: ['source', 'import', 'default'],
      extensions: ['.ts', '.js'],
    },
    exclude: { path: ['node_modules', 'dist'] },
  },
};
