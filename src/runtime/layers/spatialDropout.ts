/**
 * SpatialDropout2D and SpatialDropout3D as tfjs custom layers (tfjs 4.22 has only SpatialDropout1D).
 *
 * While training, each sample drops whole feature maps: one keep-or-drop draw per (sample, channel),
 * broadcast over the spatial axes, and the kept values scaled by 1 / (1 − rate); outside training the
 * layer is the identity. Shape unchanged. Input (batch, height, width, channels) for 2D and
 * (batch, depth, height, width, channels) for 3D (channels last). No weights.
 * Source: Keras keras/src/layers/regularization/spatial_dropout.py (`SpatialDropout2D`,
 * `_get_noise_shape` = (batch, 1, 1, channels)); tfjs-layers src/layers/core.ts `SpatialDropout1D`, which
 * does the same for sequences with noise shape (batch, 1, channels).
 *
 * This file is self-contained (it imports only tfjs): Layerlab ships it, with the other files of this
 * folder, as the `layerlab-layers.ts` module generated TypeScript imports.
 */
import * as tf from '@tensorflow/tfjs';

/** The arguments of a spatial dropout layer: Keras's `rate` plus tfjs's common layer arguments (name, inputShape…). */
export interface SpatialDropoutArgs extends NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]> {
  /** Fraction of the feature maps dropped while training, 0 ≤ rate < 1. */
  readonly rate: number;
  /** Seed of the random draws (Keras's `seed`); unseeded when absent. */
  readonly seed?: number;
}

/** What SpatialDropout2D and 3D share; `rank` is the number of spatial axes. */
abstract class SpatialDropout extends tf.layers.Layer {
  readonly rate: number;
  readonly seed?: number;
  protected abstract readonly rank: number;

  constructor(args: SpatialDropoutArgs) {
    super(args);
    if (!(args.rate >= 0 && args.rate < 1)) throw new Error(`${new.target.name}: rate must be ≥ 0 and < 1, got ${String(args.rate)}`);
    this.rate = args.rate;
    this.seed = args.seed;
    this.supportsMasking = true;
  }

  /** Sets Keras's InputSpec (ndim = rank + 2) once the subclass's rank is known. */
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    this.inputSpec = [{ ndim: this.rank + 2 }];
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      if (x.rank !== this.rank + 2) throw new Error(`${this.getClassName()} expects an input of rank ${this.rank + 2}, got rank ${x.rank}`);
      if (kwargs.training !== true || this.rate === 0) return x;
      // One draw per (sample, channel), broadcast over the spatial axes (Keras `_get_noise_shape`).
      const noiseShape = [x.shape[0], ...new Array<number>(this.rank).fill(1), x.shape[x.rank - 1]];
      return tf.dropout(x, this.rate, noiseShape, this.seed);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = { ...super.getConfig(), rate: this.rate };
    if (this.seed !== undefined) config.seed = this.seed;
    return config;
  }
}

/** Keras SpatialDropout2D: drops whole channels of a (batch, height, width, channels) input while training. */
export class SpatialDropout2D extends SpatialDropout {
  static readonly className = 'SpatialDropout2D';
  protected readonly rank = 2;
}

/** Keras SpatialDropout3D: drops whole channels of a (batch, depth, height, width, channels) input while training. */
export class SpatialDropout3D extends SpatialDropout {
  static readonly className = 'SpatialDropout3D';
  protected readonly rank = 3;
}

tf.serialization.registerClass(SpatialDropout2D);
tf.serialization.registerClass(SpatialDropout3D);

/** `layerlab.spatialDropout2d({ rate })`, as `tf.layers.spatialDropout1d`. */
export const spatialDropout2d = (args: SpatialDropoutArgs): SpatialDropout2D => new SpatialDropout2D(args);
/** `layerlab.spatialDropout3d({ rate })`. */
export const spatialDropout3d = (args: SpatialDropoutArgs): SpatialDropout3D => new SpatialDropout3D(args);
