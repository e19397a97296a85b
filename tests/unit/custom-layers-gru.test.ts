/**
 * GRU with reset_after=True (src/runtime/layers/gru.ts): Layerlab's class extends tfjs's GRU, gives it a cell with
 * Keras 3's reset-after equations and weight layout, and replaces tfjs's GRU in tfjs's serialization map. Checked
 * against the equations computed step by step in plain numbers from the layer's own weights (Keras 3
 * keras/src/layers/rnn/gru.py `GRUCell.call`, implementation 2), against tfjs's own GRU for reset_after=False, for
 * its gradient (finite differences), a JSON round trip (alone and wrapped in Bidirectional) and one training epoch
 * on cpu through the runtime. Keras 3's own values: tests/keras/forward-cases/gru-reset-after.ts; counts and
 * shapes against tfjs: tests/contract/layers/recurrent.cases.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { analyze, DEFAULT_TRAINING, usesCustomLayer, type Graph } from '../../src/core';
import { importKerasJson } from '../../src/core/serialize/kerasImport';
import { buildGraph } from '../../src/core/templates/build';
import { buildModel } from '../../src/runtime/buildModel';
import { gru, GRU } from '../../src/runtime/layers/gru';
import { trainModel } from '../../src/runtime/train';
import { gradientError } from '../helpers/gradcheck';
import { cpuBackend } from '../helpers/tfjs';

beforeAll(cpuBackend);

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * Keras 3's GRU with reset_after=True over one sample (steps × d), in plain numbers: kernel W (d × 3u), recurrent
 * kernel U (u × 3u), bias rows b_in, b_rec (3u each), gates [z, r, h]. Returns every step's state.
 */
function kerasGru(x: number[][], W: number[][], U: number[][], bias: number[][] | null, h0: number[], backwards = false): number[][] {
  const u = h0.length;
  const steps = backwards ? [...x].reverse() : x;
  let h = h0;
  const out: number[][] = [];
  for (const xt of steps) {
    const mx = Array.from({ length: 3 * u }, (_v, j) => xt.reduce((s, xi, i) => s + xi * W[i][j], 0) + (bias ? bias[0][j] : 0));
    const mh = Array.from({ length: 3 * u }, (_v, j) => h.reduce((s, hi, i) => s + hi * U[i][j], 0) + (bias ? bias[1][j] : 0));
    h = h.map((hk, k) => {
      const z = sigmoid(mx[k] + mh[k]);
      const r = sigmoid(mx[u + k] + mh[u + k]);
      const hh = Math.tanh(mx[2 * u + k] + r * mh[2 * u + k]);
      return z * hk + (1 - z) * hh;
    });
    out.push(h);
  }
  return out;
}

/** A reset_after GRU on (steps, d) with its weights drawn from a fixed seed (bias rows distinct, so a swap shows). */
function resetAfterLayer(units: number, steps: number, d: number, extra: Record<string, unknown> = {}) {
  const layer = gru({ units, resetAfter: true, recurrentActivation: 'sigmoid', returnSequences: true, ...extra });
  layer.apply(tf.zeros([1, steps, d]));
  layer.setWeights(layer.weights.map((w, i) => tf.randomUniform(w.shape as number[], -1, 1, 'float32', 31 + i)));
  return layer;
}

