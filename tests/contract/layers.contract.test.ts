/**
 * Contract: for every layer kind in the core registry, tfjs itself builds the layer (through the runtime's
 * `createLayer`, i.e. `tf.layers[def.tfjsFactory]({ ...tfjsArgs(node), name })` with the node's input shapes)
 * on symbolic inputs, and its output shape, parameter count and trainable / non-trainable split must equal
 * what the core's validator computes; the layer must also run on real tensors with that shape. Invalid cases
 * record what tfjs does (it throws, declares a shape, or fails when run) and check the core reports them.
 * The per-kind tables are in tests/contract/layers/*.cases.ts; every registered kind must have one.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, LAYER_DEFS, layerDef, type Graph, type Shape } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { createLayer, freeRecurrentDropoutMasks } from '../../src/runtime/buildModel';
import { ACTIVATION } from './layers/activation.cases';
import { CONV } from './layers/conv.cases';
import { CORE } from './layers/core.cases';
import { MERGE_NORM } from './layers/merge-norm.cases';
import { POOLING } from './layers/pooling.cases';
import { RECURRENT } from './layers/recurrent.cases';
import type { Case, KindTable } from './layers/types';

const TABLES: Readonly<Record<string, KindTable>> = { ...CORE, ...CONV, ...POOLING, ...MERGE_NORM, ...RECURRENT, ...ACTIVATION };
const KINDS = LAYER_DEFS.filter((d) => d.kind !== 'Input').map((d) => d.kind);

/** A graph of one Input per input shape feeding one layer of `kind`. */
function single(kind: string, c: Case): { graph: Graph; id: string } {
  let id = '';
  const graph = buildGraph('case', (b) => {
    const ins = c.inputs.map((s, i) => b.add('Input', { shape: s.slice(1) as number[] }, `in_${i}`));
    id = b.add(kind, c.params, 'layer', ins);
  });
  return { graph, id };
}

/** The layer node of a `single` graph and the tfjs layer the runtime makes for it (with the node's input shapes). */
function tfjsLayerFor(graph: Graph, id: string): () => tf.layers.Layer {
  const node = graph.nodes.find((n) => n.id === id)!;
  const shapes = analyze(graph).nodes.get(id)!.inputShapes as Shape[];
  return () => createLayer(tf, node, undefined, shapes);
}

/** Number of scalars in a list of weights. */
const size = (ws: readonly { shape: readonly (number | null)[] }[]) => ws.reduce((s, w) => s + w.shape.reduce<number>((p, d) => p * (d ?? 1), 1), 0);

/** Runs the layer on zeros (batch of 1) and returns the output shape; the tensors are freed. */
function runShape(layer: tf.layers.Layer, inputs: readonly Shape[]): number[] {
  try {
    return tf.tidy(() => {
      const xs = inputs.map((s) => tf.zeros([1, ...(s.slice(1) as number[])]));
      return (layer.apply(xs.length > 1 ? xs : xs[0]) as tf.Tensor).shape;
    });
  } finally {
    freeRecurrentDropoutMasks(tf, [layer]); // tfjs keeps RNN dropout masks past dispose()
  }
}

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

describe.each(KINDS.map((k) => [k]))('%s matches tfjs', (kind) => {
  const table = TABLES[kind] ?? { valid: [], invalid: [] };
  it('has a table of at least 3 valid cases and 1 invalid one', () => {
    expect(table.valid.length).toBeGreaterThanOrEqual(3);
    expect(table.invalid.length).toBeGreaterThanOrEqual(1);
  });

  it.each(table.valid.map((c) => [JSON.stringify(c.params), JSON.stringify(c.inputs), c] as const))('%s on %s', (_p, _i, c) => {
    const { graph, id } = single(kind, c);
    const a = analyze(graph);
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const core = a.nodes.get(id)!;

    const layer = tfjsLayerFor(graph, id)();
    const inputs = c.inputs.map((s) => tf.input({ shape: s.slice(1) as number[] }));
    const out = layer.apply(inputs.length > 1 ? inputs : inputs[0]) as tf.SymbolicTensor;
    made.push(layer);

    expect(out.shape).toEqual(core.outputShape);
    expect(layer.countParams()).toBe(core.weights!.trainable + core.weights!.nonTrainable);
    expect(size(layer.trainableWeights)).toBe(core.weights!.trainable);
    expect(size(layer.nonTrainableWeights)).toBe(core.weights!.nonTrainable);
    expect(layer.getClassName()).toBe(layerDef(kind)!.kerasClass);
    // The layer runs on real tensors and gives the shape it declared (some tfjs limits only show here).
    expect(runShape(layer, c.inputs)).toEqual([1, ...core.outputShape!.slice(1)]);
    checkedKinds.add(kind);
  });

  it.each(table.invalid.map((v) => [v.what, v] as const))('invalid: %s', (_w, v) => {
    const { graph, id } = single(kind, v.c);
    const inputs = v.c.inputs.map((s) => tf.input({ shape: s.slice(1) as number[] }));
    let layer: tf.layers.Layer | null = null;
    const apply = () => {
      layer = tfjsLayerFor(graph, id)();
      const shape = (layer.apply(inputs.length > 1 ? inputs : inputs[0]) as tf.SymbolicTensor).shape;
      made.push(layer); // only a layer that was applied can be disposed
      return shape;
    };
    if (v.tfjs instanceof RegExp) {
      expect(apply).toThrow(v.tfjs);
      // tfjs may build the weights before checking the input (Conv2D does), and then refuses
      // layer.dispose() ("not been used yet"): free them one by one.
      for (const w of (layer as tf.layers.Layer | null)?.weights ?? []) w.dispose();
    } else if (Array.isArray(v.tfjs)) expect(apply()).toEqual(v.tfjs);
    else if ('run' in v.tfjs) {
      apply();
      expect(() => runShape(layer!, v.c.inputs)).toThrow(v.tfjs.run);
    } else {
      expect(apply()).toEqual(v.tfjs.declared);
      expect(runShape(layer!, v.c.inputs)).toEqual(v.tfjs.ran);
    }

    const a = analyze(graph);
    expect(a.valid).toBe(false);
    expect(a.nodes.get(id)!.diagnostics.map((d) => d.code)).toContain(v.code);
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

it('every registered kind has a table, and no table names a kind the registry lacks', () => {
  expect(KINDS.filter((k) => !TABLES[k])).toEqual([]);
  expect(Object.keys(TABLES).filter((k) => !layerDef(k))).toEqual([]);
});

it('covered every registered kind (fails if the loops above ran for none)', () => {
  expect(LAYER_DEFS.length).toBeGreaterThan(1);
  expect([...checkedKinds].sort()).toEqual(LAYER_DEFS.map((d) => d.kind).sort());
});
