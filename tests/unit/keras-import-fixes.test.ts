/**
 * Import fixes of issue 10: `Dot(axes=-1)` and other negative axes (resolved against each input's rank, as Keras and
 * tfjs do), Conv1D `padding='causal'` (imported: tfjs 4.22 cannot run it, checked here, Layerlab's own Conv1D class does),
 * LayerNormalization's axis as tfjs and tf.keras write it (a one-entry list) and over several axes (refused by name).
 * tfjs answers the shapes and counts: its own `toJSON` is imported and compared with the model it wrote.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, importKerasJson } from '../../src/core';
import { imported, inp, lay, type Json } from '../helpers/kerasJson';
import { cpuBackend } from '../helpers/tfjs';

beforeAll(cpuBackend);

const functional2 = (layers: Json[], inputs: string[], outputs: string[]): Json => ({
  class_name: 'Functional',
  config: { name: 'm', layers, input_layers: inputs.map((n) => [n, 0, 0]), output_layers: outputs.map((n) => [n, 0, 0]) },
});

/** tfjs's toJSON of a model with inputs of `shapes` and the layer `make` applied to them. */
function tfjsFile(shapes: number[][], make: () => tf.layers.Layer): { text: string; outShape: (number | null)[] } {
  const xs = shapes.map((s) => tf.input({ shape: s }));
  const y = make().apply(xs.length === 1 ? xs[0] : xs) as tf.SymbolicTensor;
  const m = tf.model({ inputs: xs, outputs: y });
  const text = JSON.stringify(m.toJSON(null, false));
  m.dispose();
  return { text, outShape: y.shape };
}

