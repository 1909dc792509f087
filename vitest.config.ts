import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{models,streams,gateway,central-sync,scripts,benchmarks}/**/*.test.ts'],
    // Model tests load ORT sessions and real media; 2-core CI machines need headroom.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // One file at a time: the stream tests assert frame rates from real ffmpeg processes, which a
    // model test running beside them on a 2-core machine would disturb.
    fileParallelism: false,
    globalSetup: ['./test-helpers/global-setup.ts'],
    // Logs are shown for failed tests only: console output is held per test, and test-helpers/log.ts
    // sends pino loggers (which would write to stdout past vitest) through console.
    silent: 'passed-only',
    setupFiles: ['./test-helpers/log.ts'],
  },
});
