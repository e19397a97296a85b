/**
 * Contract: for every layer kind in the core registry, tfjs itself builds the layer (through the runtime's
 * `createLayer`, i.e. `tf.layers[def.tfjsFactory]({ ...tfjsArgs(node), name })`) on symbolic inputs, and its
 * output shape, parameter count and trainable / non-trainable split must equal what the core's
 * validator computes. Invalid cases record what tfjs does and check the core reports them.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, LAYER_DEFS, layerDef, type Graph, type Params, type Shape } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { createLayer } from '../../src/runtime/buildModel';

interface Case {
  readonly params: Params;
  /** Input shapes, batch axis first. */
  readonly inputs: readonly Shape[];
}

/** Several parameter sets and input shapes per kind (Input is checked separately). */
const CASES: Readonly<Record<string, readonly Case[]>> = {
  Dense: [
    { params: { units: 4, activation: 'relu' }, inputs: [[null, 8]] },
    { params: { units: 3, use_bias: false }, inputs: [[null, 8]] },
    { params: { units: 4 }, inputs: [[null, 5, 7]] },
    { params: { units: 1, activation: 'sigmoid', use_bias: false }, inputs: [[null, 2, 3, 6]] },
    { params: { units: 10, activation: 'softmax' }, inputs: [[null, 12544]] },
  ],
  Dropout: [
    { params: { rate: 0.5 }, inputs: [[null, 10]] },
    { params: { rate: 0 }, inputs: [[null, 4, 4, 3]] },
    { params: { rate: 0.3 }, inputs: [[null, 2, 7]] },
  ],
  Flatten: [
    { params: {}, inputs: [[null, 4, 5]] },
    { params: {}, inputs: [[null, 6, 6, 3]] },
    { params: {}, inputs: [[null, 2, 3, 4, 5]] },
  ],
  Conv2D: [
    { params: { filters: 32, kernel_size: [3, 3], activation: 'relu' }, inputs: [[null, 28, 28, 1]] },
    { params: { filters: 4, kernel_size: [3, 3], strides: [2, 2] }, inputs: [[null, 9, 9, 3]] },
    { params: { filters: 4, kernel_size: [3, 5], strides: [2, 2], padding: 'same' }, inputs: [[null, 9, 8, 3]] },
    { params: { filters: 8, kernel_size: [1, 1], use_bias: false }, inputs: [[null, 5, 5, 16]] },
    { params: { filters: 2, kernel_size: [5, 5] }, inputs: [[null, 5, 5, 2]] },
    { params: { filters: 3, kernel_size: [2, 2], strides: [3, 1], padding: 'same', use_bias: false }, inputs: [[null, 7, 7, 1]] },
  ],
  MaxPooling2D: [
    { params: {}, inputs: [[null, 8, 8, 3]] },
    { params: { pool_size: [3, 3], strides: [2, 2] }, inputs: [[null, 9, 9, 1]] },
    { params: { pool_size: [2, 2], padding: 'same' }, inputs: [[null, 7, 7, 2]] },
    { params: { pool_size: [2, 2], strides: [1, 1] }, inputs: [[null, 6, 5, 4]] },
    { params: { pool_size: [3, 2], padding: 'same' }, inputs: [[null, 5, 5, 1]] },
  ],
  Concatenate: [
    { params: { axis: -1 }, inputs: [[null, 3], [null, 4]] },
    { params: { axis: -1 }, inputs: [[null, 2, 3], [null, 2, 4], [null, 2, 1]] },
    { params: { axis: 1 }, inputs: [[null, 2, 3], [null, 5, 3]] },
    { params: { axis: 1 }, inputs: [[null, 1], [null, 2], [null, 3]] },
    { params: { axis: 3 }, inputs: [[null, 4, 4, 3], [null, 4, 4, 5]] },
    { params: { axis: 2 }, inputs: [[null, 2, 6], [null, 2, 3]] },
  ],
};