describe('negative Dot axes', () => {
  it.each([
    [
      [
        [5, 6],
        [7, 6],
      ],
      -1,
      [2, 2],
    ],
    [[[6], [6]], -1, [1, 1]],
  ] as const)("tfjs's file of inputs %j with axes %j imports as axes %j with tfjs's output shape", (shapes, axes, resolved) => {
    const f = tfjsFile(
      shapes.map((s) => [...s]),
      () => tf.layers.dot({ axes: axes as number | [number, number] }),
    );
    const r = importKerasJson(f.text);
    expect(r.ok ? '' : r.reason).toBe('');
    if (!r.ok) return;
    const dot = r.graph.nodes.find((n) => n.kind === 'Dot')!;
    expect(dot.params.axes).toEqual(resolved);
    expect(analyze(r.graph).nodes.get(dot.id)!.outputShape).toEqual(f.outShape);
  });

  it('resolves a negative entry of an axes list as Keras does (tfjs 4.22 fails on it: "Dimension incompatibility")', () => {
    // Keras 3.15: Dot(axes=[1, -2]) on (None, 5, 6) and (None, 5, 7) gives (None, 6, 7) (Python's shape[-2]).
    const r = imported(functional2([inp('a', [5, 6]), inp('b', [5, 7]), lay('Dot', 'dot', { axes: [1, -2] }, 'a', 'b')], ['a', 'b'], ['dot']));
    const dot = r.graph.nodes.find((n) => n.kind === 'Dot')!;
    expect(dot.params.axes).toEqual([1, 1]);
    expect(analyze(r.graph).nodes.get(dot.id)!.outputShape).toEqual([null, 6, 7]);
  });

  it('resolves them for every call of a shared Dot', () => {
    const file = functional2(
      [
        inp('a', [3, 4]),
        inp('b', [3, 4]),
        {
          name: 'dot',
          class_name: 'Dot',
          config: { name: 'dot', axes: -1, normalize: false },
          inbound_nodes: [
            [
              ['a', 0, 0, {}],
              ['b', 0, 0, {}],
            ],
            [
              ['b', 0, 0, {}],
              ['a', 0, 0, {}],
            ],
          ],
        },
        lay('Add', 'sum', {}, 'dot', 'dot'),
      ],
      ['a', 'b'],
      ['sum'],
    );
    (file.config as { layers: Json[] }).layers[3].inbound_nodes = [
      [
        ['dot', 0, 0, {}],
        ['dot', 1, 0, {}],
      ],
    ];
    const r = imported(file);
    expect(r.graph.nodes.filter((n) => n.kind === 'Dot').map((n) => n.params.axes)).toEqual([
      [2, 2],
      [2, 2],
    ]);
    expect(analyze(r.graph).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('refuses an axis that names no axis of its input, saying which', () => {
    const r = importKerasJson(JSON.stringify(functional2([inp('a', [4]), inp('b', [4]), lay('Dot', 'dot', { axes: -3 }, 'a', 'b')], ['a', 'b'], ['dot'])));
    expect(!r.ok && r.reason).toBe("Layer 'dot' has axes=-3: -3 names no axis of its input 1 of rank 2; nothing was changed.");
  });
});

describe("Conv1D padding='causal'", () => {
  it('is something tfjs 4.22 cannot run (the reason the import gives)', () => {
    const x = tf.input({ shape: [10, 4] });
    const m = tf.model({ inputs: x, outputs: tf.layers.conv1d({ filters: 3, kernelSize: 3, padding: 'causal' }).apply(x) as tf.SymbolicTensor });
    expect(() => m.predict(tf.ones([1, 10, 4]))).toThrow(/The support for CAUSAL padding mode in conv1dWithBias is not implemented yet/);
    m.dispose();
  });

  it("imports tfjs's file with tfjs's count and Keras's length, and Layerlab's runtime runs it", () => {
    const x = tf.input({ shape: [10, 4] });
    const m = tf.model({
      inputs: x,
      outputs: tf.layers.conv1d({ filters: 3, kernelSize: 3, strides: 2, padding: 'causal', name: 'c' }).apply(x) as tf.SymbolicTensor,
    });
    const count = m.countParams();
    const r = imported(JSON.stringify(m.toJSON(null, false)));
    m.dispose();
    const c = r.graph.nodes.find((n) => n.kind === 'Conv1D')!;
    expect(c.params.padding).toBe('causal');
    const a = analyze(r.graph);
    expect(a.totals.total).toBe(count);
    // Keras: ⌈10 / 2⌉ = 5 steps (tfjs's own class declares the 'valid' length, 4; Layerlab's Conv1D declares 5).
    expect(a.nodes.get(c.id)!.outputShape).toEqual([null, 5, 3]);
  });
});

describe('LayerNormalization axis as the writers write it', () => {
  it("imports tfjs's axis [2] with tfjs's count", () => {
    const f = tfjsFile([[5, 6]], () => tf.layers.layerNormalization({ axis: -1 }));
    expect(f.text).toContain('"axis":[2]');
    const r = imported(f.text);
    expect(analyze(r.graph).totals.total).toBe(12);
    // [2] is the last axis of (None, 5, 6): read as −1, as drawn in Layerlab and written by Keras 3.
    expect(r.graph.nodes.find((n) => n.kind === 'LayerNormalization')!.params.axis).toBe(-1);
  });

  it('keeps a one-entry axis list that is not the last axis as that axis, with tfjs count', () => {
    const f = tfjsFile([[5, 6]], () => tf.layers.layerNormalization({ axis: 1 }));
    expect(f.text).toContain('"axis":[1]');
    const r = imported(f.text);
    expect(r.graph.nodes.find((n) => n.kind === 'LayerNormalization')!.params.axis).toBe(1);
    expect(analyze(r.graph).totals.total).toBe(10);
  });

  it('refuses several axes naming them, instead of "cannot be read"', () => {
    const f = tfjsFile([[5, 6]], () => tf.layers.layerNormalization({ axis: [1, 2] as unknown as number, name: 'ln' }));
    const r = importKerasJson(f.text);
    expect(!r.ok && r.reason).toBe(
      "Layer 'ln' (LayerNormalization) has axis=[1, 2]: it works over 2 axes together, and Layerlab's LayerNormalization takes one axis yet; nothing was changed.",
    );
  });
});

describe('SeparableConv2D depth_multiplier, which tfjs 4.22 leaves out of its JSON', () => {
  /** A tfjs model.json of SeparableConv2D(4, 3, depth_multiplier 2) on (8, 8, 3), as `model.save` writes it. */
  async function modelJson(): Promise<{ json: Json; count: number }> {
    const x = tf.input({ shape: [8, 8, 3] });
    const m = tf.model({
      inputs: x,
      outputs: tf.layers.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2, name: 'sep' }).apply(x) as tf.SymbolicTensor,
    });
    let json: Json = {};
    await m.save(
      tf.io.withSaveHandler(async (art) => {
        json = { modelTopology: art.modelTopology, weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: art.weightSpecs }] };
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const count = m.countParams();
    m.dispose();
    return { json, count };
  }

  it("is read from the depthwise kernel's shape in the weights manifest: tfjs's count (82), not 43", async () => {
    const { json, count } = await modelJson();
    expect(JSON.stringify(json.modelTopology)).not.toContain('depth_multiplier');
    const r = imported(json);
    expect(r.graph.nodes.find((n) => n.kind === 'SeparableConv2D')!.params.depth_multiplier).toBe(2);
    expect(analyze(r.graph).totals.total).toBe(count);
    expect(count).toBe(82);
    expect(r.warnings).toEqual([]);
  });

  it('without a manifest is read as 1, with a note saying the file does not say it', async () => {
    const { json } = await modelJson();
    const r = imported({ modelTopology: json.modelTopology });
    expect(r.graph.nodes.find((n) => n.kind === 'SeparableConv2D')!.params.depth_multiplier).toBe(1);
    expect(r.warnings).toEqual([
      "Layer 'sep' (SeparableConv2D): the file does not say its depth_multiplier (tfjs 4.22 leaves it out of the JSON and this file has no weights manifest to read it from); read as 1, Keras's default.",
    ]);
  });
});
