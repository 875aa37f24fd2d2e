import { defineConfig } from 'vitest/config';

/**
 * The packaged-app smoke test (test/electron-smoke/*.smoke.ts): run by .github/workflows/installers.yml after
 * `npm run dist` on each OS, never by `npm test` (it needs the installers, which need Electron's download).
 */
export default defineConfig({
  test: {
    name: 'electron-smoke',
    environment: 'node',
    include: ['test/electron-smoke/**/*.smoke.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