/** A graph of one Input per input shape feeding one layer of `kind`. */
function single(kind: string, c: Case): { graph: Graph; id: string } {
  let id = '';
  const graph = buildGraph('case', (b) => {
    const ins = c.inputs.map((s, i) => b.add('Input', { shape: s.slice(1) as number[] }, `in_${i}`));
    id = b.add(kind, c.params, 'layer', ins);
  });
  return { graph, id };
}

/** Number of scalars in a list of weights. */
const size = (ws: readonly { shape: readonly (number | null)[] }[]) => ws.reduce((s, w) => s + w.shape.reduce<number>((p, d) => p * (d ?? 1), 1), 0);

const checkedKinds = new Set<string>();
/** Layers applied here; disposed at the end, when the tensor count must be back to its baseline. */
const made: tf.layers.Layer[] = [];
let baseline = 0;

beforeAll(async () => {
  await tf.setBackend('cpu');
  baseline = tf.memory().numTensors;
});
afterAll(() => {
  for (const l of made) l.dispose();
  expect(tf.memory().numTensors).toBe(baseline);
});

describe.each(LAYER_DEFS.filter((d) => d.kind !== 'Input').map((d) => [d.kind]))('%s matches tfjs', (kind) => {
  const cases = CASES[kind] ?? [];
  it('has a table of at least 3 cases', () => expect(cases.length).toBeGreaterThanOrEqual(3));

  it.each(cases.map((c) => [JSON.stringify(c.params), JSON.stringify(c.inputs), c] as const))('%s on %s', (_p, _i, c) => {
    const { graph, id } = single(kind, c);
    const a = analyze(graph);
    expect(a.diagnostics).toEqual([]);
    const core = a.nodes.get(id)!;
    const node = graph.nodes.find((n) => n.id === id)!;

    const layer = createLayer(tf, node);
    const inputs = c.inputs.map((s) => tf.input({ shape: s.slice(1) as number[] }));
    const out = layer.apply(inputs.length > 1 ? inputs : inputs[0]) as tf.SymbolicTensor;
    made.push(layer);

    expect(out.shape).toEqual(core.outputShape);
    expect(layer.countParams()).toBe(core.weights!.trainable + core.weights!.nonTrainable);
    expect(size(layer.trainableWeights)).toBe(core.weights!.trainable);
    expect(size(layer.nonTrainableWeights)).toBe(core.weights!.nonTrainable);
    expect(layer.getClassName()).toBe(layerDef(kind)!.kerasClass);
    checkedKinds.add(kind);
  });
});

describe('Input matches tf.input', () => {
  it.each([[[1]], [[64, 64, 3]], [[2, 3, 4, 5, 6]]])('shape %j', (shape) => {
    const graph = buildGraph('inp', (b) => void b.add('Input', { shape }, 'x'));
    const t = tf.input({ shape, name: 'x' });
    expect(t.shape).toEqual(analyze(graph).nodes.get(graph.nodes[0].id)!.outputShape);
    expect(t.sourceLayer.getClassName()).toBe(layerDef('Input')!.kerasClass);
    checkedKinds.add('Input');
  });
});

/**
 * Inputs tfjs handles badly or refuses. `tfjs` records what tfjs 4.22 does with them: it throws (with this
 * message), builds a window with a non-positive size, or silently returns a shape Keras would refuse.
 * In every case the core must report the given diagnostic code.
 */
