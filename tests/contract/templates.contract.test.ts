/**
 * Contract: for every core template, the model the runtime builds in tfjs has, layer by layer, the output
 * shape and parameter count the core's summary shows, and the same totals; disposing it frees every tensor.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, summarize, TEMPLATES } from '../../src/core';
import { buildModel, disposeModel } from '../../src/runtime/buildModel';
import { summarizeModel } from '../../src/runtime/train';
import { cpuBackend, weightCount } from '../helpers/tfjs';
import { fastSubset } from '../full';

beforeAll(cpuBackend);

/**
 * tfjs's "Receives inputs" cells of a layer in a Functional model: `name[node][tensor]` of each input of each
 * call (tfjs-layers engine/container.ts summary: inboundNodes' inboundLayers, nodeIndices, tensorIndices).
 */
function connectedTo(layer: tf.layers.Layer): string[] {
  type Node = { inboundLayers: tf.layers.Layer[]; nodeIndices: number[]; tensorIndices: number[] };
  return (layer.inboundNodes as unknown as Node[]).flatMap((n) => n.inboundLayers.map((l, i) => `${l.name}[${n.nodeIndices[i]}][${n.tensorIndices[i]}]`));
}

it('has templates to check', () => expect(TEMPLATES.length).toBeGreaterThanOrEqual(3));

/** Templates that take 4–6 s per test on Node's cpu backend (VGG16's 138 M weights, LSTM orthogonal initializers): `npm run test:contract`. */
const SLOW = new Set(['vgg16', 'encoder-decoder', 'text-classifier', 'resnet50']);

describe.each(
  fastSubset(
    'template contract',
    TEMPLATES.map((t) => [t.id, t] as const),
    ([id]) => SLOW.has(id),
  ),
)('template %s', (_id, t) => {
  it('builds in tfjs with the core summary, row by row and in total', () => {
    const graph = t.build();
    const a = analyze(graph);
    expect(a.valid).toBe(true);
    const core = summarize(graph, a);
    const base = tf.memory().numTensors;
    const model = buildModel(tf, graph);
    try {
      expect(model.name).toBe(graph.name);
      // The same layers (a Sequential model lists no InputLayer, in tfjs or in the core), matched by name.
      // Not compared: their order. tfjs (like Keras) lists a Functional model's layers by depth, the core by
      // topological order with graph-order ties, so the two-branch template's rows come in another order.
      expect(model.layers.map((l) => l.name).sort()).toEqual(core.rows.map((r) => r.name).sort());
      // …and in the order tfjs lists them (Container: by decreasing depth, ties by discovery order).
      expect(core.rows.map((r) => r.name)).toEqual(model.layers.map((l) => l.name));
      const functional = model.layers.some((l) => l.getClassName() === 'InputLayer');
      for (const row of core.rows) {
        const layer = model.getLayer(row.name);
        // A layer that returns several tensors (an LSTM with return_state) has a list of shapes in tfjs, Keras 3
        // prints the list, and the core's row carries it in outputShapes.
        expect({
          name: row.name,
          shape: layer.outputShape,
          params: layer.countParams(),
          className: layer.getClassName(),
          ...(functional ? { connectedTo: connectedTo(layer) } : {}),
        }).toEqual({
          name: row.name,
          shape: row.outputShapes ?? row.outputShape,
          params: row.params,
          className: row.className,
          ...(functional ? { connectedTo: row.connectedTo } : {}),
        });
      }
      expect({ total: model.countParams(), trainable: weightCount(model.trainableWeights), nonTrainable: weightCount(model.nonTrainableWeights) }).toEqual(
        a.totals,
      );
    } finally {
      disposeModel(tf, model);
    }
    expect(tf.memory().numTensors).toBe(base);
  });

  it("summarizeModel reports tfjs's totals and summary text, leaving no tensors", () => {
    const graph = t.build();
    const a = analyze(graph);
    const base = tf.memory().numTensors;
    const s = summarizeModel(tf, graph);
    expect(tf.memory().numTensors).toBe(base);
    expect(s.totals).toEqual(a.totals);
    const byName = (rows: readonly { name: string; outputShape: unknown; outputShapes?: unknown; params: number }[]) =>
      Object.fromEntries(rows.map((r) => [r.name, [r.outputShape, r.outputShapes ?? null, r.params]]));
    expect(byName(s.rows)).toEqual(byName(summarize(graph, a).rows));
    expect(s.text).toContain(`Total params: ${a.totals.total}`);
    expect(s.text).toContain(`Trainable params: ${a.totals.trainable}`);
  });
});
