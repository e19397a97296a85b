/**
 * Layerlab's custom layers GroupNormalization, UnitNormalization, Resizing, CenterCrop, Identity and Subtract
 * (src/runtime/layers/): what each computes, against a reference written independently here (plain loops, or
 * tfjs's own image kernels with half-pixel centers), their gradients by finite differences, their tfjs JSON round
 * trip, and that replacing tfjs's Resizing and CenterCrop in the serialization map leaves tfjs's own layers working.
 * Shapes and counts: the layer contract (norm-preprocessing.cases.ts); values against Keras 3: the forward oracle
 * (tests/keras/forward-cases/norm-preprocessing.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { GroupNormalization } from '../../src/runtime/layers/groupNormalization';
import { UnitNormalization } from '../../src/runtime/layers/unitNormalization';
import { CenterCrop, Resizing } from '../../src/runtime/layers/resizing';
import { Identity } from '../../src/runtime/layers/identity';
import { Subtract } from '../../src/runtime/layers/subtract';
import { gradientError } from '../helpers/gradcheck';
import { cpuBackend } from '../helpers/tfjs';

beforeAll(cpuBackend);

const rand = (shape: number[], seed: number, lo = -1, hi = 1) => tf.randomUniform(shape, lo, hi, 'float32', seed);
const values = (t: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[]) => Array.from((t as tf.Tensor).dataSync());
const maxDiff = (a: readonly number[], b: readonly number[]) => {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
};

/** A model of one layer written to tfjs JSON and read back (with the class the serialization map names). */
async function roundTrip(layer: tf.layers.Layer, inputShapes: number[][]): Promise<{ json: Record<string, unknown>; back: tf.LayersModel }> {
  const ins = inputShapes.map((s, i) => tf.input({ shape: s, name: `in${i}` }));
  const out = layer.apply(ins.length > 1 ? ins : ins[0]) as tf.SymbolicTensor;
  const model = tf.model({ inputs: ins, outputs: out });
  const topology = model.toJSON(undefined, false) as unknown as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
  const json = topology.config.layers.find((l) => l.class_name === layer.getClassName())!.config;
  const back = await tf.models.modelFromJSON({ modelTopology: topology as unknown as tf.io.ModelJSON['modelTopology'] });
  model.dispose();
  return { json, back };
}

