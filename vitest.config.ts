import { defineConfig } from 'vitest/config';

// .ci/run asks for a JSON report to print its closing `tests: N passed, N failed, N skipped` line.
const jsonReport = process.env.HUBDESK_TEST_REPORT;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // better-sqlite3 and keytar are native: their finalizers crash under worker threads.
    pool: 'forks',
    testTimeout: 30_000,
    // Browser tests poll what a user would see; streams and renders can take a few seconds on 2 cores.
    expect: { poll: { timeout: 10_000, interval: 50 } },
    hookTimeout: 60_000,
    reporters: jsonReport ? ['default', 'json'] : ['default'],
    ...(jsonReport ? { outputFile: { json: jsonReport } } : {}),
  },
});
