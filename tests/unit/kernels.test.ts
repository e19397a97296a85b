/**
 * Layerlab's wasm kernels (src/runtime/kernels) against the cpu backend, the oracle: random inputs over
 * strides, paddings ('same', 'valid', a number, explicit), odd sizes, batch sizes and channel counts.
 * Dilations: tfjs's Conv2DBackprop* kernels take none (tfjs refuses gradients of dilated Conv2D), and the cpu
 * backend's depthwise backprop kernels ignore theirs, so dilated depthwise cases are checked against the cpu
 * backend's *forward* DepthwiseConv2dNative instead (the gradient of a linear map, column by column).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmKernels, unregisterWasmKernels, WASM_KERNEL_NAMES } from '../../src/runtime/kernels';
import { maxPoolGradInto } from '../../src/runtime/kernels/maxPoolGrad';

/** A small seeded generator (mulberry32), so a failing case can be replayed. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] };
}

interface Arr {
  shape: number[];
  values: Float32Array;
}
const randArr = (r: ReturnType<typeof rng>, shape: number[]): Arr => {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = r.next() * 2 - 1;
  return { shape, values };
};

/** Runs one kernel on one backend with fresh tensors; returns its output's shape and values. */
async function run(backend: string, name: string, inputs: Record<string, Arr>, attrs: Record<string, unknown>): Promise<Arr> {
  await tf.setBackend(backend);
  const ts = Object.fromEntries(Object.entries(inputs).map(([k, a]) => [k, tf.tensor(a.values, a.shape)]));
  try {
    const out = tf.engine().runKernel(name, ts, attrs as tf.NamedAttrMap) as tf.Tensor;
    const r = { shape: out.shape, values: out.dataSync() as Float32Array };
    out.dispose();
    return r;
  } finally {
    tf.dispose(Object.values(ts));
  }
}

/** max |a − b| / max(1, max |b|). */
function relErr(a: Arr, b: Arr): number {
  let d = 0;
  let m = 1;
  for (let i = 0; i < b.values.length; i++) {
    d = Math.max(d, Math.abs(a.values[i] - b.values[i]));
    m = Math.max(m, Math.abs(b.values[i]));
  }
  return d / m;
}

/** wasm (ours) vs cpu for one kernel call. */
async function expectSame(name: string, inputs: Record<string, Arr>, attrs: Record<string, unknown>, label: string) {
  const want = await run('cpu', name, inputs, attrs);
  const got = await run('wasm', name, inputs, attrs);
  expect(got.shape, label).toEqual(want.shape);
  expect(relErr(got, want), label).toBeLessThan(2e-5);
}

/**
 * Forward output [height, width] of a conv (or pool, `pool` true) as tfjs computes it, or [0, 0] when tfjs
 * refuses the geometry. tfjs sizes both axes of a *numeric* padding with the filter height and stride height,
 * so the cases below use numeric paddings with square filters and strides only.
 */
function outHW(x: number[], k: [number, number], s: number | [number, number], pad: unknown, d: number | [number, number] = 1, pool = false): [number, number] {
  try {
    const info = pool
      ? tf.backend_util.computePool2DInfo(x as [number, number, number, number], k, s as [number, number], 1, pad as 'same')
      : tf.backend_util.computeConv2DInfo(
          x as [number, number, number, number],
          [...k, x[3], 1] as [number, number, number, number],
          s as [number, number],
          d as [number, number],
          pad as 'same',
        );
    return info.outHeight > 0 && info.outWidth > 0 ? [info.outHeight, info.outWidth] : [0, 0];
  } catch {
    return [0, 0];
  }
}
const square = (k: [number, number], s: number | [number, number]) => k[0] === k[1] && typeof s === 'number';

const PADS: readonly unknown[] = [
  'same',
  'valid',
  1,
  [
    [0, 0],
    [1, 0],
    [0, 2],
    [0, 0],
  ],
  [
    [0, 0],
    [2, 1],
    [1, 1],
    [0, 0],
  ],
];
const STRIDES: readonly (number | [number, number])[] = [1, 2, 3, [2, 1], [1, 3]];
const KERNELS: readonly [number, number][] = [
  [1, 1],
  [2, 2],
  [3, 3],
  [3, 2],
  [1, 4],
  [5, 5],
];

beforeAll(async () => {
  registerWasmKernels(tf);
  expect(await tf.setBackend('wasm')).toBe(true);
});

