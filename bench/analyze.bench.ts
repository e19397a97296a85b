/**
 * Core `analyze` alone on the graphs of bench/validation.ts (Dense(64) chains, and branching blocks with a
 * Concatenate every four layers) of 100, 1,000 and 5,000 layers: many runs after warm-up, so the figures
 * are steadier than validation.ts's few runs beside tfjs.
 * Run: npx vitest bench --run bench/analyze.bench.ts   (figures, not assertions)
 */
import { bench, describe } from 'vitest';
import { analyze } from '../src/core';
import { bigGraph } from './validation';

for (const layers of [100, 1_000, 5_000])
  describe(`analyze, ${layers.toLocaleString('en')} layers`, () => {
    for (const shape of ['chain', 'branching'] as const) {
      const g = bigGraph(layers, shape);
      bench(shape, () => void analyze(g), { time: layers >= 5_000 ? 2_000 : 1_000, warmupIterations: 20 });
    }
  });
