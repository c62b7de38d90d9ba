import { defineConfig } from 'vitest/config';

// Two cores are shared by the test workers, the servers they start and the databases: keep forks few.
export default defineConfig({
  test: {
    maxWorkers: 2,
    // CI also keeps a machine-readable report, from which .ci/run prints its closing summary line.
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]]
      : ['default'],
    projects: [
      {
        test: { name: 'unit', include: ['src/**/*.test.ts', 'web/src/**/*.test.ts'] },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // Builds the web app once, only when browser suites are part of the run.
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