describe('GroupNormalization (Keras group_normalization.py)', () => {
  /** Reference: per sample and group, mean and population variance over positions and the group's channels. */
  function reference(x: number[], shape: number[], groups: number, gamma: number[], beta: number[], eps: number): number[] {
    const [n, c] = [shape[0], shape[shape.length - 1]];
    const positions = x.length / (n * c);
    const size = c / groups;
    const out = new Array<number>(x.length);
    for (let s = 0; s < n; s++)
      for (let g = 0; g < groups; g++) {
        const idx: number[] = [];
        for (let p = 0; p < positions; p++) for (let k = 0; k < size; k++) idx.push((s * positions + p) * c + g * size + k);
        const mean = idx.reduce((a, i) => a + x[i], 0) / idx.length;
        const variance = idx.reduce((a, i) => a + (x[i] - mean) ** 2, 0) / idx.length;
        for (const i of idx) out[i] = ((x[i] - mean) / Math.sqrt(variance + eps)) * gamma[i % c] + beta[i % c];
      }
    return out;
  }

  it.each([
    [2, [3, 4, 6]],
    [3, [2, 2, 3, 6]],
    [1, [2, 5]],
    [-1, [2, 3, 4]],
  ])('normalizes within %i groups of an input of shape %j, then scales and shifts per channel', (groups, shape) => {
    const layer = new GroupNormalization({ groups, epsilon: 0.01 });
    const x = rand(shape, 3);
    layer.apply(x);
    const c = shape[shape.length - 1];
    const gamma = values(rand([c], 5, 0.5, 1.5));
    const beta = values(rand([c], 6));
    layer.setWeights([tf.tensor(gamma), tf.tensor(beta)]);
    const want = reference(values(x), shape, groups === -1 ? c : groups, gamma, beta, 0.01);
    expect(maxDiff(values(layer.apply(x)), want)).toBeLessThan(1e-5);
    expect(layer.groups).toBe(groups === -1 ? c : groups);
  });

  it("has Keras's weights: gamma then beta, of shape (channels,); without scale or center only the other", () => {
    const names = (l: GroupNormalization) => {
      l.apply(tf.input({ shape: [3, 4] }));
      return l.weights.map((w) => [w.originalName.split('/').pop(), w.shape]);
    };
    expect(names(new GroupNormalization({ groups: 2 }))).toEqual([
      ['gamma', [4]],
      ['beta', [4]],
    ]);
    expect(names(new GroupNormalization({ groups: 2, scale: false }))).toEqual([['beta', [4]]]);
    expect(names(new GroupNormalization({ groups: 2, center: false }))).toEqual([['gamma', [4]]]);
  });

  it('refuses channels the groups do not divide, more groups than channels, 0 groups and another axis, naming the values', () => {
    expect(() => new GroupNormalization({ groups: 3 }).apply(tf.input({ shape: [4] }))).toThrow(/the 4 channels do not split into 3 equal groups/);
    expect(() => new GroupNormalization({ groups: 8 }).apply(tf.input({ shape: [4] }))).toThrow(
      /groups \(8\) cannot be more than the number of channels \(4\)/,
    );
    expect(() => new GroupNormalization({ groups: 0 })).toThrow(/groups must be a positive whole number or −1/);
    expect(() => new GroupNormalization({ axis: 1 })).toThrow(/channels last only \(axis −1\), got axis 1/);
  });

  it('has the gradient of its output with respect to its input and its weights (finite differences)', () => {
    const layer = new GroupNormalization({ groups: 2 });
    const x = rand([2, 3, 4], 8);
    layer.apply(x);
    layer.setWeights([rand([4], 9, 0.5, 1.5), rand([4], 10)]);
    const probe = rand([2, 3, 4], 11);
    expect(gradientError((t) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, probe)), x)).toBeLessThan(5e-3);
    // Weights: tfjs's gradient of the layer's variables (tf.variableGrads) against differences of setWeights.
    const loss = () => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, probe)) as tf.Scalar;
    const { grads } = tf.variableGrads(loss);
    const start = layer.getWeights().map((w) => w.arraySync() as number[]);
    layer.weights.forEach((w, k) => {
      const analytic = values(grads[w.name]);
      const numeric = start[k].map((_v, i) => {
        const at = (d: number) => {
          layer.setWeights(start.map((v, j) => tf.tensor(j === k ? v.map((u, m) => (m === i ? u + d : u)) : v)));
          return values(loss())[0];
        };
        return (at(1e-2) - at(-1e-2)) / 2e-2;
      });
      expect(maxDiff(analytic, numeric)).toBeLessThan(5e-3);
    });
  });

  it('round-trips through tfjs model JSON with its groups, epsilon, flags and initializers', async () => {
    const layer = new GroupNormalization({ groups: -1, epsilon: 0.01, center: false, name: 'gn' });
    const { json, back } = await roundTrip(layer, [[3, 4]]);
    expect(json).toMatchObject({ groups: 4, axis: -1, epsilon: 0.01, center: false, scale: true, gamma_initializer: { class_name: 'Ones' } });
    const again = back.getLayer('gn');
    expect(again).toBeInstanceOf(GroupNormalization);
    expect(again.countParams()).toBe(4);
    back.dispose();
  });
});

