/**
 * Layerlab's tfjs custom layers (src/runtime/layers/), the Keras layers tfjs 4.22 lacks: what each computes
 * in and out of training, its gradient (finite differences), and its serialization. Their shapes and counts are
 * compared with the core by the layer contract test and with Keras by the Keras oracle (tests/keras).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAYER_DEFS } from '../../src/core';
import { CUSTOM_LAYERS } from '../../src/runtime/layers';
import { SpatialDropout2D, SpatialDropout3D } from '../../src/runtime/layers/spatialDropout';
import { Normalization } from '../../src/runtime/layers/normalization';
import { customLayersModuleText } from '../../src/runtime/layers/moduleText';
import { gradientError } from '../helpers/gradcheck';
import { cpuBackend } from '../helpers/tfjs';

beforeAll(cpuBackend);

describe('every custom kind has its class, and only those', () => {
  it('core definitions marked customLayer or customWhen and the runtime factories are the same set', () => {
    const declared = LAYER_DEFS.filter((d) => d.customLayer || d.customWhen).map((d) => d.tfjsFactory);
    expect(declared.length).toBeGreaterThan(0);
    expect(new Set(declared)).toEqual(new Set(Object.keys(CUSTOM_LAYERS)));
  });
  it('each class carries the Keras class name of its definition and is registered for serialization', () => {
    for (const d of LAYER_DEFS.filter((x) => x.customLayer || x.customWhen)) {
      const layer = (CUSTOM_LAYERS[d.tfjsFactory!] as (a: object) => tf.layers.Layer)({ ...defaultArgs(d.kind), name: 'x' });
      expect(layer.getClassName()).toBe(d.kerasClass);
      expect(tf.serialization.SerializationMap.getMap().classNameMap[d.kerasClass]).toBeDefined();
    }
  });
  it('the shipped module names every custom class and imports only tfjs', () => {
    const text = customLayersModuleText();
    for (const d of LAYER_DEFS.filter((x) => x.customLayer || x.customWhen)) expect(text).toContain(`export const ${d.tfjsFactory} =`);
    expect(text.match(/^import .*$/gm)).toEqual(["import * as tf from '@tensorflow/tfjs';"]);
  });
});

/** Arguments that build a custom kind in its simplest form (a test-only table: each kind's tests set their own). */
function defaultArgs(kind: string): object {
  if (kind.startsWith('SpatialDropout')) return { rate: 0.5 };
  if (kind === 'MultiHeadAttention') return { numHeads: 2, keyDim: 4 };
  if (kind === 'Attention' || kind === 'AdditiveAttention') return {};
  if (kind === 'Conv1DTranspose') return { filters: 2, kernelSize: 3 };
  if (kind === 'Conv1D') return { filters: 2, kernelSize: 3, padding: 'causal' };
  if (kind === 'GRU') return { units: 2, resetAfter: true };
  if (/^(Cropping|ZeroPadding|UpSampling)[13]D$|^Global(Average|Max)Pooling3D$/.test(kind)) return {}; // Keras's defaults
  if (kind === 'Resizing' || kind === 'CenterCrop') return { height: 2, width: 2 };
  if (['GroupNormalization', 'UnitNormalization', 'Normalization', 'Identity', 'Subtract'].includes(kind)) return {}; // Keras's defaults
  throw new Error(`no default arguments for custom kind ${kind} in custom-layers.test.ts`);
}

