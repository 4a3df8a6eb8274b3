import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    benchmark: { include: ['tests/bench/**/*.bench.ts'] },
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    expect: { poll: { timeout: 10_000, interval: 100 } },
    hookTimeout: 60_000,
    // End-to-end files start servers and browsers; two cores do not gain from more parallel files.
    maxWorkers: 2,
  },
});