describe('UnitNormalization (Keras unit_normalization.py)', () => {
  it.each([
    [-1, [3, 4]],
    [
      [1, 2],
      [2, 3, 4],
    ],
    [[-2], [2, 3, 4, 2]],
  ] as const)('gives length 1 over axis %j of an input of shape %j', (axis, shape) => {
    const x = rand([...shape], 4);
    const y = new UnitNormalization({ axis }).apply(x) as tf.Tensor;
    const axes = (typeof axis === 'number' ? [axis] : [...axis]).map((a) => (a < 0 ? shape.length + a : a));
    const norms = values(tf.sqrt(tf.sum(tf.square(y), axes)));
    expect(norms.every((n) => Math.abs(n - 1) < 1e-5)).toBe(true);
    // y is x divided by a positive factor: same signs and same ratios.
    const ratio = values(tf.div(y, x));
    const perSample = values(tf.div(x, tf.sqrt(tf.sum(tf.square(x), axes, true))));
    expect(maxDiff(values(y), perSample)).toBeLessThan(1e-6);
    expect(ratio.every((r) => r > 0)).toBe(true);
  });

  it('maps a zero vector to zeros (the inverse norm is capped at 1e12, as Keras caps it), not to NaN', () => {
    const y = values(new UnitNormalization({}).apply(tf.zeros([2, 3])));
    expect(y).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('has the gradient of its output (finite differences)', () => {
    const layer = new UnitNormalization({ axis: [1, 2] });
    const probe = rand([2, 2, 3], 12);
    expect(gradientError((t) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, probe)), rand([2, 2, 3], 13, 0.2, 1))).toBeLessThan(5e-3);
  });

  it('refuses an axis that is not a whole number or list, and an axis past the rank when run', () => {
    expect(() => new UnitNormalization({ axis: 'last' as unknown as number })).toThrow(/axis must be a whole number or a list of them, got "last"/);
    expect(() => new UnitNormalization({ axis: [2] }).apply(tf.zeros([1, 3]))).toThrow(/axis \[2\] is out of range for an input of rank 2/);
  });

  it('round-trips through tfjs model JSON with its axes', async () => {
    const { json, back } = await roundTrip(new UnitNormalization({ axis: [1, 2], name: 'un' }), [[3, 4]]);
    expect(json.axis).toEqual([1, 2]);
    expect(back.getLayer('un')).toBeInstanceOf(UnitNormalization);
    back.dispose();
  });
});

