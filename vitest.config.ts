import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/**
 * Unit, store and component tests. Node tests (core, shared, hq, electron rules) run in node;
 * renderer tests in jsdom. Real-browser tests are in vitest.e2e.config.ts, run after a build.
 */
export default defineConfig({
  plugins: [react()],
  test: {
    globalSetup: ['test/globalTempDir.ts'],
    // Vitest's default is cores − 1, one worker on a 2-core CI box; most files wait on fsync, child
    // processes and sockets, so two files at a time finish the suite sooner.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'node', environment: 'node', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**', 'test/renderer/**'], testTimeout: 30_000 },
      },
      {
        extends: true,
        test: { name: 'dom', environment: 'jsdom', include: ['test/renderer/**/*.test.tsx'], setupFiles: ['test/renderer/setup.ts'], testTimeout: 30_000 },
      },
    ],
  },
});