it('registers its kernels for wasm in place of the stock ones, and can restore them', () => {
  const ours = WASM_KERNEL_NAMES.map((n) => tf.getKernel(n, 'wasm')!.kernelFunc);
  unregisterWasmKernels(tf);
  expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
  expect(tf.getKernel('Conv2DBackpropInput', 'wasm')!.kernelFunc).not.toBe(ours[1]);
  registerWasmKernels(tf);
  registerWasmKernels(tf); // idempotent
  expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  expect(WASM_KERNEL_NAMES).toEqual(expect.arrayContaining(['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad']));
});

describe('Conv2D gradients', () => {
  const cases: { x: number[]; k: [number, number]; cOut: number; s: number | [number, number]; pad: unknown }[] = [];
  const r = rng(1);
  for (const pad of PADS)
    for (const s of STRIDES)
      for (const k of KERNELS) {
        const x = [r.int(1, 3), r.int(1, 9), r.int(1, 9), r.pick([1, 2, 3])];
        if (typeof pad === 'number' && !square(k, s)) continue;
        if (outHW(x, k, s, pad)[0] < 1) continue;
        cases.push({ x, k, cOut: r.pick([1, 2, 5]), s, pad });
      }

  it(`has enough cases (${cases.length})`, () => expect(cases.length).toBeGreaterThan(80));

  it('Conv2DBackpropFilter matches cpu', async () => {
    const r2 = rng(2);
    for (const c of cases) {
      const dyShape = [c.x[0], ...outHW(c.x, c.k, c.s, c.pad), c.cOut];
      const attrs = { strides: c.s, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [...c.k, c.x[3], c.cOut] };
      await expectSame('Conv2DBackpropFilter', { x: randArr(r2, c.x), dy: randArr(r2, dyShape) }, attrs, JSON.stringify(c));
    }
  });

  it('Conv2DBackpropInput matches cpu', async () => {
    const r2 = rng(3);
    for (const c of cases) {
      const dyShape = [c.x[0], ...outHW(c.x, c.k, c.s, c.pad), c.cOut];
      const attrs = { strides: c.s, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, inputShape: c.x };
      await expectSame('Conv2DBackpropInput', { dy: randArr(r2, dyShape), filter: randArr(r2, [...c.k, c.x[3], c.cOut]) }, attrs, JSON.stringify(c));
    }
  });

  it('handles NCHW and a numeric padding with a rounding mode', async () => {
    const r2 = rng(4);
    const x = [2, 3, 7, 6]; // NCHW: C = 3, H = 7, W = 6
    const dy = [2, 4, 4, 3]; // 3×3 filter, stride 2, 'same' → ⌈7/2⌉ × ⌈6/2⌉
    await expectSame(
      'Conv2DBackpropFilter',
      { x: randArr(r2, x), dy: randArr(r2, dy) },
      { strides: 2, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 4] },
      'nchw filter',
    );
    await expectSame(
      'Conv2DBackpropInput',
      { dy: randArr(r2, dy), filter: randArr(r2, [3, 3, 3, 4]) },
      { strides: 2, pad: 'same', dataFormat: 'NCHW', inputShape: x },
      'nchw input',
    );
    // pad 1, stride 2, 3×3 on 8×8: (8 − 3 + 2) / 2 + 1 = 4.5 → 'ceil' 5
    const xs = [1, 8, 8, 2];
    await expectSame(
      'Conv2DBackpropFilter',
      { x: randArr(r2, xs), dy: randArr(r2, [1, 5, 5, 3]) },
      { strides: 2, pad: 1, dataFormat: 'NHWC', dimRoundingMode: 'ceil', filterShape: [3, 3, 2, 3] },
      'ceil filter',
    );
    await expectSame(
      'Conv2DBackpropInput',
      { dy: randArr(r2, [1, 5, 5, 3]), filter: randArr(r2, [3, 3, 2, 3]) },
      { strides: 2, pad: 1, dataFormat: 'NHWC', dimRoundingMode: 'ceil', inputShape: xs },
      'ceil input',
    );
  });

  it('frees every intermediate (no tensor or byte left behind on wasm)', async () => {
    await tf.setBackend('wasm');
    const r2 = rng(5);
    const x = tf.tensor(randArr(r2, [2, 9, 8, 3]).values, [2, 9, 8, 3]);
    const dy = tf.tensor(randArr(r2, [2, 5, 4, 4]).values, [2, 5, 4, 4]);
    const w = tf.tensor(randArr(r2, [3, 3, 3, 4]).values, [3, 3, 3, 4]);
    const before = tf.memory();
    for (let i = 0; i < 3; i++) {
      (tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 2, pad: 'same', filterShape: [3, 3, 3, 4] }) as tf.Tensor).dispose();
      (tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { strides: 2, pad: 'same', inputShape: [2, 9, 8, 3] }) as tf.Tensor).dispose();
    }
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
    tf.dispose([x, dy, w]);
  });
});