const INVALID: readonly { what: string; kind: string; c: Case; tfjs: RegExp | Shape; code: string }[] = [
  { what: "kernel larger than the input with 'valid'", kind: 'Conv2D', c: { params: { filters: 2, kernel_size: [5, 5] }, inputs: [[null, 3, 3, 1]] }, tfjs: [null, -1, -1, 2], code: 'shape/kernel-too-large' },
  { what: 'kernel 4 / stride 2 on a 3×3 input', kind: 'Conv2D', c: { params: { filters: 2, kernel_size: [4, 4], strides: [2, 2] }, inputs: [[null, 3, 3, 1]] }, tfjs: [null, 0, 0, 2], code: 'shape/kernel-too-large' },
  { what: 'Conv2D on a rank-2 input', kind: 'Conv2D', c: { params: { filters: 2 }, inputs: [[null, 8]] }, tfjs: /expected ndim=4, found ndim=2/, code: 'shape/rank' },
  { what: "pool larger than the input with 'valid'", kind: 'MaxPooling2D', c: { params: { pool_size: [5, 5] }, inputs: [[null, 3, 3, 1]] }, tfjs: [null, 0, 0, 1], code: 'shape/window-too-large' },
  { what: 'MaxPooling2D on a rank-3 input', kind: 'MaxPooling2D', c: { params: {}, inputs: [[null, 8, 8]] }, tfjs: /expected ndim=4, found ndim=3/, code: 'shape/rank' },
  { what: 'Flatten on a rank-2 input', kind: 'Flatten', c: { params: {}, inputs: [[null, 5]] }, tfjs: /expected min_ndim=3, found ndim=2/, code: 'shape/already-flat' },
  { what: 'Concatenate with mismatched non-axis sizes', kind: 'Concatenate', c: { params: { axis: -1 }, inputs: [[null, 3, 4], [null, 5, 4]] }, tfjs: /matching shapes except for the concat axis/, code: 'shape/concat-mismatch' },
  { what: 'Concatenate of 3 inputs, the third mismatched', kind: 'Concatenate', c: { params: { axis: 1 }, inputs: [[null, 2, 3], [null, 2, 3], [null, 2, 4]] }, tfjs: /matching shapes except for the concat axis/, code: 'shape/concat-mismatch' },
  { what: 'Concatenate of different ranks', kind: 'Concatenate', c: { params: { axis: -1 }, inputs: [[null, 3], [null, 2, 3]] }, tfjs: /matching shapes except for the concat axis/, code: 'shape/concat-mismatch' },
  { what: 'Concatenate on the batch axis', kind: 'Concatenate', c: { params: { axis: 0 }, inputs: [[null, 3], [null, 3]] }, tfjs: [null, 3], code: 'shape/bad-axis' },
  { what: 'Concatenate on an axis past the rank', kind: 'Concatenate', c: { params: { axis: 3 }, inputs: [[null, 3, 2], [null, 3, 2]] }, tfjs: [null, 3, 2, null], code: 'shape/bad-axis' },
  { what: 'Concatenate on axis -2 (tfjs declares Keras\'s shape but runs it on axis -1)', kind: 'Concatenate', c: { params: { axis: -2 }, inputs: [[null, 2, 6], [null, 3, 6]] }, tfjs: [null, 5, 6], code: 'shape/bad-axis' },
];

describe('invalid inputs: what tfjs does, and the core reports them', () => {
  it.each(INVALID.map((v) => [v.what, v] as const))('%s', (_w, v) => {
    const { graph, id } = single(v.kind, v.c);
    const layer = createLayer(tf, graph.nodes.find((n) => n.id === id)!);
    const inputs = v.c.inputs.map((s) => tf.input({ shape: s.slice(1) as number[] }));
    const apply = () => {
      const shape = (layer.apply(inputs.length > 1 ? inputs : inputs[0]) as tf.SymbolicTensor).shape;
      made.push(layer); // only a layer that was applied can be disposed
      return shape;
    };
    if (v.tfjs instanceof RegExp) {
      expect(apply).toThrow(v.tfjs);
      // tfjs may build the weights before checking the input rank (Conv2D does), and then refuses
      // layer.dispose() ("not been used yet"): free them one by one.
      for (const w of layer.weights) w.dispose();
    } else expect(apply()).toEqual(v.tfjs);

    const a = analyze(graph);
    expect(a.valid).toBe(false);
    expect(a.nodes.get(id)!.diagnostics.map((d) => d.code)).toContain(v.code);
  });
});

it('covered every registered kind (fails if the loops above ran for none)', () => {
  expect(LAYER_DEFS.length).toBeGreaterThan(1);
  expect([...checkedKinds].sort()).toEqual(LAYER_DEFS.map((d) => d.kind).sort());
});
