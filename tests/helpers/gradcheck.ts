/**
 * Finite-difference gradient check for Layerlab's tfjs custom layers (src/runtime/layers/): the gradient tfjs
 * computes through a layer's `call` against central differences of the same function.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Largest difference between `tf.grad(f)(x)` and the central difference (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h at every
 * element of `x`, relative to max(1, |analytic|). `f` maps x to a scalar and must be deterministic (a dropout
 * layer needs a seed). float32 arithmetic: with h = 1e-2 a smooth function agrees to about 1e-3.
 * @param x the point, kept by the caller (not disposed here).
 */
export function gradientError(f: (x: tf.Tensor) => tf.Scalar, x: tf.Tensor, h = 1e-2): number {
  const analytic = tf.tidy(() => tf.grad(f)(x)).dataSync();
  const base = x.dataSync();
  let worst = 0;
  for (let i = 0; i < base.length; i++) {
    const at = (delta: number) =>
      tf.tidy(() => {
        const v = Float32Array.from(base);
        v[i] += delta;
        return f(tf.tensor(v, x.shape)).dataSync()[0];
      });
    const numeric = (at(h) - at(-h)) / (2 * h);
    worst = Math.max(worst, Math.abs(numeric - analytic[i]) / Math.max(1, Math.abs(analytic[i])));
  }
  return worst;
}
