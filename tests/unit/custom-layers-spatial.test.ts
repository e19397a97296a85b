/**
 * Layerlab's custom 1-D and 3-D spatial layers (src/runtime/layers/spatial.ts, conv1dTranspose.ts): what each
 * computes, against tfjs's own 2-D layers and ops where tfjs has an equivalent (a 1-D input is a 2-D image of
 * height 1; a transposed 1-D convolution is tf.conv2dTranspose on such an image) and against an index-by-index
 * reference for the 3-D reshaping kinds; Keras's argument forms and refusals; gradients by finite differences;
 * the tfjs JSON round trip. Equality with Keras's own classes is checked by the Keras forward oracle
 * (tests/keras/forward-cases/spatial.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Conv1DTranspose, conv1dTranspose } from '../../src/runtime/layers/conv1dTranspose';
import {
  Cropping1D,
  Cropping3D,
  GlobalAveragePooling3D,
  GlobalMaxPooling3D,
  UpSampling1D,
  UpSampling3D,
  ZeroPadding1D,
  ZeroPadding3D,
} from '../../src/runtime/layers/spatial';
import { analyze } from '../../src/core';
import { createLayer } from '../../src/runtime/buildModel';
import { SPATIAL } from '../contract/layers/spatial.cases';
import { gradientError } from '../helpers/gradcheck';
import { singleLayerGraph } from '../helpers/layerCases';
import { cpuBackend } from '../helpers/tfjs';

beforeAll(cpuBackend);

const rand = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, 'float32', seed);
const values = (t: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[]) => Array.from((t as tf.Tensor).dataSync());
/** Largest |a − b| over two tensors of the same shape (shapes compared first). */
function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const x = Array.from(a.dataSync());
  const y = Array.from(b.dataSync());
  return x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i])), 0);
}

describe('1-D reshaping kinds equal tfjs 2-D layers on an image of height 1', () => {
  const x = () => rand([2, 7, 3], 1);
  const as2d = (t: tf.Tensor) => tf.expandDims(t, 1);
  it('Cropping1D (2, 1) is Cropping2D ((0, 0), (2, 1))', () => {
    const ours = new Cropping1D({ cropping: [2, 1] }).apply(x()) as tf.Tensor;
    const theirs = tf.layers
      .cropping2D({
        cropping: [
          [0, 0],
          [2, 1],
        ],
      })
      .apply(as2d(x())) as tf.Tensor;
    expect(maxDiff(as2d(ours), theirs)).toBe(0);
    expect(ours.shape).toEqual([2, 4, 3]);
  });
  it('ZeroPadding1D (1, 3) is ZeroPadding2D ((0, 0), (1, 3))', () => {
    const ours = new ZeroPadding1D({ padding: [1, 3] }).apply(x()) as tf.Tensor;
    const theirs = tf.layers
      .zeroPadding2d({
        padding: [
          [0, 0],
          [1, 3],
        ],
      })
      .apply(as2d(x())) as tf.Tensor;
    expect(maxDiff(as2d(ours), theirs)).toBe(0);
    expect(ours.shape).toEqual([2, 11, 3]);
  });
  it('UpSampling1D 3 is UpSampling2D (1, 3), nearest', () => {
    const ours = new UpSampling1D({ size: 3 }).apply(x()) as tf.Tensor;
    const theirs = tf.layers.upSampling2d({ size: [1, 3] }).apply(as2d(x())) as tf.Tensor;
    expect(maxDiff(as2d(ours), theirs)).toBe(0);
    expect(ours.shape).toEqual([2, 21, 3]);
  });
});

