import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{models,streams,gateway,central-sync,scripts,benchmarks}/**/*.test.ts'],
    // Model tests load ORT sessions and real media; 2-core CI machines need headroom.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 2,
    globalSetup: ['./test-helpers/global-setup.ts'],
  },
});
