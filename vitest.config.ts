import { defineConfig } from 'vitest/config';

// The workspace's packages export their compiled dist/ and, under the `source` condition, their
// TypeScript sources: the tests run the sources.
const conditions = ['source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts'],
    setupFiles: ['./vitest.setup.ts'],
    // The API tests' world, seeded once per run and copied by each test server.
    globalSetup: ['./packages/api/src/testing/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores on the CI machine: one fork per core keeps LMDB and crash tests honest.
    pool: 'forks',
    maxWorkers: 2,
  },
});
