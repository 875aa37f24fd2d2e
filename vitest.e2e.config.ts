import { defineConfig } from 'vitest/config';

/** Real Chromium against the real browser-mode host. */
export default defineConfig({
  test: {
    name: 'e2e',
    environment: 'node',
    globalSetup: ['test/globalTempDir.ts'],
    include: ['test/e2e/**/*.test.ts'],
    // Two files at a time: each mostly waits on its own host, HQ and Chromium (every port is chosen by the OS).
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
