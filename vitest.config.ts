import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts'],
    setupFiles: ['./vitest.setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores on the CI machine: one fork per core keeps LMDB and crash tests honest.
    pool: 'forks',
    maxWorkers: 2,
  },
});
