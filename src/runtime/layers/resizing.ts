/**
 * Resizing and CenterCrop as tfjs custom layers. tfjs 4.22 has classes of these names, but they declare wrong
 * output shapes (and its CenterCrop overwrites its input's shape); these replace them in tfjs's serialization map
 * under the same class names (tf.layers.resizing / centerCrop still build tfjs's own).
 *
 * Both take (batch, height, width, channels) images and give (batch, height', width', channels); no weights.
 * - Resizing: optionally crops the largest centred window of the target's aspect ratio
 *   (`crop_to_aspect_ratio`), then resizes with 'bilinear' or 'nearest' interpolation.
 * - CenterCrop: the centred height' × width' window; an image smaller than that on either side is instead cropped
 *   to the target's aspect ratio and resized bilinearly (Keras's `smart_resize`).
 * Interpolation as Keras 3 computes it (keras/src/backend/jax/image.py `resize` → jax.image.resize, antialias off;
 * the same as tf.image.resize with half-pixel centers): output pixel i samples input position
 * s = (i + ½) · in / out − ½; bilinear blends the two nearest pixels (edges clamped), nearest takes floor(s + ½).
 * Each axis is resized with gathers (its gradient is an UnsortedSegmentSum), not tf.image.resizeBilinear: tfjs
 * 4.22's ResizeBilinearGrad kernels ignore half-pixel centers, so training through them would use wrong gradients.
 * Sources: Keras keras/src/layers/preprocessing/image_preprocessing/resizing.py and center_crop.py,
 * keras/src/utils/image_utils.py `smart_resize`, jax/_src/image/scale.py (`_resize_nearest`, `compute_weight_mat`).
 *
 * This file is self-contained (it imports only tfjs): Layerlab ships it, with the other files of this folder, as
 * the `layerlab-layers.ts` module generated TypeScript imports.
 */
import * as tf from '@tensorflow/tfjs';

/** The interpolations these layers compute (Keras 3 also has bicubic, lanczos3, lanczos5 and area; tfjs has no kernel for them). */
export type ResizingInterpolation = 'bilinear' | 'nearest';

/**
 * Resizes axis `axis` (1: height, 2: width) of a (batch, height, width, channels) tensor to `size` (see the file
 * comment for the sampling). Unchanged when the size already matches.
 */
function resizingAlongAxis(x: tf.Tensor, axis: 1 | 2, size: number, interpolation: ResizingInterpolation): tf.Tensor {
  const n = x.shape[axis] as number;
  if (n === size) return x;
  const at = (i: number) => Math.min(n - 1, Math.max(0, i));
  if (interpolation === 'nearest') {
    // jax `_resize_nearest`, in float32 as jax computes it: floor((i + 0.5) · n / size).
    const index = Array.from({ length: size }, (_v, i) => at(Math.floor(Math.fround(Math.fround(Math.fround(i + 0.5) * n) / size))));
    return tf.gather(x, tf.tensor1d(index, 'int32'), axis);
  }
  const low: number[] = [];
  const high: number[] = [];
  const frac: number[] = [];
  for (let i = 0; i < size; i++) {
    const s = ((i + 0.5) * n) / size - 0.5;
    const f = Math.floor(s);
    low.push(at(f));
    high.push(at(f + 1));
    frac.push(s - f);
  }
  const shape = axis === 1 ? [1, size, 1, 1] : [1, 1, size, 1];
  const w = tf.tensor(frac, shape);
  const a = tf.gather(x, tf.tensor1d(low, 'int32'), axis);
  const b = tf.gather(x, tf.tensor1d(high, 'int32'), axis);
  return tf.add(a, tf.mul(tf.sub(b, a), w));
}

/** Resizes a (batch, height, width, channels) tensor to height × width. */
function resizingImages(x: tf.Tensor, height: number, width: number, interpolation: ResizingInterpolation): tf.Tensor {
  return resizingAlongAxis(resizingAlongAxis(x, 1, height, interpolation), 2, width, interpolation);
}

/**
 * The largest centred window of a height × width image with the target's aspect ratio (Keras `smart_resize` and
 * jax `resize(crop_to_aspect_ratio=True)`): sizes truncated as Python's int() does, at least 1.
 */
function resizingAspectCrop(x: tf.Tensor, height: number, width: number): tf.Tensor {
  const [h, w] = [x.shape[1]!, x.shape[2]!];
  const cropH = Math.max(Math.min(h, Math.trunc((w * height) / width)), 1);
  const cropW = Math.max(Math.min(w, Math.trunc((h * width) / height)), 1);
  if (cropH === h && cropW === w) return x;
  return tf.slice(x, [0, Math.trunc((h - cropH) / 2), Math.trunc((w - cropW) / 2), 0], [-1, cropH, cropW, -1]);
}