describe.each([
  ['SpatialDropout2D', SpatialDropout2D, [3, 4, 5, 6]],
  ['SpatialDropout3D', SpatialDropout3D, [3, 2, 3, 4, 6]],
] as const)('%s (Keras spatial_dropout.py)', (_name, Cls, shape) => {
  const x = () => tf.randomUniform([...shape], 0.5, 1.5, 'float32', 7);

  it('is the identity outside training', () => {
    const layer = new Cls({ rate: 0.5 });
    const input = x();
    expect(Array.from((layer.apply(input, { training: false }) as tf.Tensor).dataSync())).toEqual(Array.from(input.dataSync()));
  });

  it('while training, drops whole feature maps per sample and channel and scales the rest by 1 / (1 − rate)', () => {
    const rate = 0.5;
    const layer = new Cls({ rate });
    const input = x();
    const y = (layer.apply(input, { training: true }) as tf.Tensor).arraySync() as unknown;
    const inputs = input.arraySync() as unknown;
    const c = shape[shape.length - 1];
    // Flatten to [sample][position][channel].
    const flat = (t: unknown, s: number): number[][] => {
      const values = (t as unknown[])[s] as unknown;
      const out: number[][] = [];
      const walk = (v: unknown) => (Array.isArray(v) && Array.isArray(v[0]) ? v.forEach(walk) : out.push(v as number[]));
      walk(values);
      return out;
    };
    let dropped = 0;
    for (let s = 0; s < shape[0]; s++) {
      const ys = flat(y, s);
      const xs = flat(inputs, s);
      for (let ch = 0; ch < c; ch++) {
        const kept = ys.map((row, i) => row[ch] / xs[i][ch]);
        const allZero = kept.every((k) => k === 0);
        if (allZero) dropped++;
        else for (const k of kept) expect(k).toBeCloseTo(1 / (1 - rate), 5);
      }
    }
    // 18 draws at rate 0.5: some dropped and some kept (the chance of neither is 2 · 2⁻¹⁸).
    expect(dropped).toBeGreaterThan(0);
    expect(dropped).toBeLessThan(shape[0] * c);
  });

  it('has the gradient of its output (finite differences, seeded draws)', () => {
    const layer = new Cls({ rate: 0.3, seed: 11 });
    const input = tf.randomUniform([2, ...shape.slice(1, -1).map(() => 2), 3], -1, 1, 'float32', 3);
    const f = (t: tf.Tensor) => tf.sum(tf.square(layer.apply(t, { training: true }) as tf.Tensor)) as tf.Scalar;
    expect(gradientError(f, input)).toBeLessThan(5e-3);
  });

  it('refuses a rate outside [0, 1) as Keras does', () => {
    expect(() => new Cls({ rate: 1 })).toThrow(/rate must be ≥ 0 and < 1/);
    expect(() => new Cls({ rate: -0.1 })).toThrow(/rate must be ≥ 0 and < 1/);
  });

  it('round-trips through tfjs model JSON with its class name and rate', async () => {
    const model = tf.sequential({ layers: [new Cls({ rate: 0.25, inputShape: shape.slice(1), name: 'sd' })] });
    const json = model.toJSON(undefined, false) as unknown as { config: { layers: { class_name: string; config: { rate: number } }[] } };
    const layerJson = json.config.layers.find((l) => l.class_name !== 'InputLayer')!;
    expect(layerJson.class_name).toBe(Cls.className);
    expect(layerJson.config.rate).toBe(0.25);
    const back = await tf.models.modelFromJSON({ modelTopology: json as unknown as tf.io.ModelJSON['modelTopology'] });
    expect(back.layers.map((l) => l.getClassName())).toContain(Cls.className);
    model.dispose();
    back.dispose();
  });
});

describe('Normalization (Keras preprocessing/normalization.py)', () => {
  /** A built layer on (batch, 2, 3) with mean and variance set per feature of `axis`. */
  const built = (axis: number, invert: boolean, mean: number[], variance: number[]) => {
    const layer = new Normalization({ axis, invert });
    layer.apply(tf.input({ shape: [2, 3] }));
    layer.setWeights([tf.tensor(mean), tf.tensor(variance), tf.scalar(5)]);
    return layer;
  };
  it("has Keras's weights in Keras's order: mean (d), variance (d), count (); fresh it is the identity", () => {
    const layer = new Normalization({});
    const x = tf.randomUniform([2, 2, 3], -1, 1, 'float32', 5);
    const y = layer.apply(x) as tf.Tensor;
    expect(layer.weights.map((w) => [w.name.split('/').pop(), w.shape, w.trainable])).toEqual([
      ['mean', [3], false],
      ['variance', [3], false],
      ['count', [], false],
    ]);
    expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
  });
  it('computes (x − mean) / max(√variance, 1e-7) per feature of the axis, and the inverse with invert', () => {
    const x = tf.tensor([
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ]);
    const y = built(-1, false, [1, 2, 3], [4, 1, 0]).apply(x) as tf.Tensor;
    // Feature 3 has variance 0: divided by 1e-7, as Keras does.
    const want = [0, 0, 0, 1.5, 3, 3e7].map((v) => Number(v.toPrecision(6)));
    expect(Array.from(y.dataSync()).map((v) => Number(v.toPrecision(6)))).toEqual(want);
    const back = built(-1, true, [1, 2, 3], [4, 1, 1]).apply(
      tf.tensor([
        [
          [0, 0, 0],
          [1.5, 3, 3],
        ],
      ]),
    ) as tf.Tensor;
    expect(Array.from(back.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    // Axis 1: one mean and variance per row.
    const rows = built(1, false, [1, 4], [1, 4]).apply(x) as tf.Tensor;
    expect(Array.from(rows.dataSync())).toEqual([0, 1, 2, 0, 0.5, 1]);
  });
  it('has the gradient of its output (finite differences)', () => {
    const layer = built(-1, false, [0.5, -0.2, 0.1], [2, 0.5, 1.5]);
    const f = (t: tf.Tensor) => tf.sum(tf.square(layer.apply(t) as tf.Tensor)) as tf.Scalar;
    expect(gradientError(f, tf.randomUniform([1, 2, 3], -1, 1, 'float32', 9))).toBeLessThan(5e-3);
  });
});
