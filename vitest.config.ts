import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    // Stand-in for the host-injected @azure/functions-core, so registrations are captured (see tools/local/host/setup.ts).
    setupFiles: ['./tools/local/host/setup.ts'],
    // Starts one Azurite on free loopback ports for the whole run and stops it afterwards.
    // The browser tests (test/browser) also need Chromium's path and the built console (skipped without Chromium).
    globalSetup: ['./test/support/globalSetup.ts', './test/browser/support/browserSetup.ts'],
    // Quiet on success: console output (the app's logs, expected failures) is shown only for tests that fail, and
    // the dot reporter prints one character per test (pass --reporter=default for a line per file).
    silent: 'passed-only',
    reporters: ['dot'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