/** The arguments of Resizing and CenterCrop: Keras's height and width plus tfjs's common layer arguments. */
export interface CenterCropArgs extends NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]> {
  /** Output height in pixels. */
  readonly height: number;
  /** Output width in pixels. */
  readonly width: number;
}

/** The arguments of Resizing. */
export interface ResizingArgs extends CenterCropArgs {
  /** 'bilinear' (default) or 'nearest'. */
  readonly interpolation?: ResizingInterpolation;
  /** Crop to the target's aspect ratio before resizing (default false). */
  readonly cropToAspectRatio?: boolean;
}

/** What Resizing and CenterCrop share: the size arguments, the rank check and the output shape. */
abstract class ImageSizeLayer extends tf.layers.Layer {
  readonly height: number;
  readonly width: number;

  /** @throws Error when height or width is not a whole number ≥ 1. */
  constructor(args: CenterCropArgs) {
    super(args);
    for (const key of ['height', 'width'] as const)
      if (!Number.isInteger(args[key]) || args[key] < 1)
        throw new Error(`${this.getClassName()}: ${key} must be a whole number of pixels ≥ 1, got ${JSON.stringify(args[key]) ?? typeof args[key]}`);
    this.height = args.height;
    this.width = args.width;
  }

  /** (batch, h, w, c) → (batch, height, width, c). @throws Error for an input that is not of rank 4. */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    if (shape.length !== 4)
      throw new Error(`${this.getClassName()} expects images of shape (batch, height, width, channels), got an input of rank ${shape.length}`);
    return [shape[0], this.height, this.width, shape[3]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      if (x.rank !== 4) throw new Error(`${this.getClassName()} expects images of shape (batch, height, width, channels), got an input of rank ${x.rank}`);
      return this.transform(x);
    });
  }

  /** The layer's function on a rank-4 tensor. */
  protected abstract transform(x: tf.Tensor): tf.Tensor;

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), height: this.height, width: this.width };
  }
}

/** Keras Resizing: resizes images to height × width (bilinear or nearest), optionally cropping to the aspect ratio first. */
export class Resizing extends ImageSizeLayer {
  static readonly className = 'Resizing';
  readonly interpolation: ResizingInterpolation;
  readonly cropToAspectRatio: boolean;

  /** @throws Error for an interpolation other than 'bilinear' and 'nearest' (tfjs has no kernel for the others). */
  constructor(args: ResizingArgs) {
    super(args);
    const interpolation = args.interpolation ?? 'bilinear';
    if (interpolation !== 'bilinear' && interpolation !== 'nearest')
      throw new Error(`Resizing: interpolation must be 'bilinear' or 'nearest' (tfjs 4.22 cannot compute others), got ${JSON.stringify(interpolation)}`);
    this.interpolation = interpolation;
    this.cropToAspectRatio = args.cropToAspectRatio ?? false;
  }

  protected transform(x: tf.Tensor): tf.Tensor {
    const source = this.cropToAspectRatio ? resizingAspectCrop(x, this.height, this.width) : x;
    return resizingImages(source, this.height, this.width, this.interpolation);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), interpolation: this.interpolation, cropToAspectRatio: this.cropToAspectRatio };
  }
}

/** Keras CenterCrop: the centred height × width window; smaller images are cropped to the aspect ratio and resized. */
export class CenterCrop extends ImageSizeLayer {
  static readonly className = 'CenterCrop';

  protected transform(x: tf.Tensor): tf.Tensor {
    const [h, w] = [x.shape[1]!, x.shape[2]!];
    if (h >= this.height && w >= this.width)
      return tf.slice(x, [0, Math.floor((h - this.height) / 2), Math.floor((w - this.width) / 2), 0], [-1, this.height, this.width, -1]);
    return resizingImages(resizingAspectCrop(x, this.height, this.width), this.height, this.width, 'bilinear');
  }
}

tf.serialization.registerClass(Resizing);
tf.serialization.registerClass(CenterCrop);

/** `layerlab.resizing({ height, width })`, replacing tf.layers.resizing (whose output shape is wrong in tfjs 4.22). */
export const resizing = (args: ResizingArgs): Resizing => new Resizing(args);
/** `layerlab.centerCrop({ height, width })`, replacing tf.layers.centerCrop. */
export const centerCrop = (args: CenterCropArgs): CenterCrop => new CenterCrop(args);
