/**
 * Vitest configuration of the Keras oracle (tests/keras/), kept out of `npm test` (whose include is
 * tests/unit, tests/contract and tests/property): `npx vitest run --config tests/keras/vitest.config.ts`.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: new URL('../..', import.meta.url).pathname,
  test: {
    environment: 'node',
    include: ['tests/keras/**/*.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 900_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
