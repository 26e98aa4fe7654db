import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // two test files at a time on the 2-core CI machine (vitest's default is cores − 1 = 1): most files wait on ffmpeg,
    // an emulator's clock or a browser for much of their time
    maxWorkers: 2,
  },
});