describe('MaxPoolGrad', () => {
  it('matches cpu over pool sizes, strides and paddings, ties included', async () => {
    const r = rng(6);
    let n = 0;
    for (const pad of ['same', 'valid', 1] as const)
      for (const s of STRIDES)
        for (const k of [
          [2, 2],
          [3, 3],
          [2, 3],
          [1, 1],
        ] as [number, number][]) {
          const x = [r.int(1, 3), r.int(2, 9), r.int(2, 9), r.pick([1, 3, 4])];
          if (pad === 1 && (!square(k, s) || k[0] < 2)) continue;
          const [oh, ow] = outHW(x, k, s, pad, 1, true);
          if (oh < 1) continue;
          const input = randArr(r, x);
          // Ties, as after a ReLU: a third of the values are exactly 0, some are repeated.
          for (let i = 0; i < input.values.length; i++)
            if (r.next() < 0.33) input.values[i] = 0;
            else if (r.next() < 0.1) input.values[i] = 0.5;
          const attrs = { filterSize: k, strides: s, pad, dimRoundingMode: undefined };
          await tf.setBackend('cpu');
          const xt = tf.tensor(input.values, input.shape);
          const out = tf.maxPool(xt as tf.Tensor4D, k, s, pad);
          const output = { shape: out.shape, values: out.dataSync() as Float32Array };
          tf.dispose([xt, out]);
          const dy = randArr(r, [x[0], oh, ow, x[3]]);
          await expectSame('MaxPoolGrad', { dy, input, output }, attrs, JSON.stringify({ x, k, s, pad }));
          n++;
        }
    expect(n).toBeGreaterThan(40);
  });

  it('gives the same dx with or without the pooling output (short scan vs full scan), with NaN and ±∞ in windows', () => {
    const r = rng(13);
    const [N, H, W, C] = [2, 7, 6, 3];
    const x = randArr(r, [N, H, W, C]).values;
    const specials = [NaN, Infinity, -Infinity, 0, 0.5];
    for (let i = 0; i < x.length; i++) if (r.next() < 0.25) x[i] = r.pick(specials);
    const [kh, kw, sh, sw] = [3, 2, 2, 1];
    const [Ho, Wo] = [Math.ceil((H - kh + 1) / sh), Math.ceil((W - kw + 1) / sw)];
    // y: the maximum of each window, NaN-propagating like a SIMD max (the fallback must cope).
    const y = new Float32Array(N * Ho * Wo * C);
    for (let n = 0; n < N; n++)
      for (let i = 0; i < Ho; i++)
        for (let j = 0; j < Wo; j++)
          for (let c = 0; c < C; c++) {
            let m = -Infinity;
            for (let a = 0; a < kh; a++)
              for (let b = 0; b < kw; b++) {
                const v = x[((n * H + i * sh + a) * W + j * sw + b) * C + c];
                m = Number.isNaN(v) || Number.isNaN(m) ? NaN : Math.max(m, v);
              }
            y[((n * Ho + i) * Wo + j) * C + c] = m;
          }
    const dy = randArr(r, [N, Ho, Wo, C]).values;
    const withY = new Float32Array(x.length);
    const without = new Float32Array(x.length);
    maxPoolGradInto(x, [N, H, W, C], dy, [N, Ho, Wo, C], withY, kh, kw, sh, sw, 0, 0, y);
    maxPoolGradInto(x, [N, H, W, C], dy, [N, Ho, Wo, C], without, kh, kw, sh, sw, 0, 0);
    expect(Array.from(withY)).toEqual(Array.from(without));
    expect(withY.some((v) => v !== 0)).toBe(true);
  });

  it('passes no gradient through a window of only −∞ or NaN, as cpu', async () => {
    const input = { shape: [1, 2, 2, 1], values: new Float32Array([-Infinity, NaN, -Infinity, NaN]) };
    const output = { shape: [1, 1, 1, 1], values: new Float32Array([-Infinity]) };
    const dy = { shape: [1, 1, 1, 1], values: new Float32Array([3]) };
    await expectSame('MaxPoolGrad', { dy, input, output }, { filterSize: 2, strides: 2, pad: 'valid' }, 'all -inf / nan');
  });
});

