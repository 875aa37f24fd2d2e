import { defineConfig } from 'vitest/config';

/** Real Chromium against the real browser-mode host, one file at a time (2 cores). */
export default defineConfig({
  test: {
    name: 'e2e',
    environment: 'node',
    globalSetup: ['test/globalTempDir.ts'],
    include: ['test/e2e/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
