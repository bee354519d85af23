import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // better-sqlite3 is a native addon: forks are safer than worker threads.
    pool: 'forks',
    // One temporary directory per run, removed at the end (test/setup/tmpdir.ts).
    // PostgreSQL for the tests that need it: OGI_TEST_PG_URL, or a throwaway cluster (test/setup/postgres.ts).
    globalSetup: ['test/setup/tmpdir.ts', 'test/setup/postgres.ts'],
  },
});
