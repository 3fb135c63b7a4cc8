import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    // Stand-in for the host-injected @azure/functions-core, so registrations are captured (see tools/local/host/setup.ts).
    setupFiles: ['./tools/local/host/setup.ts'],
    // Starts one Azurite on free loopback ports for the whole run and stops it afterwards.
    globalSetup: ['./test/support/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
