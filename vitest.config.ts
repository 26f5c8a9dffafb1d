import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // End-to-end tests start real processes; two cores, so keep parallelism modest.
    maxWorkers: 2,
    fileParallelism: true,
    // Each worker loads the modules once for all its files instead of once per file: importing
    // the core, Bolt and discord.js again for each of 80 files was a third of the suite's time.
    // NOTE: so a test file must leave global state as it found it (timers, mocks, process
    // listeners): restore in afterEach/afterAll what it changes.
    isolate: false,
  },
});
