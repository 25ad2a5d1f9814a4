import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: keep process-heavy suites (crash test, browser) from starving each other.
    maxWorkers: 2,
  },
});