describe('GRU reset_after=True (Layerlab class)', () => {
  it("has Keras's weights: kernel (d, 3u), recurrent_kernel (u, 3u), bias (2, 3u); no bias without use_bias", () => {
    expect(resetAfterLayer(4, 3, 5).weights.map((w) => [w.name.split('/').pop(), w.shape])).toEqual([
      ['kernel', [5, 12]],
      ['recurrent_kernel', [4, 12]],
      ['bias', [2, 12]],
    ]);
    expect(resetAfterLayer(4, 3, 5, { useBias: false }).weights.map((w) => w.shape)).toEqual([
      [5, 12],
      [4, 12],
    ]);
  });

  it("equals Keras's reset-after equations step by step (every step, the final state, an initial state, backwards)", () => {
    for (const opts of [{}, { goBackwards: true }, { useBias: false }]) {
      const layer = resetAfterLayer(3, 4, 2, { returnState: true, ...opts });
      const [W, U, b] = layer.getWeights().map((t) => t.arraySync() as number[][]);
      const x = tf.randomUniform([2, 4, 2], -1, 1, 'float32', 7);
      const h0 = tf.randomUniform([2, 3], -1, 1, 'float32', 8);
      const [seq, state] = layer.apply([x, h0]) as tf.Tensor[];
      const xs = x.arraySync() as number[][][];
      const hs = h0.arraySync() as number[][];
      const want = xs.map((sample, i) => kerasGru(sample, W, U, 'useBias' in opts ? null : b, hs[i], 'goBackwards' in opts));
      const got = seq.arraySync() as number[][][];
      const gotState = state.arraySync() as number[][];
      const diff = Math.max(
        ...want.flatMap((steps, i) => steps.flatMap((row, t) => row.map((v, k) => Math.abs(v - got[i][t][k])))),
        ...want.flatMap((steps, i) => steps[steps.length - 1].map((v, k) => Math.abs(v - gotState[i][k]))),
      );
      expect(diff).toBeLessThan(1e-5);
    }
  });

  it('uses the recurrent bias row inside the reset gate product: swapping the two bias rows changes the output', () => {
    const layer = resetAfterLayer(3, 4, 2);
    const x = tf.randomUniform([1, 4, 2], -1, 1, 'float32', 9);
    const before = (layer.apply(x) as tf.Tensor).arraySync() as number[][][];
    const [W, U, b] = layer.getWeights();
    layer.setWeights([W, U, tf.reverse(b, 0)]);
    const after = (layer.apply(x) as tf.Tensor).arraySync() as number[][][];
    expect(Math.max(...before[0].flatMap((row, t) => row.map((v, k) => Math.abs(v - after[0][t][k]))))).toBeGreaterThan(1e-3);
  });

  it('has the gradient finite differences give (through the input, every gate and the state)', () => {
    const layer = resetAfterLayer(3, 4, 2);
    const err = gradientError((x) => tf.sum(tf.square(layer.apply(x) as tf.Tensor)) as tf.Scalar, tf.randomUniform([1, 4, 2], -1, 1, 'float32', 13));
    expect(err).toBeLessThan(2e-2);
  });

  it('a gradient step moves the kernel, the recurrent kernel and both bias rows', () => {
    const layer = resetAfterLayer(3, 4, 2);
    const x = tf.randomUniform([2, 4, 2], -1, 1, 'float32', 23);
    const before = layer.getWeights().map((t) => t.arraySync() as number[][]);
    tf.train.sgd(0.1).minimize(
      () => tf.sum(tf.square(layer.apply(x) as tf.Tensor)) as tf.Scalar,
      false,
      layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val),
    );
    const after = layer.getWeights().map((t) => t.arraySync() as number[][]);
    const moved = (i: number, row?: number) => {
      const pick = (m: number[][]) => (row === undefined ? m.flat() : m[row]);
      return Math.max(...pick(after[i]).map((v, k) => Math.abs(v - pick(before[i])[k])));
    };
    for (const [i, row] of [[0], [1], [2, 0], [2, 1]] as [number, number?][]) expect(moved(i, row)).toBeGreaterThan(1e-6);
  });

  it("runs reset_after=False exactly as tfjs's own GRU", () => {
    const ours = new GRU({ units: 3, returnSequences: true });
    const theirs = tf.layers.gru({ units: 3, returnSequences: true });
    const x = tf.randomUniform([2, 5, 2], -1, 1, 'float32', 19);
    ours.apply(x);
    theirs.apply(x);
    theirs.setWeights(ours.getWeights());
    expect(Array.from((ours.apply(x) as tf.Tensor).dataSync())).toEqual(Array.from((theirs.apply(x) as tf.Tensor).dataSync()));
  });

  it('goes through model JSON and back with the same outputs, alone and wrapped in Bidirectional', async () => {
    const input = tf.input({ shape: [5, 2] });
    const inner = gru({ units: 3, resetAfter: true, returnSequences: true });
    const bi = tf.layers.bidirectional({ layer: gru({ units: 2, resetAfter: true }) as never });
    const model = tf.model({ inputs: input, outputs: bi.apply(inner.apply(input)) as tf.SymbolicTensor });
    expect(model.getWeights().map((w) => w.shape)).toEqual([
      [2, 9],
      [3, 9],
      [2, 9],
      [3, 6],
      [2, 6],
      [2, 6],
      [3, 6],
      [2, 6],
      [2, 6],
    ]);
    const json = model.toJSON(undefined, false) as object;
    expect(JSON.stringify(json).match(/"reset_after":true/g)?.length).toBe(2);
    const back = await tf.models.modelFromJSON({ modelTopology: json } as never);
    back.setWeights(model.getWeights());
    const x = tf.randomUniform([2, 5, 2], -1, 1, 'float32', 17);
    expect(tf.max(tf.abs(tf.sub(back.predict(x) as tf.Tensor, model.predict(x) as tf.Tensor))).dataSync()[0]).toBe(0);
  });
});