describe('3-D kinds, value by value', () => {
  const shape = [2, 3, 4, 5, 2];
  const input = () => rand(shape, 2);
  /** Expected output: at each output index (b, i, j, k, c), the input at (b, f(i), g(j), h(k), c), or 0 where a map gives null. */
  function mapped(out: number[], maps: ((i: number) => number | null)[]): number[] {
    const x = input().arraySync() as number[][][][][];
    const res: number[] = [];
    for (let b = 0; b < out[0]; b++)
      for (let i = 0; i < out[1]; i++)
        for (let j = 0; j < out[2]; j++)
          for (let k = 0; k < out[3]; k++)
            for (let c = 0; c < out[4]; c++) {
              const [fi, gj, hk] = [maps[0](i), maps[1](j), maps[2](k)];
              res.push(fi === null || gj === null || hk === null ? 0 : x[b][fi][gj][hk][c]);
            }
    return res;
  }
  it('Cropping3D ((0, 1), (2, 1), (1, 3)) keeps the inner block', () => {
    const y = new Cropping3D({
      cropping: [
        [0, 1],
        [2, 1],
        [1, 3],
      ],
    }).apply(input()) as tf.Tensor;
    expect(y.shape).toEqual([2, 2, 1, 1, 2]);
    expect(values(y)).toEqual(mapped(y.shape, [(i) => i, (j) => j + 2, (k) => k + 1]));
  });
  it('ZeroPadding3D ((1, 0), (0, 2), (2, 1)) surrounds the input with zeros', () => {
    const y = new ZeroPadding3D({
      padding: [
        [1, 0],
        [0, 2],
        [2, 1],
      ],
    }).apply(input()) as tf.Tensor;
    expect(y.shape).toEqual([2, 4, 6, 8, 2]);
    const inside = (n: number, before: number) => (i: number) => (i - before >= 0 && i - before < n ? i - before : null);
    expect(values(y)).toEqual(mapped(y.shape, [inside(3, 1), inside(4, 0), inside(5, 2)]));
  });
  it('UpSampling3D (2, 1, 3) repeats each slice (nearest neighbour)', () => {
    const y = new UpSampling3D({ size: [2, 1, 3] }).apply(input()) as tf.Tensor;
    expect(y.shape).toEqual([2, 6, 4, 15, 2]);
    expect(values(y)).toEqual(mapped(y.shape, [(i) => Math.floor(i / 2), (j) => j, (k) => Math.floor(k / 3)]));
  });
  it('GlobalAveragePooling3D and GlobalMaxPooling3D reduce the volume per channel, keepdims as Keras', () => {
    // The whole volume as one image of height d·h: tfjs's 2-D global pooling gives the same numbers.
    const as2d = () => tf.reshape(input(), [2, 12, 5, 2]);
    const avg = new GlobalAveragePooling3D().apply(input()) as tf.Tensor;
    expect(maxDiff(avg, tf.layers.globalAveragePooling2d({}).apply(as2d()) as tf.Tensor)).toBeLessThan(1e-6);
    const max = new GlobalMaxPooling3D({ keepdims: true }).apply(input()) as tf.Tensor;
    expect(max.shape).toEqual([2, 1, 1, 1, 2]);
    expect(maxDiff(tf.reshape(max, [2, 2]), tf.layers.globalMaxPooling2d({}).apply(as2d()) as tf.Tensor)).toBe(0);
  });
});

describe("Keras's argument forms and refusals", () => {
  it('one integer, one per axis, or one pair per axis, as Keras reads cropping and padding', () => {
    expect(new Cropping3D({ cropping: 2 }).cropping).toEqual([
      [2, 2],
      [2, 2],
      [2, 2],
    ]);
    expect(new ZeroPadding3D({ padding: [1, 0, 2] }).padding).toEqual([
      [1, 1],
      [0, 0],
      [2, 2],
    ]);
    expect(new Cropping1D({ cropping: 3 }).cropping).toEqual([[3, 3]]);
    expect(new ZeroPadding1D().padding).toEqual([[1, 1]]);
    expect(new Cropping1D().cropping).toEqual([[1, 1]]);
    expect(new UpSampling3D({ size: 2 }).size).toEqual([2, 2, 2]);
  });
  it('refuses other forms, naming the layer, the argument and the value', () => {
    expect(() => new Cropping3D({ cropping: [1, 2] })).toThrow(
      /^Cropping3D: cropping must be an integer ≥ 0, 3 of them, or 3 pairs \(start, end\); got \[1,2\]$/,
    );
    expect(() => new ZeroPadding1D({ padding: -1 })).toThrow(/^ZeroPadding1D: padding must be an integer ≥ 0 or two of them \(start, end\); got -1$/);
    expect(() => new UpSampling1D({ size: 0 })).toThrow(/^UpSampling1D: size must be an integer ≥ 1; got 0$/);
    expect(() => new GlobalMaxPooling3D({ dataFormat: 'channelsFirst' as 'channelsLast' })).toThrow(/only data_format 'channels_last'/);
  });
  it('Conv1DTranspose refuses what Keras refuses', () => {
    expect(() => conv1dTranspose({ filters: 2, kernelSize: 3, strides: 2, outputPadding: 2 })).toThrow(
      'Conv1DTranspose: outputPadding must be < strides; got outputPadding 2 with strides 2',
    );
    expect(() => conv1dTranspose({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 })).toThrow(/strides > 1 cannot be combined with dilationRate > 1/);
    expect(() => conv1dTranspose({ filters: 0, kernelSize: 3 })).toThrow('Conv1DTranspose: filters must be an integer ≥ 1 (or a list of one); got 0');
    expect(() => conv1dTranspose({ filters: 2, kernelSize: 3, activation: 'nonsense' })).toThrow(/nonsense/);
  });
  it('Cropping1D refuses a crop that leaves nothing, with the sizes', () => {
    expect(() => new Cropping1D({ cropping: [2, 2] }).apply(tf.input({ shape: [4, 1] }))).toThrow(
      'Cropping1D: cropping 2+2 on axis 1 leaves nothing of its 4 entries',
    );
  });
});