/** The cpu forward depthwise conv: the oracle for the dilated depthwise gradients. */
async function cpuDepthwise(x: Arr, w: Arr, strides: number | [number, number], pad: unknown, dilations: number | [number, number]): Promise<Arr> {
  return run('cpu', 'DepthwiseConv2dNative', { x, filter: w }, { strides, pad, dilations, dataFormat: 'NHWC' });
}
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i], 0);

describe('DepthwiseConv2dNative gradients', () => {
  const cases: { x: number[]; k: [number, number]; m: number; s: number | [number, number]; pad: unknown }[] = [];
  const r = rng(7);
  for (const pad of PADS)
    for (const s of STRIDES)
      for (const k of KERNELS.slice(0, 5)) {
        const x = [r.int(1, 3), r.int(1, 8), r.int(1, 8), r.pick([1, 2, 3])];
        if (typeof pad === 'number' && !square(k, s)) continue;
        if (outHW(x, k, s, pad)[0] < 1) continue;
        cases.push({ x, k, m: r.pick([1, 2]), s, pad });
      }

  it(`match cpu without dilation (${cases.length} cases each)`, async () => {
    const r2 = rng(8);
    for (const c of cases) {
      const dyShape = [c.x[0], ...outHW(c.x, c.k, c.s, c.pad), c.x[3] * c.m];
      const fShape = [...c.k, c.x[3], c.m];
      const base = { strides: c.s, pad: c.pad, dilations: [1, 1], dimRoundingMode: undefined };
      await expectSame(
        'DepthwiseConv2dNativeBackpropFilter',
        { x: randArr(r2, c.x), dy: randArr(r2, dyShape) },
        { ...base, filterShape: fShape },
        `filter ${JSON.stringify(c)}`,
      );
      await expectSame(
        'DepthwiseConv2dNativeBackpropInput',
        { dy: randArr(r2, dyShape), filter: randArr(r2, fShape) },
        { ...base, inputShape: c.x },
        `input ${JSON.stringify(c)}`,
      );
    }
    expect(cases.length).toBeGreaterThan(60);
  });

  it('match the cpu forward convolution with dilations 2 and 3 (gradient of a linear map, one column at a time)', async () => {
    const r2 = rng(9);
    const dil: [number, number][] = [
      [2, 2],
      [3, 1],
      [1, 2],
    ];
    for (const d of dil)
      for (const pad of [
        'same',
        'valid',
        [
          [0, 0],
          [1, 2],
          [2, 0],
          [0, 0],
        ],
      ] as unknown[]) {
        const x = [2, r2.int(5, 8), r2.int(5, 8), 2];
        const k: [number, number] = [2, 3];
        const m = 2;
        const [oh, ow] = outHW(x, k, 1, pad, d);
        if (oh < 1 || ow < 1) continue;
        const xa = randArr(r2, x);
        const wa = randArr(r2, [...k, x[3], m]);
        const dy = randArr(r2, [x[0], oh, ow, x[3] * m]);
        const attrs = { strides: 1, pad, dilations: d, dimRoundingMode: undefined };
        const gotW = await run('wasm', 'DepthwiseConv2dNativeBackpropFilter', { x: xa, dy }, { ...attrs, filterShape: wa.shape });
        const gotX = await run('wasm', 'DepthwiseConv2dNativeBackpropInput', { dy, filter: wa }, { ...attrs, inputShape: x });
        // dL/dw[e] = <dy, conv(x, e)>, dL/dx[e] = <dy, conv(e, w)> for each unit tensor e.
        const wantW = new Float32Array(wa.values.length);
        for (let i = 0; i < wantW.length; i++) {
          const e = { shape: wa.shape, values: new Float32Array(wa.values.length) };
          e.values[i] = 1;
          wantW[i] = dot(dy.values, (await cpuDepthwise(xa, e, 1, pad, d)).values);
        }
        const wantX = new Float32Array(xa.values.length);
        for (let i = 0; i < wantX.length; i++) {
          const e = { shape: x, values: new Float32Array(xa.values.length) };
          e.values[i] = 1;
          wantX[i] = dot(dy.values, (await cpuDepthwise(e, wa, 1, pad, d)).values);
        }
        const label = JSON.stringify({ d, pad, x });
        expect(relErr(gotW, { shape: wa.shape, values: wantW }), label).toBeLessThan(2e-5);
        expect(relErr(gotX, { shape: x, values: wantX }), label).toBeLessThan(2e-5);
      }
  });
});

