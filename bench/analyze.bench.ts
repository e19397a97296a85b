/**
 * Core `analyze` alone on the graphs of bench/validation.ts (Dense(64) chains, and branching blocks with a
 * Concatenate every four layers) of 100, 1,000 and 5,000 layers: many runs after warm-up, so the figures
 * are steadier than validation.ts's few runs beside tfjs. Also the work of a delete in the middle of a
 * 1,000-layer chain (the lower half left without input, hundreds of problems): `analyze` and `summarize`.
 * Run: npx vitest bench --run bench/analyze.bench.ts   (figures, not assertions)
 */
import { bench, describe } from 'vitest';
import { analyze, removeNodes, summarize } from '../src/core';
import { bigGraph } from './validation';

for (const layers of [100, 1_000, 5_000])
  describe(`analyze, ${layers.toLocaleString('en')} layers`, () => {
    for (const shape of ['chain', 'branching'] as const) {
      const g = bigGraph(layers, shape);
      bench(shape, () => void analyze(g), { time: layers >= 5_000 ? 2_000 : 1_000, warmupIterations: 20 });
    }
  });

describe('a 1,000-layer chain cut in the middle (a delete)', () => {
  const whole = bigGraph(1_000, 'chain');
  const cut = removeNodes(whole, [whole.nodes[500].id]);
  const a = analyze(cut);
  bench('analyze', () => void analyze(cut), { time: 1_000, warmupIterations: 20 });
  bench('summarize', () => void summarize(cut, a), { time: 1_000, warmupIterations: 20 });
  bench('summarize, whole chain', () => void summarize(whole, analyze(whole)), { time: 1_000, warmupIterations: 20 });
});