describe('Conv1DTranspose', () => {
  /** The layer built on `x` with a seeded kernel (k, filters, c_in) and bias. */
  function built(args: Parameters<typeof conv1dTranspose>[0], x: tf.Tensor): { layer: Conv1DTranspose; kernel: tf.Tensor; bias: tf.Tensor } {
    const layer = conv1dTranspose(args);
    layer.apply(x);
    const kernel = rand([Number(args.kernelSize), args.filters, x.shape[2]!], 5);
    const bias = rand([args.filters], 6);
    layer.setWeights(args.useBias === false ? [kernel] : [kernel, bias]);
    return { layer, kernel, bias };
  }

  it("has Keras's weights: kernel (k, filters, c_in) then bias (filters)", () => {
    const layer = conv1dTranspose({ filters: 4, kernelSize: 3, name: 'dc' });
    layer.apply(tf.input({ shape: [5, 2] }));
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([
      ['dc/kernel', [3, 4, 2]],
      ['dc/bias', [4]],
    ]);
  });

  // tfjs's conv2dTranspose takes its filter as [h, w, out, in]: Keras's transposed layout with h = 1.
  it.each([
    [3, 2, 'valid'],
    [3, 2, 'same'],
    [4, 2, 'same'],
    [2, 3, 'valid'],
    [2, 3, 'same'],
    [5, 1, 'same'],
    [1, 1, 'valid'],
  ] as const)('kernel %i, strides %i, %s equals tf.conv2dTranspose on an image of height 1', (k, s, padding) => {
    const x = rand([2, 5, 3], 3);
    const { layer, kernel, bias } = built({ filters: 2, kernelSize: k, strides: s, padding }, x);
    const ours = layer.apply(x) as tf.Tensor;
    const n = padding === 'same' ? 5 * s : 4 * s + Math.max(k, s);
    const theirs = tf.add(tf.conv2dTranspose(tf.expandDims(x, 1) as tf.Tensor4D, tf.expandDims(kernel, 0) as tf.Tensor4D, [2, 1, n, 2], [1, s], padding), bias);
    expect(maxDiff(ours, tf.squeeze(theirs, [1]))).toBeLessThan(1e-5);
  });

  it('a dilated kernel is the same kernel with dilation_rate − 1 zero taps between its taps', () => {
    const x = rand([2, 4, 2], 4);
    for (const padding of ['valid', 'same'] as const) {
      const { layer, kernel, bias } = built({ filters: 3, kernelSize: 3, dilationRate: 2, padding }, x);
      const spread = tf.stack([kernel.slice(0, 1), tf.zerosLike(kernel.slice(0, 1)), kernel.slice(1, 1), tf.zerosLike(kernel.slice(0, 1)), kernel.slice(2, 1)]);
      const plain = conv1dTranspose({ filters: 3, kernelSize: 5, padding });
      plain.apply(x);
      plain.setWeights([tf.reshape(spread, [5, 3, 2]), bias]);
      expect(maxDiff(layer.apply(x) as tf.Tensor, plain.apply(x) as tf.Tensor)).toBeLessThan(1e-6);
    }
  });

  it("with padding 'valid', output_padding adds steps at the end that receive only the bias", () => {
    const x = rand([1, 4, 2], 8);
    const { layer: none, kernel, bias } = built({ filters: 2, kernelSize: 3, strides: 2 }, x);
    const padded = conv1dTranspose({ filters: 2, kernelSize: 3, strides: 2, outputPadding: 1 });
    padded.apply(x);
    padded.setWeights([kernel, bias]);
    const a = none.apply(x) as tf.Tensor;
    const b = padded.apply(x) as tf.Tensor;
    expect(b.shape).toEqual([1, a.shape[1]! + 1, 2]);
    expect(maxDiff(b.slice([0, 0, 0], a.shape), a)).toBe(0);
    // The extra step receives no input product: only the bias.
    expect(maxDiff(tf.squeeze(b.slice([0, a.shape[1]!, 0], [1, 1, 2])), bias)).toBeLessThan(1e-7);
  });

  it('has the gradient of its output with respect to its input and its kernel (finite differences)', () => {
    for (const args of [
      { filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' },
      { filters: 2, kernelSize: 2, strides: 3, outputPadding: 1 },
      { filters: 1, kernelSize: 3, dilationRate: 2, padding: 'same' },
    ] as const) {
      const x = rand([2, 3, 2], 9);
      const { layer, kernel, bias } = built(args, x);
      const f = (t: tf.Tensor) => tf.sum(tf.square(layer.apply(t) as tf.Tensor)) as tf.Scalar;
      expect(gradientError(f, x)).toBeLessThan(5e-3);
      // With respect to the kernel: the variable's gradient against central differences of set weights.
      const loss = () => tf.sum(tf.square(layer.apply(x) as tf.Tensor)) as tf.Scalar;
      const analytic = tf.variableGrads(loss, [layer.trainableWeights[0].read() as tf.Variable]).grads;
      const g = Object.values(analytic)[0].dataSync();
      const base = kernel.dataSync();
      let worst = 0;
      for (let i = 0; i < base.length; i++) {
        const at = (h: number) => {
          const v = Float32Array.from(base);
          v[i] += h;
          layer.setWeights([tf.tensor(v, kernel.shape), bias]);
          return loss().dataSync()[0];
        };
        const numeric = (at(1e-2) - at(-1e-2)) / 2e-2;
        worst = Math.max(worst, Math.abs(numeric - g[i]) / Math.max(1, Math.abs(g[i])));
      }
      expect(worst).toBeLessThan(5e-3);
    }
  });
});

it('the reshaping and pooling kinds pass gradients back to the values they copy (finite differences)', () => {
  // Distinct values 0.1 apart: no two tie for a maximum within the finite-difference step.
  const order = Array.from({ length: 2 * 2 * 3 * 2 * 2 }, (_x, i) => (i * 7) % 48);
  const x = tf.tensor(
    order.map((v) => v / 10 - 2.4),
    [2, 2, 3, 2, 2],
  );
  const layers = [
    new ZeroPadding3D({
      padding: [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
    }),
    new Cropping3D({
      cropping: [
        [0, 1],
        [1, 0],
        [0, 2],
      ],
    }),
    new UpSampling3D({ size: [1, 2, 2] }),
  ];
  const avg = new GlobalAveragePooling3D({ keepdims: true });
  const max = new GlobalMaxPooling3D();
  const seq = [new ZeroPadding1D({ padding: [2, 1] }), new Cropping1D({ cropping: [1, 3] }), new UpSampling1D({ size: 2 })];
  const f = (t: tf.Tensor) => {
    const v = layers.reduce((a, l) => l.apply(a) as tf.Tensor, t);
    const s = seq.reduce((a, l) => l.apply(a) as tf.Tensor, tf.reshape(t, [2, 12, 2]));
    const w = tf.range(1, v.size / 2 + 1).reshape(v.shape.slice(1));
    return tf.addN([
      tf.sum(tf.mul(v, w)),
      tf.sum(tf.square(avg.apply(v) as tf.Tensor)),
      tf.sum(tf.square(max.apply(t) as tf.Tensor)),
      tf.sum(tf.square(s)),
    ]) as tf.Scalar;
  };
  expect(gradientError(f, x)).toBeLessThan(5e-3);
});

it('every spatial kind round-trips through tfjs model JSON with its Keras class, its arguments and its outputs', async () => {
  const seq = tf.input({ shape: [6, 2] });
  const vol = tf.input({ shape: [2, 3, 4, 2] });
  let s = conv1dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', outputPadding: 1, activation: 'relu', name: 'dc' }).apply(
    seq,
  ) as tf.SymbolicTensor;
  s = new Cropping1D({ cropping: [1, 2], name: 'c1' }).apply(s) as tf.SymbolicTensor;
  s = new ZeroPadding1D({ padding: [0, 2], name: 'p1' }).apply(s) as tf.SymbolicTensor;
  s = new UpSampling1D({ size: 3, name: 'u1' }).apply(s) as tf.SymbolicTensor;
  let v = new ZeroPadding3D({
    padding: [
      [1, 0],
      [0, 1],
      [2, 2],
    ],
    name: 'p3',
  }).apply(vol) as tf.SymbolicTensor;
  v = new Cropping3D({
    cropping: [
      [0, 1],
      [1, 1],
      [0, 3],
    ],
    name: 'c3',
  }).apply(v) as tf.SymbolicTensor;
  v = new UpSampling3D({ size: [2, 1, 2], name: 'u3' }).apply(v) as tf.SymbolicTensor;
  const a = new GlobalAveragePooling3D({ keepdims: true, name: 'ga3' }).apply(v) as tf.SymbolicTensor;
  const m = new GlobalMaxPooling3D({ name: 'gm3' }).apply(v) as tf.SymbolicTensor;
  const model = tf.model({ inputs: [seq, vol], outputs: [s, a, m] });
  const json = model.toJSON(undefined, false) as unknown as { config: { layers: { class_name: string; name: string; config: Record<string, unknown> }[] } };
  const cfg = (name: string) => json.config.layers.find((l) => l.name === name)!;
  expect(cfg('dc')).toMatchObject({
    class_name: 'Conv1DTranspose',
    config: { filters: 3, kernel_size: [3], strides: [2], padding: 'same', output_padding: [1], dilation_rate: [1], activation: 'relu', use_bias: true },
  });
  expect(cfg('c3')).toMatchObject({
    class_name: 'Cropping3D',
    config: {
      cropping: [
        [0, 1],
        [1, 1],
        [0, 3],
      ],
      data_format: 'channels_last',
    },
  });
  expect(cfg('c1').config.cropping).toEqual([1, 2]);
  expect(cfg('u1').config.size).toBe(3);
  expect(cfg('ga3').config.keepdims).toBe(true);

  const back = await tf.models.modelFromJSON({ modelTopology: json as unknown as tf.io.ModelJSON['modelTopology'] });
  back.setWeights(model.getWeights());
  const xs = [rand([2, 6, 2], 11), rand([2, 2, 3, 4, 2], 12)];
  const y1 = model.predict(xs) as tf.Tensor[];
  const y2 = back.predict(xs) as tf.Tensor[];
  expect(back.layers.map((l) => l.getClassName())).toEqual(model.layers.map((l) => l.getClassName()));
  y1.forEach((y, i) => expect(maxDiff(y, y2[i])).toBe(0));
  model.dispose();
  back.dispose();
});

/**
 * Unknown sizes (Keras None): the unknown-sizes contract leaves custom kinds out (tfjs has no say on them), so here
 * the core and the custom class must agree on every case of tests/contract/layers/spatial.cases.ts with one size
 * unknown. Keras keeps a None spatial size None in all nine kinds (each `compute_output_shape` skips None; the
 * 3-D global pooling drops the axis); a None channel count Conv1DTranspose refuses, as Keras cannot build its kernel.
 */
describe('unknown sizes: the core and the custom classes agree', () => {
  const variants = Object.entries(SPATIAL).flatMap(([kind, table]) =>
    table.valid.flatMap((c) =>
      Array.from({ length: c.inputs[0].length - 1 }, (_x, i) => i + 1).map((axis) => {
        const shape = c.inputs[0].map((d, k) => (k === axis ? null : d));
        return [kind, JSON.stringify(c.params), JSON.stringify(shape), c.params, shape] as const;
      }),
    ),
  );
  it.each(variants)('%s %s on %s', (kind, _p, _s, params, shape) => {
    const { graph, id } = singleLayerGraph(kind, { params, inputs: [shape] });
    const core = analyze(graph).nodes.get(id)!;
    const node = graph.nodes.find((n) => n.id === id)!;
    const build = () => createLayer(tf, node, undefined, [shape]).apply(tf.input({ shape: shape.slice(1) })) as tf.SymbolicTensor;
    if (core.outputShape) expect(build().shape).toEqual(core.outputShape);
    else {
      expect(kind).toBe('Conv1DTranspose');
      expect(core.diagnostics.map((d) => d.code)).toEqual(['shape/unknown-dim']);
      expect(build).toThrow(/number of input channels/);
    }
  });
});