describe('through autodiff', () => {
  it('gives the cpu gradients of a small CNN (Conv2D + bias + relu, strided Conv2D, MaxPool, DepthwiseConv2D)', async () => {
    const r = rng(10);
    const xa = randArr(r, [3, 10, 9, 2]);
    const w1a = randArr(r, [3, 3, 2, 4]);
    const b1a = randArr(r, [4]);
    const w2a = randArr(r, [3, 3, 4, 3]);
    const dwa = randArr(r, [3, 3, 3, 2]);
    const grads = async (backend: string) => {
      await tf.setBackend(backend);
      const [x, w1, b1, w2, dw] = [xa, w1a, b1a, w2a, dwa].map((a) => tf.tensor(a.values, a.shape));
      const f = (w1_: tf.Tensor, b1_: tf.Tensor, w2_: tf.Tensor, dw_: tf.Tensor) => {
        const h1 = tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w1_ as tf.Tensor4D, strides: 1, pad: 'same', bias: b1_, activation: 'relu' });
        const p = tf.maxPool(h1, 2, 2, 'same');
        const h2 = tf.conv2d(p, w2_ as tf.Tensor4D, 2, 'valid');
        const h3 = tf.depthwiseConv2d(tf.relu(h2), dw_ as tf.Tensor4D, 1, 'same');
        return tf.sum(tf.square(h3));
      };
      const g = tf.grads(f)([w1, b1, w2, dw]);
      const out = g.map((t) => ({ shape: t.shape, values: t.dataSync() as Float32Array }));
      tf.dispose([...g, x, w1, b1, w2, dw]);
      return out;
    };
    const want = await grads('cpu');
    const got = await grads('wasm');
    for (let i = 0; i < want.length; i++) expect(relErr(got[i], want[i]), `gradient ${i}`).toBeLessThan(1e-4);
  });
});

it('names.ts (read by the pure backend rule) lists exactly the kernels registered', async () => {
  const { LAYERLAB_WASM_KERNELS } = await import('../../src/runtime/kernels/names');
  expect([...LAYERLAB_WASM_KERNELS].sort()).toEqual([...WASM_KERNEL_NAMES].sort());
});

describe('BatchMatMul and Sum', () => {
  it('BatchMatMul matches cpu with every transpose combination, batched and broadcast', async () => {
    const r = rng(11);
    const shapes: [number[], number[]][] = [
      [
        [5, 7],
        [7, 3],
      ],
      [
        [1, 9],
        [9, 1],
      ],
      [
        [2, 4, 6],
        [2, 6, 5],
      ],
      [
        [3, 4, 6],
        [1, 6, 2],
      ],
      [
        [64, 130],
        [130, 17],
      ],
    ];
    for (const [a, b] of shapes)
      for (const tA of [false, true])
        for (const tB of [false, true]) {
          const sa = tA ? [...a.slice(0, -2), a.at(-1)!, a.at(-2)!] : a;
          const sb = tB ? [...b.slice(0, -2), b.at(-1)!, b.at(-2)!] : b;
          await expectSame('BatchMatMul', { a: randArr(r, sa), b: randArr(r, sb) }, { transposeA: tA, transposeB: tB }, JSON.stringify({ a, b, tA, tB }));
        }
  });

  it('Sum matches cpu over leading axes (fast path) and any other axes (stock), with keepDims', async () => {
    const r = rng(12);
    const cases: [number[], number | number[]][] = [
      [
        [4, 5, 6, 3],
        [0, 1, 2],
      ],
      [[4, 5, 6, 3], [0]],
      [[70, 3], 0],
      [[4, 5, 6, 3], [3]],
      [
        [4, 5, 6, 3],
        [1, 2],
      ],
      [
        [4, 5, 6, 3],
        [0, 1, 2, 3],
      ],
      [[200], 0],
      [
        [4, 5, 6],
        [-3, -2],
      ],
    ];
    for (const [shape, axis] of cases)
      for (const keepDims of [false, true]) await expectSame('Sum', { x: randArr(r, shape) }, { axis, keepDims }, JSON.stringify({ shape, axis, keepDims }));
  });
});
