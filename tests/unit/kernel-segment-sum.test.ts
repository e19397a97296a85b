/**
 * Layerlab's UnsortedSegmentSum for wasm (the Gather gradient, which an Embedding needs to train) against
 * the cpu backend: random shapes and ids, ids out of range, and the gradient of an embedding lookup.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmKernels, unregisterWasmKernels } from '../../src/runtime/kernels';
import { fastSubset } from '../full';

beforeAll(async () => {
  registerWasmKernels(tf);
  await tf.setBackend('wasm');
});
afterAll(() => unregisterWasmKernels(tf));

/** Runs f on a backend and returns its result's shape and values. */
async function on(backend: string, f: () => tf.Tensor): Promise<{ shape: number[]; values: number[] }> {
  await tf.setBackend(backend);
  const t = tf.tidy(f);
  const r = { shape: t.shape, values: Array.from(t.dataSync()) };
  t.dispose();
  return r;
}

const close = (a: number[], b: number[]) => expect(Math.max(0, ...a.map((v, i) => Math.abs(v - b[i])))).toBeLessThan(1e-5);

describe('UnsortedSegmentSum on wasm', () => {
  // tfjs's op takes 1-D ids (the Gather gradient flattens them first).
  it.each(
    fastSubset(
      'UnsortedSegmentSum',
      [
        [[6], [6, 3], 4],
        [[10], [10, 4], 7],
        [[10], [10], 3],
        [[12], [12, 2, 2], 5],
        [[3200], [3200, 64], 1000],
      ] as [number[], number[], number][],
      ([ids]) => ids[0] > 1000,
    ),
  )('ids %j, x %j, %i segments: equal to cpu', async (idShape, xShape, segments) => {
    const n = idShape.reduce((p, d) => p * d, 1);
    // Some ids out of range (−1 and segments): dropped, as tfjs and TF do.
    const ids = Array.from({ length: n }, (_, i) => (i % 7 === 3 ? -1 : i % 11 === 5 ? segments : (i * 5) % segments));
    const xs = Array.from({ length: xShape.reduce((p, d) => p * d, 1) }, (_, i) => Math.sin(i * 1.7));
    const f = () => tf.unsortedSegmentSum(tf.tensor(xs, xShape), tf.tensor1d(ids, 'int32'), segments);
    const w = await on('wasm', f);
    const c = await on('cpu', f);
    expect(w.shape).toEqual(c.shape);
    close(w.values, c.values);
  });

  it('gives an embedding lookup the same gradient as cpu (what Embedding training needs)', async () => {
    const grad = () => {
      const table = tf.tensor2d([
        [1, 2],
        [3, 4],
        [5, 6],
        [7, 8],
        [9, 10],
      ]);
      const ids = tf.tensor2d(
        [
          [0, 3, 3],
          [4, 0, 1],
        ],
        undefined,
        'int32',
      );
      const g = tf.grad((t: tf.Tensor) =>
        tf
          .gather(t, ids)
          .mul(tf.tensor1d([1, -2]))
          .sum(),
      )(table);
      return g;
    };
    const w = await on('wasm', grad);
    const c = await on('cpu', grad);
    expect(w.shape).toEqual([5, 2]);
    close(w.values, c.values);
  });
});
