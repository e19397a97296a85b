/**
 * Graphs with frozen layers (Keras trainable=False, LayerNode.trainable) for the round-trip and oracle tests: a frozen
 * Dense and BatchNormalization in a chain, a frozen Bidirectional LSTM, a frozen shared layer (two calls), and a
 * frozen nested model (block) called once under a trainable head, with one of its layers unfrozen again.
 */
import { setBlockTrainable, setTrainable, type Graph } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { blockGraphs } from './blockGraphs';

const frozen = (g: Graph, names: readonly string[]): Graph => {
  const r = setTrainable(
    g,
    g.nodes.filter((n) => names.includes(n.name)).map((n) => n.id),
    false,
  );
  if (!r.ok) throw new Error(r.reason);
  return r.graph;
};

/** [what, graph] pairs; every graph is valid and has at least one frozen layer with weights and one trainable one. */
export function frozenGraphs(): [string, Graph][] {
  const chain = buildGraph('frozen_chain', (b) => {
    const x = b.add('Input', { shape: [12] }, 'features');
    const d = b.add('Dense', { units: 8, activation: 'relu' }, 'base_dense', [x]);
    const bn = b.add('BatchNormalization', {}, 'base_bn', [d]);
    const dr = b.add('Dropout', { rate: 0.1 }, 'drop', [bn]);
    b.add('Dense', { units: 3, activation: 'softmax' }, 'head', [dr]);
  });
  const rnn = buildGraph('frozen_bilstm', (b) => {
    const x = b.add('Input', { shape: [7, 4] }, 'seq');
    const bi = b.add('Bidirectional', { layer: 'LSTM', units: 5 }, 'encoder', [x]);
    b.add('Dense', { units: 1, activation: 'sigmoid' }, 'score', [bi]);
  });
  const shared = buildGraph('frozen_shared', (b) => {
    const l = b.add('Input', { shape: [6] }, 'left');
    const r = b.add('Input', { shape: [6] }, 'right');
    const enc = b.add('Dense', { units: 4, activation: 'relu' }, 'encoder', [l]);
    const enc2 = b.call(enc, [r]);
    const cat = b.add('Concatenate', {}, 'pair', [enc, enc2]);
    b.add('Dense', { units: 1, activation: 'sigmoid' }, 'same', [cat]);
  });
  const [, once] = blockGraphs()[0];
  const block = setBlockTrainable(once, once.blocks![0].id, false);
  if (!block.ok) throw new Error(block.reason);
  const [, branching] = blockGraphs()[4];
  const part = setBlockTrainable(branching, branching.blocks![0].id, false);
  if (!part.ok) throw new Error(part.reason);
  const reopened = setTrainable(part.graph, [part.graph.nodes.find((n) => n.name === 'bn_a')!.id], true);
  if (!reopened.ok) throw new Error(reopened.reason);
  return [
    ['a frozen Dense and BatchNormalization under a trainable head', frozen(chain, ['base_dense', 'base_bn'])],
    ['a frozen Bidirectional LSTM', frozen(rnn, ['encoder'])],
    ['a frozen shared layer (two calls)', frozen(shared, ['encoder'])],
    ['a frozen nested model under a trainable head', { ...block.graph, name: 'frozen_block' }],
    ['a nested model frozen but one of its layers', { ...reopened.graph, name: 'partly_frozen_block' }],
  ];
}
