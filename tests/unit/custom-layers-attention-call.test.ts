/**
 * MultiHeadAttention's Keras call arguments in Layerlab's custom class (src/runtime/layers/multiHeadAttention.ts):
 * use_causal_mask (Keras `_compute_causal_mask` and the masked softmax) and return_attention_scores (a second
 * output, the weights after the softmax and before dropout). Their forward values are compared with Keras's by the
 * Keras oracle (tests/keras/forward.oracle.test.ts); here: what they mean, their gradient and their JSON.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MultiHeadAttention } from '../../src/runtime/layers/multiHeadAttention';
import { gradientError } from '../helpers/gradcheck';
import { cpuBackend } from '../helpers/tfjs';

beforeAll(cpuBackend);

/** A built self-attention layer on (batch, 5, 6) with random weights of a fixed seed (biases too, so none is zero). */
function built(args: Partial<ConstructorParameters<typeof MultiHeadAttention>[0]> = {}): MultiHeadAttention {
  const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 3, ...args });
  layer.apply(tf.input({ shape: [5, 6] }));
  layer.setWeights(layer.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.7, 'float32', 100 + i)));
  return layer;
}

const run = (layer: MultiHeadAttention, x: tf.Tensor, training = false): tf.Tensor[] => {
  const y = layer.apply(x, { training });
  return Array.isArray(y) ? (y as tf.Tensor[]) : [y as tf.Tensor];
};

/** The values of x (batch, T, d) at positions < t (every sample, every feature). */
const upTo = (x: tf.Tensor, t: number): number[] => Array.from(tf.slice(x, [0, 0, 0], [x.shape[0], t, x.shape[2]!]).dataSync());

describe('use_causal_mask', () => {
  const x = tf.randomNormal([2, 5, 6], 0, 1, 'float32', 1);
  // The same sequences with every position from 3 on replaced.
  const later = tf.concat([tf.slice(x, [0, 0, 0], [2, 3, 6]), tf.randomNormal([2, 2, 6], 0, 1, 'float32', 2)], 1);

  it('the output at position t does not depend on later positions (and does without the mask)', () => {
    const causal = built({ useCausalMask: true });
    const [a] = run(causal, x);
    const [b] = run(causal, later);
    const close = (p: number[], q: number[]) => p.every((v, i) => Math.abs(v - q[i]) <= 1e-6 * Math.max(1, Math.abs(v)));
    expect(close(upTo(a, 3), upTo(b, 3))).toBe(true);
    // Positions 3 and 4 changed, so their outputs do.
    expect(close(Array.from(a.dataSync()), Array.from(b.dataSync()))).toBe(false);
    // Without the mask every position attends to every other: the early outputs change too.
    const plain = built({ useCausalMask: false });
    expect(close(upTo(run(plain, x)[0], 3), upTo(run(plain, later)[0], 3))).toBe(false);
  });

  it("its attention weights are Keras's lower-triangular mask applied to a softmax: zero above the diagonal, rows summing to 1", () => {
    const [, scores] = run(built({ useCausalMask: true, returnAttentionScores: true }), x);
    expect(scores.shape).toEqual([2, 2, 5, 5]);
    const w = scores.arraySync() as number[][][][];
    for (const sample of w)
      for (const head of sample)
        head.forEach((row, i) => {
          row.forEach((v, j) => (j > i ? expect(v).toBe(0) : expect(v).toBeGreaterThan(0)));
          expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
        });
    // The first query position attends to the first key position only.
    expect(w[0][0][0][0]).toBeCloseTo(1, 6);
  });

  it('the mask is (1, T, S) with ones where key position ≤ query position', () => {
    expect(MultiHeadAttention.causalMask(3, 3).arraySync()).toEqual([
      [
        [1, 0, 0],
        [1, 1, 0],
        [1, 1, 1],
      ],
    ]);
  });

  it('has the gradient of its output with the mask (finite differences), with respect to the input and to the query kernel', () => {
    const layer = built({ useCausalMask: true });
    const small = tf.randomNormal([1, 4, 6], 0, 0.5, 'float32', 9);
    const f = (t: tf.Tensor) => tf.sum(tf.square(run(layer, t)[0])) as tf.Scalar;
    expect(gradientError(f, small)).toBeLessThan(5e-3);
    // Through the weights: the query kernel's gradient (tfjs's, of the layer's variable) against central differences.
    const variable = layer.trainableWeights[0].read() as tf.Variable;
    const loss = () => tf.sum(tf.square(run(layer, small)[0])) as tf.Scalar;
    const analytic = Object.values(tf.variableGrads(loss, [variable]).grads)[0].dataSync();
    const base = Float32Array.from(variable.dataSync());
    const h = 1e-2;
    let worst = 0;
    for (let i = 0; i < base.length; i += 3) {
      const at = (d: number) => {
        const v = Float32Array.from(base);
        v[i] += d;
        variable.assign(tf.tensor(v, variable.shape));
        return loss().dataSync()[0];
      };
      const numeric = (at(h) - at(-h)) / (2 * h);
      worst = Math.max(worst, Math.abs(numeric - analytic[i]) / Math.max(1, Math.abs(analytic[i])));
    }
    variable.assign(tf.tensor(base, variable.shape));
    expect(worst).toBeLessThan(5e-3);
  });

  it('refuses inputs with several position axes, naming the setting and the shape', () => {
    const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 3, useCausalMask: true });
    expect(() => layer.apply(tf.input({ shape: [3, 4, 5] }))).toThrow(/useCausalMask needs one position axis.*\[null,3,4,5\]/);
    expect(() => new MultiHeadAttention({ numHeads: 2, keyDim: 3, useCausalMask: 'yes' as unknown as boolean })).toThrow(
      /useCausalMask must be true or false, got "yes"/,
    );
  });
});