describe('Resizing and CenterCrop (Keras resizing.py, center_crop.py)', () => {
  // tfjs's own kernels with half-pixel centers compute what Keras 3 computes (jax.image.resize, antialias off);
  // they are an independent reference for the values (not for the gradient: see below).
  it.each([
    [[2, 3, 4, 2], 5, 7],
    [[1, 8, 8, 1], 3, 5],
    [[2, 5, 3, 3], 5, 8],
    [[1, 7, 6, 2], 2, 1],
  ])('bilinear and nearest resizing of %j to %i×%i equal tfjs kernels with half-pixel centers', (shape, h, w) => {
    const x = rand(shape, 14) as tf.Tensor4D;
    const bilinear = new Resizing({ height: h, width: w }).apply(x) as tf.Tensor;
    expect(bilinear.shape).toEqual([shape[0], h, w, shape[3]]);
    expect(maxDiff(values(bilinear), values(tf.image.resizeBilinear(x, [h, w], false, true)))).toBeLessThan(1e-5);
    const nearest = new Resizing({ height: h, width: w, interpolation: 'nearest' }).apply(x);
    expect(values(nearest)).toEqual(values(tf.image.resizeNearestNeighbor(x, [h, w], false, true)));
  });

  it('with crop_to_aspect_ratio, resizes the largest centred window of the target aspect ratio', () => {
    const x = rand([1, 6, 9, 1], 15) as tf.Tensor4D;
    // Target 2×2 (aspect 1): the centred 6×6 window, columns 1…6.
    const y = new Resizing({ height: 2, width: 2, cropToAspectRatio: true }).apply(x);
    const window = tf.slice(x, [0, 0, 1, 0], [1, 6, 6, 1]);
    expect(maxDiff(values(y), values(tf.image.resizeBilinear(window, [2, 2], false, true)))).toBeLessThan(1e-5);
  });

  it('CenterCrop keeps the centred window of a larger image, and crops to the aspect ratio and resizes a smaller one (Keras smart_resize)', () => {
    const x = rand([2, 5, 6, 2], 16) as tf.Tensor4D;
    expect(values(new CenterCrop({ height: 3, width: 3 }).apply(x))).toEqual(values(tf.slice(x, [0, 1, 1, 0], [2, 3, 3, 2])));
    // 6×2 into 4×4: wider than tall is wanted, so the centred 2×2 window (rows 2…3) is resized to 4×4.
    const narrow = rand([1, 6, 2, 1], 17) as tf.Tensor4D;
    const y = new CenterCrop({ height: 4, width: 4 }).apply(narrow);
    const window = tf.slice(narrow, [0, 2, 0, 0], [1, 2, 2, 1]);
    expect(maxDiff(values(y), values(tf.image.resizeBilinear(window, [4, 4], false, true)))).toBeLessThan(1e-5);
  });

  it("tfjs 4.22's own resizeBilinear gradient ignores half-pixel centers, and fails on non-square images (why these layers resize with gathers)", () => {
    const probe = rand([1, 5, 5, 1], 18);
    const f = (t: tf.Tensor): tf.Scalar => tf.sum(tf.mul(tf.image.resizeBilinear(t as tf.Tensor4D, [5, 5], false, true), probe));
    expect(gradientError(f, rand([1, 3, 3, 1], 19))).toBeGreaterThan(0.05);
    const g = (t: tf.Tensor) => tf.sum(tf.image.resizeBilinear(t as tf.Tensor4D, [5, 7], false, true));
    expect(() => tf.grad(g)(rand([1, 3, 4, 1], 19))).toThrow(/Error in gradient for op ResizeBilinear/);
  });

  it.each([
    ['Resizing bilinear up', () => new Resizing({ height: 5, width: 7 }), [1, 3, 4, 2]],
    ['Resizing bilinear down', () => new Resizing({ height: 2, width: 3 }), [1, 5, 6, 1]],
    ['Resizing nearest', () => new Resizing({ height: 4, width: 5, interpolation: 'nearest' }), [1, 3, 3, 1]],
    ['CenterCrop crop', () => new CenterCrop({ height: 2, width: 2 }), [1, 4, 3, 2]],
    ['CenterCrop resize', () => new CenterCrop({ height: 4, width: 4 }), [1, 3, 2, 1]],
  ] as const)('%s has the gradient of its output (finite differences)', (_name, make, shape) => {
    const layer = make();
    const x = rand([...shape], 20);
    const probe = rand((layer.apply(x) as tf.Tensor).shape, 21);
    expect(gradientError((t) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, probe)), x)).toBeLessThan(5e-3);
  });

  it('refuses other interpolations, sizes below 1 and inputs that are not images, naming the value', () => {
    expect(() => new Resizing({ height: 2, width: 2, interpolation: 'bicubic' as 'nearest' })).toThrow(
      /interpolation must be 'bilinear' or 'nearest'.*got "bicubic"/,
    );
    expect(() => new CenterCrop({ height: 0, width: 2 })).toThrow(/CenterCrop: height must be a whole number of pixels ≥ 1, got 0/);
    expect(() => new Resizing({ height: 2, width: 2 }).apply(tf.input({ shape: [4, 3] }))).toThrow(/Resizing expects images .* got an input of rank 3/);
  });

  it("replace tfjs's classes of the same names in the serialization map only: tfjs's own layers still build and run", async () => {
    const map = tf.serialization.SerializationMap.getMap().classNameMap;
    expect(map.Resizing[0]).toBe(Resizing);
    expect(map.CenterCrop[0]).toBe(CenterCrop);
    const own = tf.layers.resizing({ height: 2, width: 3 });
    expect(own).not.toBeInstanceOf(Resizing);
    expect((own.apply(tf.zeros([1, 4, 4, 1])) as tf.Tensor).shape).toEqual([1, 2, 3, 1]);
    expect(tf.layers.centerCrop({ height: 2, width: 2 })).not.toBeInstanceOf(CenterCrop);
    // Why they are replaced: tfjs's Resizing declares [2, 3, 6] for (None, 4, 6, 1), its CenterCrop rewrites its input's shape.
    expect((tf.layers.resizing({ height: 2, width: 3 }).apply(tf.input({ shape: [4, 6, 1] })) as tf.SymbolicTensor).shape).toEqual([2, 3, 6]);
    const cropped = tf.input({ shape: [4, 6, 1] });
    tf.layers.centerCrop({ height: 2, width: 3 }).apply(cropped);
    expect(cropped.shape).toEqual([null, 2, 3, 1]);
    const ours = tf.input({ shape: [4, 6, 1] });
    expect((new CenterCrop({ height: 2, width: 3 }).apply(ours) as tf.SymbolicTensor).shape).toEqual([null, 2, 3, 1]);
    expect(ours.shape).toEqual([null, 4, 6, 1]);
    // A model tfjs's own Resizing wrote (the same config keys) opens as Layerlab's, with Keras's output shape.
    const theirs = tf.sequential({ layers: [tf.layers.resizing({ height: 2, width: 3, interpolation: 'nearest', inputShape: [4, 4, 1], name: 'tfjs_rs' })] });
    const reopened = await tf.models.modelFromJSON({ modelTopology: theirs.toJSON(undefined, false) as unknown as tf.io.ModelJSON['modelTopology'] });
    expect(reopened.getLayer('tfjs_rs')).toBeInstanceOf(Resizing);
    expect((reopened.getLayer('tfjs_rs') as Resizing).interpolation).toBe('nearest');
    expect(reopened.outputs[0].shape).toEqual([null, 2, 3, 1]);
    theirs.dispose();
    reopened.dispose();
    // A file naming Resizing now opens as Layerlab's class, with Keras's output shape.
    const { json, back } = await roundTrip(new Resizing({ height: 3, width: 5, interpolation: 'nearest', cropToAspectRatio: true, name: 'rs' }), [[6, 6, 2]]);
    expect(json).toMatchObject({ height: 3, width: 5, interpolation: 'nearest', crop_to_aspect_ratio: true });
    expect(back.getLayer('rs')).toBeInstanceOf(Resizing);
    expect(back.outputs[0].shape).toEqual([null, 3, 5, 2]);
    back.dispose();
    const crop = await roundTrip(new CenterCrop({ height: 2, width: 2, name: 'cc' }), [[6, 6, 2]]);
    expect(crop.back.getLayer('cc')).toBeInstanceOf(CenterCrop);
    expect(crop.back.outputs[0].shape).toEqual([null, 2, 2, 2]);
    crop.back.dispose();
  });
});

