/**
 * Layerlab's attention layers (src/runtime/layers/multiHeadAttention.ts, attention.ts): weight layout and counts
 * against the core, what they compute (softmax over the key positions), their gradients by finite differences,
 * dropout only while training, and their tfjs JSON round trip. Their forward values are compared with Keras 3's
 * own classes in tests/keras/forward.oracle.test.ts (forward-cases/attention.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { AdditiveAttention, Attention } from '../../src/runtime/layers/attention';
import { MultiHeadAttention } from '../../src/runtime/layers/multiHeadAttention';
import { gradientError } from '../helpers/gradcheck';
import { cpuBackend, weightCount } from '../helpers/tfjs';

beforeAll(cpuBackend);

const rand = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, 'float32', seed);

describe('MultiHeadAttention', () => {
  it("has Keras's 263,168 parameters for num_heads=4, key_dim=64 on (None, 100, 256), in Keras's weight order", () => {
    const g = buildGraph('mha', (b) => {
      const x = b.add('Input', { shape: [100, 256] }, 'x');
      b.add('MultiHeadAttention', { num_heads: 4, key_dim: 64 }, 'mha', [x]);
    });
    const a = analyze(g);
    expect(a.valid).toBe(true);
    expect(a.totals.total).toBe(263_168);
    const layer = new MultiHeadAttention({ numHeads: 4, keyDim: 64, name: 'mha' });
    const q = tf.input({ shape: [100, 256] });
    const out = layer.apply([q, q]) as tf.SymbolicTensor;
    expect(out.shape).toEqual([null, 100, 256]);
    expect(weightCount(layer.weights)).toBe(263_168);
    expect(layer.weights.map((w) => [w.name.replace(/^mha\//, ''), w.shape])).toEqual([
      ['query/kernel', [256, 4, 64]],
      ['query/bias', [4, 64]],
      ['key/kernel', [256, 4, 64]],
      ['key/bias', [4, 64]],
      ['value/kernel', [256, 4, 64]],
      ['value/bias', [4, 64]],
      ['attention_output/kernel', [4, 64, 256]],
      ['attention_output/bias', [256]],
    ]);
  });

  it('counts like the core with a key, value_dim, output_shape and no biases', () => {
    const g = buildGraph('mha', (b) => {
      const q = b.add('Input', { shape: [4, 6] }, 'q');
      const v = b.add('Input', { shape: [3, 5] }, 'v');
      const k = b.add('Input', { shape: [3, 8] }, 'k');
      b.add('MultiHeadAttention', { num_heads: 3, key_dim: 2, value_dim: 5, output_shape: 7, use_bias: false }, 'mha', [q, v, k]);
    });
    const layer = new MultiHeadAttention({ numHeads: 3, keyDim: 2, valueDim: 5, outputShape: 7, useBias: false });
    const out = layer.apply([tf.input({ shape: [4, 6] }), tf.input({ shape: [3, 5] }), tf.input({ shape: [3, 8] })]) as tf.SymbolicTensor;
    expect(out.shape).toEqual([null, 4, 7]);
    expect(weightCount(layer.weights)).toBe(analyze(g).totals.total);
  });

  it('gives every query position a softmax-weighted average over the key positions: constant values pass through the value and output projections', () => {
    // With every value position equal, the softmax weights (summing to 1) do not matter: the output is the
    // projected value, whatever the query and key.
    const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 3 });
    const q = rand([2, 4, 5], 1);
    const row = rand([2, 1, 5], 2);
    const v = tf.tile(row, [1, 6, 1]);
    const y = layer.apply([q, v, rand([2, 6, 5], 3)]) as tf.Tensor;
    const ref = layer.apply([rand([2, 4, 5], 4), v, rand([2, 6, 5], 5)]) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(y, ref))).dataSync()[0]).toBeLessThan(1e-5);
    // … and it does depend on the query when the values differ.
    const w = rand([2, 6, 5], 6);
    const d = tf.max(tf.abs(tf.sub(layer.apply([q, w]) as tf.Tensor, layer.apply([rand([2, 4, 5], 7), w]) as tf.Tensor))).dataSync()[0];
    expect(d).toBeGreaterThan(1e-3);
  });

  it('has the gradient finite differences give, with respect to the query and the value', () => {
    const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 2, valueDim: 3, outputShape: 4 });
    const q0 = rand([2, 3, 4], 11);
    const v0 = rand([2, 5, 3], 12);
    const probe = rand([2, 3, 4], 13);
    layer.apply([q0, v0]);
    expect(gradientError((q) => tf.sum(tf.mul(layer.apply([q, v0]) as tf.Tensor, probe)), q0)).toBeLessThan(5e-3);
    expect(gradientError((v) => tf.sum(tf.mul(layer.apply([q0, v]) as tf.Tensor, probe)), v0)).toBeLessThan(5e-3);
  });

  it('drops attention weights only while training', () => {
    const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 4, dropout: 0.5, seed: 3 });
    const q = rand([2, 4, 6], 21);
    const plain = new MultiHeadAttention({ numHeads: 2, keyDim: 4 });
    const a = layer.apply([q, q], { training: false }) as tf.Tensor;
    plain.apply([q, q]);
    plain.setWeights(layer.getWeights());
    expect(tf.max(tf.abs(tf.sub(a, plain.apply([q, q]) as tf.Tensor))).dataSync()[0]).toBe(0);
    const t = layer.apply([q, q], { training: true }) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(a, t))).dataSync()[0]).toBeGreaterThan(1e-3);
  });

  it('refuses what Keras refuses, naming the argument', () => {
    expect(() => new MultiHeadAttention({ numHeads: 0, keyDim: 4 })).toThrow(/numHeads must be a whole number ≥ 1, got 0/);
    expect(() => new MultiHeadAttention({ numHeads: 2, keyDim: 4, dropout: 1 })).toThrow(/dropout must be ≥ 0 and < 1/);
    expect(() => new MultiHeadAttention({ numHeads: 2, keyDim: 4 }).apply(tf.input({ shape: [4] }))).toThrow(/rank ≥ 3/);
    expect(() =>
      new MultiHeadAttention({ numHeads: 2, keyDim: 4, attentionAxes: [2] }).apply([tf.input({ shape: [3, 4, 5] }), tf.input({ shape: [3, 4, 5] })]),
    ).toThrow(/attentionAxes \[2\] is not supported/);
  });

  it('round-trips through tfjs model JSON: same class, config and output', async () => {
    const q = tf.input({ shape: [3, 4], name: 'q' });
    const v = tf.input({ shape: [5, 6], name: 'v' });
    const y = new MultiHeadAttention({ numHeads: 2, keyDim: 3, valueDim: 2, outputShape: 5, name: 'mha' }).apply([q, v]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: [q, v], outputs: y });
    const json = model.toJSON(undefined, false) as unknown as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
    const l = json.config.layers.find((x) => x.class_name === 'MultiHeadAttention')!;
    expect(l.config).toMatchObject({ num_heads: 2, key_dim: 3, value_dim: 2, output_shape: 5, use_bias: true, dropout: 0 });
    const back = await tf.models.modelFromJSON(json as unknown as tf.io.ModelJSON);
    back.setWeights(model.getWeights());
    const xs = [rand([2, 3, 4], 31), rand([2, 5, 6], 32)];
    const d = tf.max(tf.abs(tf.sub(model.predict(xs) as tf.Tensor, back.predict(xs) as tf.Tensor))).dataSync()[0];
    expect(d).toBe(0);
  });
});

describe.each([
  ['Attention dot', () => new Attention({ useScale: true })],
  ['Attention concat', () => new Attention({ scoreMode: 'concat', useScale: true })],
  ['AdditiveAttention', () => new AdditiveAttention({})],
] as const)('%s', (_name, make) => {
  it('is a softmax-weighted average of the value rows over the key positions', () => {
    const layer = make();
    const q = rand([2, 3, 4], 41);
    const k = rand([2, 5, 4], 42);
    const row = rand([2, 1, 6], 43);
    const y = layer.apply([q, tf.tile(row, [1, 5, 1]), k]) as tf.Tensor;
    expect(y.shape).toEqual([2, 3, 6]);
    // Equal value rows: every query position gets that row back (the weights sum to 1).
    expect(tf.max(tf.abs(tf.sub(y, tf.tile(row, [1, 3, 1])))).dataSync()[0]).toBeLessThan(1e-5);
    // The output stays within the range of the value rows (a convex combination).
    const v = rand([2, 5, 6], 44);
    const out = layer.apply([q, v, k]) as tf.Tensor;
    expect(tf.max(out).dataSync()[0]).toBeLessThanOrEqual(tf.max(v).dataSync()[0] + 1e-6);
    expect(tf.min(out).dataSync()[0]).toBeGreaterThanOrEqual(tf.min(v).dataSync()[0] - 1e-6);
  });

  it('has the gradient finite differences give, with respect to the query and the value', () => {
    const layer = make();
    const q0 = rand([2, 3, 4], 51);
    const v0 = rand([2, 5, 4], 52);
    const probe = rand([2, 3, 4], 53);
    layer.apply([q0, v0]);
    expect(gradientError((q) => tf.sum(tf.mul(layer.apply([q, v0]) as tf.Tensor, probe)), q0)).toBeLessThan(5e-3);
    expect(gradientError((v) => tf.sum(tf.mul(layer.apply([q0, v]) as tf.Tensor, probe)), v0)).toBeLessThan(5e-3);
  });

  it('round-trips through tfjs model JSON: same class, config and output', async () => {
    const q = tf.input({ shape: [3, 4] });
    const v = tf.input({ shape: [5, 4] });
    const layer = make();
    const model = tf.model({ inputs: [q, v], outputs: layer.apply([q, v]) as tf.SymbolicTensor });
    const json = model.toJSON(undefined, false) as unknown as tf.io.ModelJSON;
    const back = await tf.models.modelFromJSON(json);
    expect(back.layers.map((l) => l.getClassName())).toEqual(model.layers.map((l) => l.getClassName()));
    back.setWeights(model.getWeights().map((w) => tf.add(w, 0.25)));
    model.setWeights(back.getWeights());
    const xs = [rand([2, 3, 4], 61), rand([2, 5, 4], 62)];
    expect(tf.max(tf.abs(tf.sub(model.predict(xs) as tf.Tensor, back.predict(xs) as tf.Tensor))).dataSync()[0]).toBe(0);
  });
});

describe('Attention and AdditiveAttention weights, as Keras builds them', () => {
  it.each([
    [{}, []],
    [{ useScale: true }, [[]]],
    [{ scoreMode: 'concat' as const }, [[]]],
    [{ scoreMode: 'concat' as const, useScale: true }, [[], []]],
  ])('Attention %j has weights of shapes %j', (args, shapes) => {
    const layer = new Attention(args);
    layer.apply([tf.input({ shape: [3, 4] }), tf.input({ shape: [5, 4] })]);
    expect(layer.weights.map((w) => w.shape)).toEqual(shapes);
  });
  it('AdditiveAttention has a scale of the query size when use_scale (the default), none without', () => {
    const on = new AdditiveAttention({});
    on.apply([tf.input({ shape: [3, 4] }), tf.input({ shape: [5, 4] })]);
    expect(on.weights.map((w) => w.shape)).toEqual([[4]]);
    const off = new AdditiveAttention({ useScale: false });
    off.apply([tf.input({ shape: [3, 4] }), tf.input({ shape: [5, 4] })]);
    expect(off.weights).toEqual([]);
  });
  it('refuses an unknown score mode and a query that does not match the key, naming both sizes', () => {
    expect(() => new Attention({ scoreMode: 'general' as 'dot' })).toThrow(/scoreMode must be 'dot' or 'concat', got "general"/);
    expect(() => new Attention({}).apply([tf.input({ shape: [3, 4] }), tf.input({ shape: [5, 6] })])).toThrow(
      /query's last axis \(4\) must equal the key's \(6\)/,
    );
  });
});
