/**
 * Graphs with blocks (Keras nested models) that both oracles build: the Keras oracle (tests/keras/blocks.oracle.test.ts,
 * the generated Python) and tfjs (tests/contract/codegen-blocks.contract.test.ts, the generated TypeScript).
 */
import { analyze, groupIntoBlock, repeatBlock, type Graph, type TensorRef } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';

const idOf = (g: Graph, name: string) => g.nodes.find((n) => n.name === name)!.id;
const group = (g: Graph, names: readonly string[], name: string) => {
  const r = groupIntoBlock(
    g,
    names.map((n) => idOf(g, n)),
    name,
  );
  if (!r.ok) throw new Error(r.reason);
  return r;
};
const shapeOf = (g: Graph) => {
  const a = analyze(g);
  return (t: TensorRef) => {
    const info = a.nodes.get(t.node);
    return (t.output === 0 ? info?.outputShape : info?.moreOutputs[t.output - 1]) ?? null;
  };
};

const residual = () =>
  buildGraph('residual_once', (b) => {
    const x = b.add('Input', { shape: [16] }, 'features');
    const d1 = b.add('Dense', { units: 32, activation: 'relu' }, 'expand', [x]);
    const d2 = b.add('Dense', { units: 16 }, 'project', [d1]);
    const add = b.add('Add', {}, 'residual', [x, d2]);
    b.add('Dense', { units: 4, activation: 'softmax' }, 'classes', [add]);
  });

/** [what, graph]: a residual block called once, three times (shared weights), with a copy; a block with two inputs and two outputs; a block on one branch. */
export function blockGraphs(): [string, Graph][] {
  const once = group(residual(), ['expand', 'project', 'residual'], 'res_block');
  const twice = repeatBlock(once.graph, once.id, 2, 'calls', shapeOf(once.graph));
  const copies = repeatBlock(once.graph, once.id, 1, 'copies', shapeOf(once.graph));
  if (!twice.ok || !copies.ok) throw new Error('repeat refused');
  const two = buildGraph('two_in_two_out', (b) => {
    const p = b.add('Input', { shape: [4] }, 'p');
    const q = b.add('Input', { shape: [6] }, 'q');
    const c = b.add('Concatenate', {}, 'c', [p, q]);
    const d = b.add('Dense', { units: 3 }, 'd', [c]);
    const e = b.add('Dense', { units: 5, activation: 'relu' }, 'e', [c]);
    const t = b.add('Concatenate', {}, 't', [e, d]);
    b.add('Dense', { units: 1, activation: 'sigmoid' }, 'out', [t]);
  });
  const branching = buildGraph('branching', (b) => {
    const img = b.add('Input', { shape: [8, 8, 3] }, 'image');
    const meta = b.add('Input', { shape: [5] }, 'meta');
    const c1 = b.add('Conv2D', { filters: 4, kernel_size: [3, 3], padding: 'same' }, 'conv_a', [img]);
    const bn = b.add('BatchNormalization', {}, 'bn_a', [c1]);
    const f = b.add('Flatten', {}, 'flat', [bn]);
    const m = b.add('Dense', { units: 7 }, 'meta_dense', [meta]);
    const cat = b.add('Concatenate', {}, 'merge', [f, m]);
    b.add('Dense', { units: 2, activation: 'softmax' }, 'head', [cat]);
    b.add('Dense', { units: 1 }, 'aux', [f]);
  });
  return [
    ['a block called once', once.graph],
    ['a block called three times (shared weights)', twice.graph],
    ['a block and a copy (weights of its own)', copies.graph],
    ['a block with two inputs and two outputs', group(two, ['c', 'd', 'e'], 'pair_block').graph],
    ['a block on one branch, its output read by two layers', group(branching, ['conv_a', 'bn_a', 'flat'], 'image_block').graph],
  ];
}
