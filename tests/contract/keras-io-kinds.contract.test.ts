/**
 * Keras JSON export / import for every layer kind: each valid case of the per-kind contract tables,
 * as a graph of Inputs feeding one layer, exports to Keras JSON that tfjs loads with the same parameter
 * count, and imports back to the same graph. The mixed graphs of the layer tables round-trip too.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, exportedNode, exportKerasJson, importKerasJson, LAYER_DEFS, layerDef, paramApplies, type Graph } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { freeRecurrentDropoutMasks } from '../../src/runtime/buildModel';
import { ACTIVATION } from './layers/activation.cases';
import { CONV } from './layers/conv.cases';
import { CORE } from './layers/core.cases';
import { MERGE_NORM } from './layers/merge-norm.cases';
import { POOLING } from './layers/pooling.cases';
import { RECURRENT } from './layers/recurrent.cases';
import { LAYER_GRAPHS } from './layers/graphs';
import type { Case } from './layers/types';

const TABLES = { ...CORE, ...CONV, ...POOLING, ...MERGE_NORM, ...RECURRENT, ...ACTIVATION };

/**
 * Kinds, names, params and each layer's inputs in order (ids and positions differ after a round trip).
 * A wrapper's parameters that its wrapped kind does not have (SimpleRNN has no recurrent_activation) mean
 * nothing and are not written, so they are left out.
 */
function structure(g: Graph) {
  const name = new Map(g.nodes.map((n) => [n.id, n.name]));
  const params = (n: Graph['nodes'][number]) => Object.fromEntries(Object.entries(n.params).filter(([k]) => paramApplies(layerDef(n.kind)!, n.params, k)));
  return {
    nodes: Object.fromEntries(g.nodes.map((n) => [n.name, { kind: n.kind, params: params(n) }])),
    inputs: g.nodes
      .map(
        (n) =>
          `${n.name} ← ${g.edges
            .filter((e) => e.target === n.id)
            .map((e) => name.get(e.source))
            .join(', ')}`,
      )
      .sort(),
  };
}

const single = (kind: string, c: Case) =>
  buildGraph('case', (b) => {
    const ins = c.inputs.map((s, i) => b.add('Input', { shape: s.slice(1) as number[] }, `in_${i}`));
    b.add(kind, c.params, 'layer', ins);
  });

const cases = LAYER_DEFS.filter((d) => d.kind !== 'Input').flatMap((d) =>
  (TABLES[d.kind]?.valid ?? []).map((c, i) => ({ id: `${d.kind} #${i + 1}`, build: () => single(d.kind, c) })),
);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('Keras JSON round trip and tfjs load, every kind', () => {
  it('covers every layer kind', () => {
    const covered = new Set(cases.map((c) => c.id.split(' ')[0]));
    expect(LAYER_DEFS.filter((d) => d.kind !== 'Input' && !covered.has(d.kind)).map((d) => d.kind)).toEqual([]);
  });

  it.each([...cases, ...LAYER_GRAPHS])('$id', async ({ build }) => {
    const g = build();
    const a = analyze(g);
    if (!a.valid) return; // a case the tables mark as a training warning only stays valid; errors are not exported
    const r = exportKerasJson(g);
    if (!r.ok) throw new Error(r.reason);
    const back = importKerasJson(r.json);
    if (!back.ok) throw new Error(back.reason);
    // Reshape's −1 is exported resolved (tfjs cannot load it otherwise): compare with that graph.
    const resolved = { ...g, nodes: g.nodes.map((n) => exportedNode(n, a.nodes.get(n.id)!.inputShapes)) };
    expect(structure(back.graph)).toEqual(structure(resolved));
    expect(back.warnings).toEqual([]);
    const model = (await tf.models.modelFromJSON(JSON.parse(r.json))) as tf.LayersModel;
    try {
      expect(model.countParams()).toBe(a.totals.total);
    } finally {
      freeRecurrentDropoutMasks(tf, model.layers);
      model.dispose();
    }
  });
});
