/**
 * Keras JSON export / import for every layer kind: each valid case of the per-kind contract tables,
 * as a graph of Inputs feeding one layer, exports to Keras JSON that tfjs loads with the same parameter
 * count, and imports back to the same graph. The mixed graphs of the layer tables round-trip too.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, exportedNode, layerDef, paramApplies, type Graph } from '../../src/core';
import { freeRecurrentDropoutMasks } from '../../src/runtime/buildModel';
import { structure } from '../helpers/graphs';
import { exported, imported } from '../helpers/kerasJson';
import { LAYER_KINDS, LAYER_TABLES, singleLayerGraph } from '../helpers/layerCases';
import { cpuBackend } from '../helpers/tfjs';
import { LAYER_GRAPHS } from './layers/graphs';

/**
 * The parameters a round trip keeps: a wrapper's parameters that its wrapped kind does not have
 * (SimpleRNN has no recurrent_activation) mean nothing and are not written, so they are left out.
 */
const applying = (n: Graph['nodes'][number]) => Object.fromEntries(Object.entries(n.params).filter(([k]) => paramApplies(layerDef(n.kind)!, n.params, k)));

const cases = LAYER_KINDS.flatMap((kind) =>
  (LAYER_TABLES[kind]?.valid ?? []).map((c, i) => ({ id: `${kind} #${i + 1}`, build: () => singleLayerGraph(kind, c).graph })),
);

beforeAll(cpuBackend);

describe('Keras JSON round trip and tfjs load, every kind', () => {
  it('covers every layer kind', () => {
    const covered = new Set(cases.map((c) => c.id.split(' ')[0]));
    expect(LAYER_KINDS.filter((k) => !covered.has(k))).toEqual([]);
  });

  it.each([...cases, ...LAYER_GRAPHS])('$id', async ({ build }) => {
    const g = build();
    const a = analyze(g);
    if (!a.valid) return; // a case the tables mark as a training warning only stays valid; errors are not exported
    const text = exported(g);
    const back = imported(text);
    // Reshape's −1 is exported resolved (tfjs cannot load it otherwise): compare with that graph.
    const resolved = { ...g, nodes: g.nodes.map((n) => exportedNode(n, a.nodes.get(n.id)!.inputShapes)) };
    expect(structure(back.graph, applying)).toEqual(structure(resolved, applying));
    expect(back.warnings).toEqual([]);
    const file = JSON.parse(text) as { config: { layers?: { class_name: string; inbound_nodes?: unknown[] }[] } };
    const positional = (file.config.layers ?? []).filter((l) => layerDef(l.class_name)?.callForm === 'positional');
    if (positional.length) {
      // A kind Keras calls positionally (MultiHeadAttention(q, v)) is exported in Keras 3's `args` form, the only
      // one Keras 3 reads for it; tfjs 4.22 reads only the legacy list form and refuses the file. It loads the same
      // calls written as lists (what tfjs's own toJSON writes: apply([q, v])) with the same count.
      await expect(tf.models.modelFromJSON(JSON.parse(text) as Parameters<typeof tf.models.modelFromJSON>[0])).rejects.toThrow(/expected array for nodeData/);
      for (const l of positional)
        l.inbound_nodes = l.inbound_nodes!.map((n) =>
          ((n as { args: { config: { keras_history: unknown[] } }[] }).args ?? []).map((t) => [...t.config.keras_history, {}]),
        );
    }
    const model = (await tf.models.modelFromJSON(file as unknown as Parameters<typeof tf.models.modelFromJSON>[0])) as tf.LayersModel;
    try {
      expect(model.countParams()).toBe(a.totals.total);
    } finally {
      freeRecurrentDropoutMasks(tf, model.layers);
      model.dispose();
    }
  });
});
