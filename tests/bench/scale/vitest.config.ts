import { defineConfig } from 'vitest/config';

// The scale benchmark alone (`npm run bench:scale`): one file, one fork, no time limit on building the case.
// eslint-disable-next-line no-restricted-syntax -- vitest reads a config's default export
export default defineConfig({
  test: {
    include: [],
    benchmark: { include: ['tests/bench/scale/**/*.scale.ts'] },
    root: new URL('../../..', import.meta.url).pathname,
    environment: 'node',
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 0,
    hookTimeout: 0,
  },
});