describe('Identity (Keras identity.py) and Subtract (Keras subtract.py)', () => {
  it('Identity returns its input unchanged, as a tensor of its own', () => {
    const x = rand([2, 3], 22);
    const y = new Identity().apply(x) as tf.Tensor;
    const want = values(x);
    x.dispose();
    expect(values(y)).toEqual(want);
  });

  it('Identity has the gradient 1 (finite differences) and round-trips through tfjs JSON', async () => {
    expect(gradientError((t) => tf.sum(tf.square(new Identity().apply(t) as tf.Tensor)), rand([2, 3], 23))).toBeLessThan(5e-3);
    const { back } = await roundTrip(new Identity({ name: 'id' }), [[3]]);
    expect(back.getLayer('id')).toBeInstanceOf(Identity);
    back.dispose();
  });

  it.each([
    [
      [2, 3, 4],
      [2, 3, 4],
    ],
    [
      [2, 4, 3],
      [2, 1, 3],
    ],
    [
      [2, 4, 3],
      [2, 3],
    ],
    [
      [2, 3],
      [2, 4, 3],
    ],
  ])('Subtract of %j and %j is x1 − x2, the lower-rank input broadcast after the batch axis', (a, b) => {
    const x1 = rand(a, 24);
    const x2 = rand(b, 25);
    const y = new Subtract().apply([x1, x2]) as tf.Tensor;
    const widen = (t: tf.Tensor, rank: number) =>
      t.rank < rank ? tf.reshape(t, [t.shape[0], ...new Array<number>(rank - t.rank).fill(1), ...t.shape.slice(1)]) : t;
    const rank = Math.max(a.length, b.length);
    expect(values(y)).toEqual(values(tf.sub(widen(x1, rank), widen(x2, rank))));
  });

  it('Subtract takes exactly two inputs and refuses shapes that do not broadcast', () => {
    const [a, b, c] = [tf.input({ shape: [3] }), tf.input({ shape: [3] }), tf.input({ shape: [4] })];
    expect(() => new Subtract().apply([a, b, a])).toThrow(/A Subtract layer takes exactly 2 inputs, got 3/);
    expect(() => new Subtract().apply([a, c])).toThrow(/inputs of shapes \[3\] and \[4\] cannot be broadcast together/);
  });

  it('Subtract has the gradient of its output for each input (finite differences) and round-trips through tfjs JSON', async () => {
    const other = rand([2, 3], 26);
    expect(gradientError((t) => tf.sum(tf.square(new Subtract().apply([t, other]) as tf.Tensor)), rand([2, 3], 27))).toBeLessThan(5e-3);
    expect(gradientError((t) => tf.sum(tf.square(new Subtract().apply([other, t]) as tf.Tensor)), rand([2, 3], 28))).toBeLessThan(5e-3);
    const { back } = await roundTrip(new Subtract({ name: 'sub' }), [[3], [3]]);
    expect(back.getLayer('sub')).toBeInstanceOf(Subtract);
    back.dispose();
  });
});

