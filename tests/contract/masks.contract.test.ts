/**
 * Contract: Keras masks (from Masking and Embedding(mask_zero=True)) as tfjs 4.22 propagates them,
 * including the stale mask its executor hands to every later layer (src/core/validate/masks.ts). For
 * each graph the core accepts it exactly when tfjs builds the model and predicts a batch of 2 (a batch of
 * 1 would hide broadcasting failures), and a refusal is the 'shape/mask' diagnostic on the right layer.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type Graph } from '../../src/core';
import { buildGraph, type GraphBuilder } from '../../src/core/templates/build';
import { buildModel } from '../../src/runtime/buildModel';
import { cpuBackend } from '../helpers/tfjs';

/** A graph from Input(shape) 'x'; `body` adds layers and returns nothing. The layer named 'bad' is where tfjs fails, if anywhere. */
const g = (shape: number[], body: (b: GraphBuilder, x: string) => void): Graph => buildGraph('mask', (b) => body(b, b.add('Input', { shape }, 'x')));
const mask = (b: GraphBuilder, x: string, name = 'm') => b.add('Masking', {}, name, [x]);

const CASES: readonly { what: string; graph: Graph; ok: boolean }[] = [
  { what: 'Masking → LSTM', ok: true, graph: g([3, 2], (b, x) => void b.add('LSTM', { units: 2 }, 'out', [mask(b, x)])) },
  {
    what: 'Embedding(mask_zero) → LSTM',
    ok: true,
    graph: g([3], (b, x) => void b.add('LSTM', { units: 2 }, 'out', [b.add('Embedding', { input_dim: 3, output_dim: 2, mask_zero: true }, 'e', [x])])),
  },
  {
    what: 'Masking → Dense → Bidirectional',
    ok: true,
    graph: g([3, 2], (b, x) => void b.add('Bidirectional', { units: 2 }, 'out', [b.add('Dense', { units: 2 }, 'd', [mask(b, x)])])),
  },
  { what: 'Masking → Softmax', ok: false, graph: g([3, 2], (b, x) => void b.add('Softmax', {}, 'bad', [mask(b, x)])) },
  {
    what: 'Masking → GRU(return_sequences) → Softmax',
    ok: false,
    graph: g([3, 2], (b, x) => void b.add('Softmax', {}, 'bad', [b.add('GRU', { units: 2, return_sequences: true }, 'r', [mask(b, x)])])),
  },
  // tfjs's executor keeps handing the last mask it saw to every later layer: Softmax gets it though the GRU
  // or the Flatten dropped it.
  {
    what: 'Masking → GRU (last step only) → Softmax: the stale mask',
    ok: false,
    graph: g([3, 2], (b, x) => void b.add('Softmax', {}, 'bad', [b.add('GRU', { units: 2 }, 'r', [mask(b, x)])])),
  },
  {
    what: 'Masking → Flatten → Softmax: the stale mask',
    ok: false,
    graph: g([3, 2], (b, x) => void b.add('Softmax', {}, 'bad', [b.add('Flatten', {}, 'f', [mask(b, x)])])),
  },
  {
    what: 'Masking of a vector → Dense(1) → Softmax (broadcasts)',
    ok: true,
    graph: g([3], (b, x) => void b.add('Softmax', {}, 'out', [b.add('Dense', { units: 1 }, 'd', [mask(b, x)])])),
  },
  {
    what: 'a masked branch run before an unmasked Softmax branch: the stale mask',
    ok: false,
    graph: g([3, 2], (b, x) => {
      b.add('LSTM', { units: 2 }, 'r', [mask(b, x)]);
      b.add('Softmax', {}, 'bad', [b.add('Dense', { units: 4 }, 'd', [b.add('Input', { shape: [5] }, 'x2')])]);
    }),
  },
  {
    what: 'an unmasked Softmax branch run before the masked branch',
    ok: true,
    graph: g([5], (b, x) => {
      b.add('Softmax', {}, 'out', [b.add('Dense', { units: 4 }, 'd', [x])]);
      b.add('LSTM', { units: 2 }, 'r', [mask(b, b.add('Input', { shape: [3, 2] }, 'x2'))]);
    }),
  },
  { what: 'Add of 2, first masked', ok: true, graph: g([3, 2], (b, x) => void b.add('Add', {}, 'out', [mask(b, x), x])) },
  { what: 'Add of 2, second masked', ok: true, graph: g([3, 2], (b, x) => void b.add('Add', {}, 'out', [x, mask(b, x)])) },
  { what: 'Add of 3: masked, masked, plain', ok: true, graph: g([3, 2], (b, x) => void b.add('Add', {}, 'out', [mask(b, x), mask(b, x, 'm2'), x])) },
  { what: 'Add of 3: plain, masked, masked', ok: false, graph: g([3, 2], (b, x) => void b.add('Add', {}, 'bad', [x, mask(b, x), mask(b, x, 'm2')])) },
  { what: 'Average of 3: masked, plain, masked', ok: false, graph: g([3, 2], (b, x) => void b.add('Average', {}, 'bad', [mask(b, x), x, mask(b, x, 'm2')])) },
  {
    what: 'Add of 2 masked → LSTM (the merged mask gains an axis)',
    ok: false,
    graph: g([3, 2], (b, x) => void b.add('LSTM', { units: 2 }, 'bad', [b.add('Add', {}, 'a', [mask(b, x), mask(b, x, 'm2')])])),
  },
  {
    what: 'Multiply of masked and plain → LSTM',
    ok: false,
    graph: g([3, 2], (b, x) => void b.add('LSTM', { units: 2 }, 'bad', [b.add('Multiply', {}, 'a', [mask(b, x), x])])),
  },
  {
    what: 'Maximum of plain and masked → LSTM (no mask kept)',
    ok: true,
    graph: g([3, 2], (b, x) => void b.add('LSTM', { units: 2 }, 'out', [b.add('Maximum', {}, 'a', [x, mask(b, x)])])),
  },
  {
    what: 'Concatenate on the last axis, one input masked → LSTM',
    ok: true,
    graph: g([3, 2], (b, x) => void b.add('LSTM', { units: 2 }, 'out', [b.add('Concatenate', { axis: -1 }, 'c', [mask(b, x), x])])),
  },
  { what: 'Concatenate on axis 1, one input masked', ok: false, graph: g([3, 2], (b, x) => void b.add('Concatenate', { axis: 1 }, 'bad', [mask(b, x), x])) },
  {
    what: 'Dot of two masked inputs → Softmax: the stale mask',
    ok: false,
    graph: g([3, 2], (b, x) => void b.add('Softmax', {}, 'bad', [b.add('Dot', { axes: [2, 2] }, 'd', [mask(b, x), mask(b, x, 'm2')])])),
  },
  {
    what: 'Dot of two masked inputs → LSTM (a stale mask with enough steps)',
    ok: true,
    graph: g([3, 2], (b, x) => void b.add('LSTM', { units: 2 }, 'out', [b.add('Dot', { axes: [2, 2] }, 'd', [mask(b, x), mask(b, x, 'm2')])])),
  },
  {
    what: 'a stale mask with too few steps reaching an LSTM',
    ok: false,
    graph: g([3, 2], (b, x) => void b.add('LSTM', { units: 2 }, 'bad', [b.add('RepeatVector', { n: 4 }, 'rep', [b.add('Flatten', {}, 'f', [mask(b, x)])])])),
  },
  {
    what: 'Embedding(mask_zero) → TimeDistributed(Dense) → GlobalAveragePooling1D',
    ok: true,
    graph: g(
      [3],
      (b, x) =>
        void b.add('GlobalAveragePooling1D', {}, 'out', [
          b.add('TimeDistributed', { units: 2 }, 't', [b.add('Embedding', { input_dim: 3, output_dim: 2, mask_zero: true }, 'e', [x])]),
        ]),
    ),
  },
];

beforeAll(cpuBackend);

describe.each(CASES.map((c) => [c.what, c] as const))('%s', (_w, c) => {
  it(c.ok ? 'the core accepts it and tfjs runs it' : "the core reports 'shape/mask' and tfjs fails to run it", () => {
    const a = analyze(c.graph);
    let error: string | null = null;
    const model = buildModel(tf, c.graph, { ...a, diagnostics: [], valid: true });
    try {
      tf.tidy(() => {
        const xs = model.inputs.map((i) => tf.ones([2, ...(i.shape.slice(1) as number[])]));
        const ys = model.predict(xs.length === 1 ? xs[0] : xs);
        (Array.isArray(ys) ? ys : [ys]).forEach((y) => y.dataSync());
      });
    } catch (e) {
      error = (e as Error).message;
    } finally {
      model.dispose();
    }
    expect({ core: a.valid, tfjs: error === null }).toEqual({ core: c.ok, tfjs: c.ok });
    if (!c.ok) {
      const bad = c.graph.nodes.find((n) => n.name === 'bad')!;
      expect(a.nodes.get(bad.id)!.diagnostics.map((d) => d.code)).toEqual(['shape/mask']);
    }
  });
});
