/**
 * Test helpers for the contract tests that ask TensorFlow.js: the backend they run on and the parameter
 * count of a list of weights.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Switches tfjs to its `cpu` backend (the one every Node test compares with) and waits until it is ready.
 * Use as `beforeAll(cpuBackend)`.
 * @throws Error when tfjs cannot switch (it then says why on the console).
 */
export async function cpuBackend(): Promise<void> {
  if (!(await tf.setBackend('cpu'))) throw new Error("tfjs could not switch to its 'cpu' backend.");
  await tf.ready();
}

/**
 * Number of scalars in a list of weights (tfjs `LayerVariable`s or anything with a shape): the sum of the
 * products of their shapes, a null dimension counting 1. This is how `countParams()` counts.
 */
export const weightCount = (ws: readonly { shape: readonly (number | null)[] }[]): number =>
  ws.reduce((s, w) => s + w.shape.reduce<number>((p, d) => p * (d ?? 1), 1), 0);