describe('unknown sizes (Keras None)', () => {
  it('Resizing and CenterCrop give height × width whatever the image size, in the core and in the class', () => {
    for (const [kind, Cls] of [
      ['Resizing', Resizing],
      ['CenterCrop', CenterCrop],
    ] as const) {
      const graph = buildGraph('none', (b) => void b.add(kind, { height: 4, width: 5 }, 'l', [b.add('Input', { shape: [null, null, 3] }, 'x')]));
      const node = graph.nodes.find((n) => n.name === 'l')!;
      expect(analyze(graph).nodes.get(node.id)!.outputShape).toEqual([null, 4, 5, 3]);
      const layer = new Cls({ height: 4, width: 5 });
      expect((layer.apply(tf.input({ shape: [null, null, 3] })) as tf.SymbolicTensor).shape).toEqual([null, 4, 5, 3]);
      for (const size of [
        [7, 9],
        [3, 2],
      ])
        expect((layer.apply(tf.zeros([1, ...size, 3])) as tf.Tensor).shape).toEqual([1, 4, 5, 3]);
    }
  });

  it('GroupNormalization needs known channels: the core says so in Keras terms, as the class refuses it', () => {
    const graph = buildGraph('none', (b) => void b.add('GroupNormalization', { groups: 2 }, 'l', [b.add('Input', { shape: [4, null] }, 'x')]));
    const node = graph.nodes.find((n) => n.name === 'l')!;
    const diagnostics = analyze(graph).nodes.get(node.id)!.diagnostics;
    expect(diagnostics.map((d) => d.code)).toEqual(['shape/unknown-dim']);
    expect(diagnostics[0].message).toMatch(/needs a known number of channels \(last axis\)/);
    expect(() => new GroupNormalization({ groups: 2 }).apply(tf.input({ shape: [4, null] }))).toThrow(/needs a known number of channels/);
  });
});