describe('GRU reset_after=True in a Layerlab graph', () => {
  const graph = () =>
    buildGraph('gru_after', (b) => {
      const x = b.add('Input', { shape: [6, 3] }, 'x');
      const g = b.add('GRU', { units: 4, reset_after: true, dropout: 0.2, recurrent_dropout: 0.1, return_sequences: true }, 'gru', [x]);
      const bi = b.add('Bidirectional', { layer: 'GRU', units: 3, reset_after: true }, 'bi', [g]);
      b.add('Dense', { units: 2, activation: 'softmax' }, 'out', [bi]);
    });

  it("builds with the core's parameter count (Keras's: 3·(d·u + u·u + 2u) per GRU)", () => {
    const g = graph();
    expect(g.nodes.filter((n) => n.kind === 'GRU' || n.kind === 'Bidirectional').every((n) => usesCustomLayer(n) || n.kind === 'Bidirectional')).toBe(true);
    const model = buildModel(tf, g);
    try {
      const keras = 3 * (3 * 4 + 4 * 4 + 2 * 4) + 2 * 3 * (4 * 3 + 3 * 3 + 2 * 3) + (6 * 2 + 2);
      expect(model.countParams()).toBe(keras);
      expect(analyze(g).totals.total).toBe(keras);
    } finally {
      model.dispose();
    }
  });

  it('trains one epoch on cpu (dropout and recurrent dropout on) with a finite loss', async () => {
    const result = await trainModel(tf, graph(), { ...DEFAULT_TRAINING, epochs: 1, batchSize: 8, samples: 16 });
    expect(result.epochsRun).toBe(1);
    expect(result.nonFinite).toBeUndefined();
    expect(Number.isFinite(result.loss)).toBe(true);
  });
});

describe('a Keras 3 model file with reset_after=True GRUs', () => {
  const file = readFileSync(new URL('../fixtures/keras/keras3_gru_state.json', import.meta.url), 'utf8');
  const imported = (text: string): Graph => {
    const r = importKerasJson(text);
    if (!r.ok) throw new Error(r.reason);
    return r.graph;
  };

  it("imports (it was refused) with two bias rows per GRU: Keras's count, which tfjs agrees with", () => {
    expect(file.match(/"reset_after": false/g)?.length).toBe(2);
    const before = imported(file);
    const after = imported(file.replaceAll('"reset_after": false', '"reset_after": true'));
    const grus = after.nodes.filter((n) => n.kind === 'GRU');
    expect(grus.map((n) => n.params.reset_after)).toEqual([true, true]);
    // keras/src/layers/rnn/gru.py GRUCell.build: the bias grows from (3u,) to (2, 3u).
    const extra = grus.reduce((s, n) => s + 3 * (n.params.units as number), 0);
    expect(analyze(after).totals.total).toBe(analyze(before).totals.total + extra);
    const model = buildModel(tf, after);
    try {
      expect(model.countParams()).toBe(analyze(after).totals.total);
    } finally {
      model.dispose();
    }
  });
});