describe('return_attention_scores', () => {
  const q = tf.randomNormal([2, 3, 6], 0, 1, 'float32', 3);
  const v = tf.randomNormal([2, 4, 5], 0, 1, 'float32', 4);

  it('returns [output, scores (batch, num_heads, T, S)]; the output is the one without scores, the scores softmax rows', () => {
    const layer = new MultiHeadAttention({ numHeads: 3, keyDim: 2, returnAttentionScores: true });
    const y = layer.apply([q, v]) as tf.Tensor[];
    expect(y.map((t) => t.shape)).toEqual([
      [2, 3, 6],
      [2, 3, 3, 4],
    ]);
    const plain = new MultiHeadAttention({ numHeads: 3, keyDim: 2 });
    plain.apply([q, v]);
    plain.setWeights(layer.getWeights());
    expect(Array.from((plain.apply([q, v]) as tf.Tensor).dataSync())).toEqual(Array.from(y[0].dataSync()));
    const sums = tf.sum(y[1], -1).dataSync();
    for (const s of sums) expect(s).toBeCloseTo(1, 5);
  });

  it('symbolically: two tensors with the shapes computeOutputShape gives, positions of several axes kept apart', () => {
    const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 2, returnAttentionScores: true });
    const y = layer.apply([tf.input({ shape: [2, 3, 4] }), tf.input({ shape: [5, 1, 4] })]) as tf.SymbolicTensor[];
    expect(y.map((t) => t.shape)).toEqual([
      [null, 2, 3, 4],
      [null, 2, 2, 3, 5, 1],
    ]);
    expect(
      layer.computeOutputShape([
        [null, 2, 3, 4],
        [null, 5, 1, 4],
      ]),
    ).toEqual(y.map((t) => t.shape));
    // The eager values have the same shapes.
    const eager = layer.apply([tf.ones([1, 2, 3, 4]), tf.ones([1, 5, 1, 4])]) as tf.Tensor[];
    expect(eager.map((t) => t.shape)).toEqual([
      [1, 2, 3, 4],
      [1, 2, 2, 3, 5, 1],
    ]);
  });

  it('returns the weights before dropout while training (Keras: dropout acts on the weights the output uses only)', () => {
    const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 2, dropout: 0.5, seed: 5, returnAttentionScores: true });
    const [out, scores] = layer.apply([q, v], { training: true }) as tf.Tensor[];
    // Dropped and rescaled weights would not sum to 1 per row, nor contain no zero.
    for (const s of tf.sum(scores, -1).dataSync()) expect(s).toBeCloseTo(1, 5);
    expect(tf.min(scores).dataSync()[0]).toBeGreaterThan(0);
    // The output did go through dropout: it differs from the output outside training.
    const [still] = layer.apply([q, v], { training: false }) as tf.Tensor[];
    expect(Array.from(out.dataSync())).not.toEqual(Array.from(still.dataSync()));
  });
});

describe('JSON', () => {
  it('round-trips through tfjs model JSON with useCausalMask and returnAttentionScores, computing the same values', async () => {
    const x = tf.input({ shape: [4, 6], name: 'x' });
    const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 3, useCausalMask: true, returnAttentionScores: true, name: 'mha' });
    const outs = layer.apply(x) as tf.SymbolicTensor[];
    const model = tf.model({ inputs: x, outputs: outs });
    const json = model.toJSON(undefined, false) as unknown as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
    const entry = json.config.layers.find((l) => l.class_name === 'MultiHeadAttention')!;
    expect([entry.config.use_causal_mask, entry.config.return_attention_scores]).toEqual([true, true]);
    const back = await tf.models.modelFromJSON({ modelTopology: json as unknown as tf.io.ModelJSON['modelTopology'] });
    back.setWeights(model.getWeights());
    const input = tf.randomNormal([2, 4, 6], 0, 1, 'float32', 8);
    const a = model.predict(input) as tf.Tensor[];
    const b = back.predict(input) as tf.Tensor[];
    expect(b.length).toBe(2);
    expect(b.map((t) => Array.from(t.dataSync()))).toEqual(a.map((t) => Array.from(t.dataSync())));
    // A layer with neither writes neither (its config is what it was before they existed).
    const plain = new MultiHeadAttention({ numHeads: 2, keyDim: 3 }).getConfig();
    expect(['useCausalMask', 'returnAttentionScores'].filter((k) => k in plain)).toEqual([]);
    model.dispose();
    back.dispose();
  });
});
