/**
 * Normalization as a tfjs custom layer (tfjs 4.22 has no such layer).
 *
 * Shifts and scales each feature along `axis`: y = (x − mean) / max(√variance, 1e-7), or with `invert`
 * y = x · max(√variance, 1e-7) + mean. The mean and variance are non-trainable weights (Keras learns them with
 * `adapt()`; a saved model carries them), created as Keras 3 creates them, in its order: `mean` (d,), `variance`
 * (d,) and `count` () — 2d + 1 values for d = input[axis]; with axis null, scalars (3 values). Fresh, mean is 0 and variance 1 (the identity).
 * Shape unchanged; passes a mask on.
 * Source: Keras keras/src/layers/preprocessing/normalization.py (`build`: adapt_mean, adapt_variance, count;
 * `call`: `(inputs - mean) / ops.maximum(ops.sqrt(variance), backend.epsilon())`, epsilon 1e-7).
 *
 * This file is self-contained (it imports only tfjs): Layerlab ships it, with the other files of this folder, as
 * the `layerlab-layers.ts` module generated TypeScript imports.
 */
import * as tf from '@tensorflow/tfjs';

/** The arguments of Normalization: Keras's `axis` and `invert`, plus tfjs's common layer arguments. */
export interface NormalizationArgs extends NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]> {
  /** The axis whose features have their own mean and variance (default −1, the last); null: one mean and variance for all values. */
  readonly axis?: number | null;
  /** Undo a normalization instead (default false). */
  readonly invert?: boolean;
}

/** Keras's backend epsilon: the smallest standard deviation divided by. */
const EPSILON = 1e-7;

/** Keras Normalization with learned (adapted) statistics. */
export class Normalization extends tf.layers.Layer {
  static readonly className = 'Normalization';
  readonly axis: number | null;
  readonly invert: boolean;
  private mean: tf.LayerVariable | null = null;
  private variance: tf.LayerVariable | null = null;

  /** @throws Error when axis is not a whole number. */
  constructor(args: NormalizationArgs = {}) {
    super(args);
    const axis = args.axis === undefined ? -1 : args.axis;
    if (axis !== null && !Number.isInteger(axis)) throw new Error(`Normalization: axis must be a whole number or null, got ${JSON.stringify(args.axis)}`);
    this.axis = axis;
    this.invert = args.invert ?? false;
    this.supportsMasking = true;
  }

  /** The kept axis for an input of rank `rank` (null: none, axis None). @throws Error when it is the batch axis or outside the rank. */
  private keptAxis(rank: number): number | null {
    if (this.axis === null) return null;
    const a = this.axis < 0 ? rank + this.axis : this.axis;
    if (a < 1 || a >= rank) throw new Error(`Normalization: axis ${this.axis} is out of range for an input of rank ${rank}`);
    return a;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const a = this.keptAxis(shape.length);
    const d = a === null ? null : shape[a];
    if (a !== null && d === null) throw new Error('Normalization: the size of its axis must be known');
    const stats = d === null ? [] : [d];
    this.mean = this.addWeight('mean', stats, 'float32', tf.initializers.zeros(), undefined, false);
    this.variance = this.addWeight('variance', stats, 'float32', tf.initializers.ones(), undefined, false);
    this.addWeight('count', [], 'float32', tf.initializers.zeros(), undefined, false);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const a = this.keptAxis(x.rank);
      // The statistics broadcast along every axis but the kept one (along all of them for axis None).
      const shape = x.shape.map((d, i) => (i === a ? d : 1));
      const mean = tf.reshape(this.mean!.read(), shape);
      const std = tf.maximum(tf.sqrt(tf.reshape(this.variance!.read(), shape)), EPSILON);
      return this.invert ? tf.add(tf.mul(x, std), mean) : tf.div(tf.sub(x, mean), std);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), axis: this.axis, invert: this.invert, mean: null, variance: null };
  }
}

tf.serialization.registerClass(Normalization);

/** `layerlab.normalization({ axis: -1 })`. */
export const normalization = (args: NormalizationArgs = {}): Normalization => new Normalization(args);
