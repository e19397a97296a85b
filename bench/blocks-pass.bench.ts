/**
 * The validator's blocks pass (core/validate/passes/blocks.ts) on a residual block (3 layers) called 101 times with
 * shared weights (`repeatBlock` 'calls', 100 further calls) and repeated as 100 copies: the pass alone (on a fresh
 * context, whose building is measured apart) and all of `analyze`.
 * Run: npx vitest bench --run bench/blocks-pass.bench.ts   (figures, not assertions)
 */
import { bench, describe } from 'vitest';
import { analyze, groupIntoBlock, repeatBlock, type Graph, type TensorRef } from '../src/core';
import { buildGraph } from '../src/core/templates/build';
import { createContext } from '../src/core/validate/context';
import { blocksPass } from '../src/core/validate/passes/blocks';

/** A residual block repeated `n` times after itself, as `mode` says. */
function repeated(n: number, mode: 'calls' | 'copies'): Graph {
  const g = buildGraph('bench_blocks', (b) => {
    const x = b.add('Input', { shape: [16] }, 'features');
    const d1 = b.add('Dense', { units: 32, activation: 'relu' }, 'expand', [x]);
    const d2 = b.add('Dense', { units: 16 }, 'project', [d1]);
    const add = b.add('Add', {}, 'residual', [x, d2]);
    b.add('Dense', { units: 4, activation: 'softmax' }, 'classes', [add]);
  });
  const ids = ['expand', 'project', 'residual'].map((name) => g.nodes.find((m) => m.name === name)!.id);
  const once = groupIntoBlock(g, ids, 'res_block');
  if (!once.ok) throw new Error(once.reason);
  const a = analyze(once.graph);
  const shapeOf = (t: TensorRef) => (t.output === 0 ? a.nodes.get(t.node)?.outputShape : a.nodes.get(t.node)?.moreOutputs[t.output - 1]) ?? null;
  const r = repeatBlock(once.graph, once.id, n, mode, shapeOf);
  if (!r.ok) throw new Error(r.reason);
  return r.graph;
}

for (const mode of ['calls', 'copies'] as const)
  describe(`a block and 100 ${mode}`, () => {
    const g = repeated(100, mode);
    bench('context only', () => void createContext(g), { time: 1_000, warmupIterations: 10 });
    bench('context + blocks pass', () => blocksPass.run(createContext(g)), { time: 1_000, warmupIterations: 10 });
    bench('analyze', () => void analyze(g), { time: 1_000, warmupIterations: 10 });
  });
