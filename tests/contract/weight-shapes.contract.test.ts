/**
 * Contract: every kind's weight tensors as the core declares them (`LayerDef.weightShapes`, from which the
 * parameter count and its explanation are derived) equal those of the layer tfjs builds for the same case
 * (through the runtime's `createLayer`, as layers.contract.test.ts does): same order, names (without the
 * `<layer name>/` prefix), shapes and trainable flags. Where tfjs 4.22 names a tensor differently from Keras 3,
 * the core follows Keras 3 and RENAMES below says how and why. A kind without `weightShapes` must build no weights.
 * Cheap (symbolic builds only): it runs in `npm test` and in `npm run test:contract` alike.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, layerDef, type Shape } from '../../src/core';
import { createLayer } from '../../src/runtime/buildModel';
import { LAYER_KINDS, LAYER_TABLES, singleLayerGraph } from '../helpers/layerCases';
import { cpuBackend } from '../helpers/tfjs';

/**
 * Where tfjs 4.22's weight names differ from Keras 3's (the core follows Keras 3): a rewrite of tfjs's name
 * (after the layer prefix) into Keras's, with the reason.
 */
const RENAMES: readonly { kind: string; tfjs: RegExp; keras: string; reason: string }[] = [
  {
    kind: 'DepthwiseConv2D',
    tfjs: /^depthwise_kernel$/,
    keras: 'kernel',
    reason: "Keras 3 names it `kernel` (keras/src/layers/convolutional/base_depthwise_conv.py build); tfjs 4.22 keeps Keras 2's `depthwise_kernel`",
  },
  {
    kind: 'Bidirectional',
    tfjs: /^(forward|backward)_([a-z_]+?)_[A-Za-z]+\d+\//,
    keras: '$1_$2/',
    reason:
      "tfjs names each copy after its own auto-name for the wrapped layer, which carries a unique suffix (`forward_lstm_LSTM1/kernel`); Keras 3 after the wrapped layer's name (`forward_lstm/kernel`, keras/src/layers/rnn/bidirectional.py __init__), which the generated Python leaves at its default",
  },
];

/** tfjs's name of a weight in Keras 3's terms: the layer prefix dropped, RENAMES applied. */
function kerasName(kind: string, layerName: string, name: string): string {
  let n = name.startsWith(`${layerName}/`) ? name.slice(layerName.length + 1) : name;
  for (const r of RENAMES) if (r.kind === kind) n = n.replace(r.tfjs, r.keras);
  return n;
}

const made: tf.layers.Layer[] = [];
const renamed = new Set<string>();
beforeAll(cpuBackend);
afterAll(() => {
  for (const l of made) l.dispose();
});

describe.each(LAYER_KINDS.map((k) => [k]))('%s: weight tensors equal tfjs’s', (kind) => {
  it.each(LAYER_TABLES[kind].valid.map((c) => [JSON.stringify(c.params), JSON.stringify(c.inputs), c] as const))('%s on %s', (_p, _i, c) => {
    const { graph, id } = singleLayerGraph(kind, c);
    const node = graph.nodes.find((n) => n.id === id)!;
    const shapes = analyze(graph).nodes.get(id)!.inputShapes as Shape[];
    const layer = createLayer(tf, node, undefined, shapes);
    const inputs = c.inputs.map((s) => tf.input({ shape: s.slice(1) as number[] }));
    layer.apply(inputs.length > 1 ? inputs : inputs[0]);
    made.push(layer);
    const tfjs = layer.weights.map((w) => ({ name: kerasName(kind, layer.name, w.originalName), shape: w.shape, trainable: w.trainable }));
    for (const w of layer.weights) if (kerasName(kind, layer.name, w.originalName) !== w.originalName.slice(layer.name.length + 1)) renamed.add(kind);
    const def = layerDef(kind)!;
    if (!def.weightShapes) {
      expect(tfjs, `${kind} builds weights in tfjs but declares no weightShapes`).toEqual([]);
      return;
    }
    const core = def.weightShapes(shapes, node.params).map((w) => ({ name: w.name, shape: [...w.shape], trainable: w.trainable }));
    expect(core).toEqual(tfjs);
  });
});

it('every rename is used by some case (a stale entry fails)', () => {
  expect([...renamed].sort()).toEqual([...new Set(RENAMES.map((r) => r.kind))].sort());
});
