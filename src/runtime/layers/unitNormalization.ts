/**
 * UnitNormalization as a tfjs custom layer (tfjs 4.22 has no such layer).
 *
 * Divides each sample by its L2 norm over `axis` (one axis or several):
 *   y = x · min(rsqrt(Σ x²), 1 / 1e-12), the sum over the axes, kept for broadcasting.
 * Shape unchanged; no weights; passes a mask on.
 * Source: Keras keras/src/layers/normalization/unit_normalization.py (`ops.normalize(axis, order=2,
 * epsilon=1e-12)`) and keras/src/ops/nn.py `_normalize` (the order-2 case, x · rsqrt with the inverse norm capped at
 * 1 / epsilon).
 *
 * This file is self-contained (it imports only tfjs): Layerlab ships it, with the other files of this folder, as
 * the `layerlab-layers.ts` module generated TypeScript imports.
 */
import * as tf from '@tensorflow/tfjs';

/** The arguments of UnitNormalization: Keras's `axis` plus tfjs's common layer arguments (name, inputShape…). */
export interface UnitNormalizationArgs extends NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]> {
  /** The axis or axes the norm is taken over (default −1, the last); negative counts from the end. */
  readonly axis?: number | readonly number[];
}

/** Keras's epsilon of `ops.normalize` in UnitNormalization: the inverse norm is at most 1 / UNIT_NORM_EPSILON. */
const UNIT_NORM_EPSILON = 1e-12;

/** Keras UnitNormalization: scales each sample to length 1 (L2 norm) over the given axes. */
export class UnitNormalization extends tf.layers.Layer {
  static readonly className = 'UnitNormalization';
  /** As given: one axis, or a list of axes (Keras keeps the form in its config). */
  readonly axis: number | readonly number[];

  /** @throws Error when `axis` is neither a whole number nor a list of them. */
  constructor(args: UnitNormalizationArgs = {}) {
    super(args);
    const axis: unknown = args.axis ?? -1;
    const list: unknown[] = typeof axis === 'number' ? [axis] : Array.isArray(axis) ? (axis as unknown[]) : [];
    if (list.length === 0 || !list.every((a) => Number.isInteger(a)))
      throw new Error(`UnitNormalization: axis must be a whole number or a list of them, got ${JSON.stringify(args.axis) ?? typeof args.axis}`);
    this.axis = typeof axis === 'number' ? axis : [...(list as number[])];
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  /** @throws Error when an axis is outside the input's rank. */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const axes = (typeof this.axis === 'number' ? [this.axis] : this.axis).map((a) => (a < 0 ? x.rank + a : a));
      if (axes.some((a) => a < 0 || a >= x.rank))
        throw new Error(`UnitNormalization: axis ${JSON.stringify(this.axis)} is out of range for an input of rank ${x.rank}`);
      const inverse = tf.minimum(tf.rsqrt(tf.sum(tf.square(x), axes, true)), 1 / UNIT_NORM_EPSILON);
      return tf.mul(x, inverse);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), axis: typeof this.axis === 'number' ? this.axis : [...this.axis] };
  }
}

tf.serialization.registerClass(UnitNormalization);

/** `layerlab.unitNormalization({ axis: -1 })`. */
export const unitNormalization = (args: UnitNormalizationArgs = {}): UnitNormalization => new UnitNormalization(args);
