/**
 * The 1-D and 3-D reshaping and global pooling layers Keras has and tfjs 4.22 lacks (tfjs has only the 2-D ones),
 * as tfjs custom layers: Cropping1D, Cropping3D, ZeroPadding1D, ZeroPadding3D, UpSampling1D, UpSampling3D,
 * GlobalAveragePooling3D and GlobalMaxPooling3D. Channels last only (Keras's `data_format='channels_last'`). No
 * weights. Each copies, pads, repeats or reduces values with tfjs ops that every backend, wasm included, can
 * differentiate (slice, pad, reshape, tile, mean, max).
 * Sources (Keras 3): keras/src/layers/reshaping/cropping1d.py, cropping3d.py, zero_padding1d.py,
 * zero_padding3d.py, up_sampling1d.py (`ops.repeat(x, size, axis=1)`), up_sampling3d.py (`_resize_volumes`:
 * repeat along axes 1, 2, 3), keras/src/layers/pooling/base_global_pooling.py and global_*_pooling3d.py.
 *
 * This file is self-contained (it imports only tfjs): Layerlab ships it, with the other files of this folder, as
 * the `layerlab-layers.ts` module generated TypeScript imports.
 */
import * as tf from '@tensorflow/tfjs';

/** tfjs's common layer arguments (name, inputShape, trainable…), as `tf.layers.*` factories take them. */
type SpatialBaseArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Keras's `data_format`: only channels last (tfjs's 'channelsLast' or Keras's 'channels_last'). */
export interface SpatialDataFormatArgs {
  readonly dataFormat?: 'channelsLast' | 'channels_last';
}

/**
 * The `(start, end)` pair of each of `axes` spatial axes, from Keras's argument forms: one integer for every side,
 * `axes` integers (one per axis, both ends), `axes` pairs, or — for one axis — a flat pair.
 * @throws Error naming the layer, the argument and the value when it has another form or a negative entry.
 */
function spatialPairs(value: unknown, axes: number, what: string, arg: string): [number, number][] {
  const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  const fail = (): never => {
    const forms = axes === 1 ? 'an integer ≥ 0 or two of them (start, end)' : `an integer ≥ 0, ${axes} of them, or ${axes} pairs (start, end)`;
    throw new Error(`${what}: ${arg} must be ${forms}; got ${JSON.stringify(value) ?? String(value)}`);
  };
  if (isCount(value)) return Array.from({ length: axes }, () => [value, value]);
  if (!Array.isArray(value)) return fail();
  const list = value as unknown[];
  if (axes === 1 && list.length === 2 && list.every(isCount)) return [[list[0], list[1]]];
  if (list.length !== axes) return fail();
  return list.map((entry) => {
    if (isCount(entry)) return [entry, entry];
    if (Array.isArray(entry) && entry.length === 2 && entry.every(isCount)) return [entry[0], entry[1]];
    return fail();
  });
}

/** Checks Keras's `data_format` argument: channels last only. @throws Error naming the layer and the value. */
function spatialChannelsLast(what: string, format: unknown): void {
  if (format !== undefined && format !== null && format !== 'channelsLast' && format !== 'channels_last')
    throw new Error(`${what}: only data_format 'channels_last' is supported; got ${JSON.stringify(format)}`);
}

/** The Keras class name of a layer class (its static `className`; a class's own name does not survive minification). */
const spatialClassName = (cls: unknown): string => (cls as { className: string }).className;

/** The one input tensor of a single-input layer. */
const spatialInput = (inputs: tf.Tensor | tf.Tensor[]): tf.Tensor => (Array.isArray(inputs) ? inputs[0] : inputs);

/**
 * Repeats every entry of `axis` of `x` `times` times in place ([a, b] → [a, a, b, b]), as numpy's `repeat`:
 * reshape to (before, n, 1, after), tile the new axis, reshape back. Rank-4 work tensors whatever the input's rank.
 */
function spatialRepeat(x: tf.Tensor, axis: number, times: number): tf.Tensor {
  if (times === 1) return x;
  const before = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const after = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const n = x.shape[axis];
  const out = [...x.shape];
  out[axis] = n * times;
  return tf.reshape(tf.tile(tf.reshape(x, [before, n, 1, after]), [1, 1, times, 1]), out);
}

// ---- Cropping1D / Cropping3D ----

/** The arguments of Cropping1D / Cropping3D: Keras's `cropping` in any of its forms, plus tfjs's common layer arguments. */
export interface CroppingArgs extends SpatialBaseArgs, SpatialDataFormatArgs {
  /** Cropping1D: n or (start, end); Cropping3D: n, (d, h, w) or ((d₁, d₂), (h₁, h₂), (w₁, w₂)). Keras defaults: (1, 1) and ((1, 1), (1, 1), (1, 1)). */
  readonly cropping?: number | readonly number[] | readonly (readonly number[])[];
}

/** Cuts `cropping` entries off both ends of each spatial axis (axes 1…rank); the channels are kept. */
abstract class SpatialCropping extends tf.layers.Layer {
  readonly cropping: [number, number][];
  protected abstract readonly rank: number;

  constructor(args: CroppingArgs, rank: number) {
    super(args);
    spatialChannelsLast(spatialClassName(new.target), args.dataFormat);
    this.cropping = spatialPairs(args.cropping ?? 1, rank, spatialClassName(new.target), 'cropping');
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    this.inputSpec = [{ ndim: this.rank + 2 }];
    super.build(inputShape);
  }

  /** (batch, n₁ − a₁ − b₁, …, c). @throws Error when a crop leaves nothing on an axis (Keras's ValueError). */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return s.map((n, i) => {
      if (i === 0 || i > this.rank || n === null) return n;
      const [a, b] = this.cropping[i - 1];
      if (n - a - b <= 0) throw new Error(`${this.getClassName()}: cropping ${a}+${b} on axis ${i} leaves nothing of its ${n} entries`);
      return n - a - b;
    });
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = spatialInput(inputs);
      const out = this.computeOutputShape(x.shape) as number[];
      return tf.slice(x, [0, ...this.cropping.map(([a]) => a), 0], out);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), cropping: this.rank === 1 ? this.cropping[0] : this.cropping };
  }
}

/** Keras Cropping1D: (batch, steps, c) → (batch, steps − start − end, c). */
export class Cropping1D extends SpatialCropping {
  static readonly className = 'Cropping1D';
  protected readonly rank = 1;
  constructor(args: CroppingArgs = {}) {
    super(args, 1);
  }
}

/** Keras Cropping3D: (batch, d, h, w, c) → (batch, d − d₁ − d₂, h − h₁ − h₂, w − w₁ − w₂, c). */
export class Cropping3D extends SpatialCropping {
  static readonly className = 'Cropping3D';
  protected readonly rank = 3;
  constructor(args: CroppingArgs = {}) {
    super(args, 3);
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), dataFormat: 'channelsLast' };
  }
}

// ---- ZeroPadding1D / ZeroPadding3D ----

/** The arguments of ZeroPadding1D / ZeroPadding3D: Keras's `padding` in any of its forms, plus tfjs's common layer arguments. */
export interface ZeroPaddingArgs extends SpatialBaseArgs, SpatialDataFormatArgs {
  /** ZeroPadding1D: n or (start, end); ZeroPadding3D: n, (d, h, w) or ((d₁, d₂), (h₁, h₂), (w₁, w₂)). Keras's default: 1 everywhere. */
  readonly padding?: number | readonly number[] | readonly (readonly number[])[];
}

/** Adds `padding` zeros at both ends of each spatial axis (axes 1…rank). */
abstract class SpatialZeroPadding extends tf.layers.Layer {
  readonly padding: [number, number][];
  protected abstract readonly rank: number;

  constructor(args: ZeroPaddingArgs, rank: number) {
    super(args);
    spatialChannelsLast(spatialClassName(new.target), args.dataFormat);
    this.padding = spatialPairs(args.padding ?? 1, rank, spatialClassName(new.target), 'padding');
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    this.inputSpec = [{ ndim: this.rank + 2 }];
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return s.map((n, i) => (i === 0 || i > this.rank || n === null ? n : n + this.padding[i - 1][0] + this.padding[i - 1][1]));
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.pad(spatialInput(inputs), [[0, 0], ...this.padding, [0, 0]]));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), padding: this.rank === 1 ? this.padding[0] : this.padding, dataFormat: 'channelsLast' };
  }
}

/** Keras ZeroPadding1D: (batch, steps, c) → (batch, steps + start + end, c). */
export class ZeroPadding1D extends SpatialZeroPadding {
  static readonly className = 'ZeroPadding1D';
  protected readonly rank = 1;
  constructor(args: ZeroPaddingArgs = {}) {
    super(args, 1);
  }
}

/** Keras ZeroPadding3D: (batch, d, h, w, c) → (batch, d + d₁ + d₂, h + h₁ + h₂, w + w₁ + w₂, c). */
export class ZeroPadding3D extends SpatialZeroPadding {
  static readonly className = 'ZeroPadding3D';
  protected readonly rank = 3;
  constructor(args: ZeroPaddingArgs = {}) {
    super(args, 3);
  }
}

// ---- UpSampling1D / UpSampling3D ----

/** The arguments of UpSampling1D (`size` one integer, Keras default 2) and UpSampling3D (one integer or three, default (2, 2, 2)). */
export interface UpSamplingArgs extends SpatialBaseArgs, SpatialDataFormatArgs {
  readonly size?: number | readonly number[];
}

/** Repeats every entry of each spatial axis `size` times (nearest neighbour). */
abstract class SpatialUpSampling extends tf.layers.Layer {
  readonly size: number[];
  protected abstract readonly rank: number;

  constructor(args: UpSamplingArgs, rank: number) {
    super(args);
    const what = spatialClassName(new.target);
    spatialChannelsLast(what, args.dataFormat);
    const v = args.size ?? 2;
    const size = typeof v === 'number' ? new Array<number>(rank).fill(v) : [...v];
    if (size.length !== rank || !size.every((s) => Number.isInteger(s) && s >= 1))
      throw new Error(`${what}: size must be ${rank === 1 ? 'an integer ≥ 1' : `an integer ≥ 1 or ${rank} of them`}; got ${JSON.stringify(v)}`);
    this.size = size;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    this.inputSpec = [{ ndim: this.rank + 2 }];
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return s.map((n, i) => (i === 0 || i > this.rank || n === null ? n : n * this.size[i - 1]));
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => this.size.reduce((x, times, i) => spatialRepeat(x, i + 1, times), spatialInput(inputs)));
  }
}

/** Keras UpSampling1D: (batch, steps, c) → (batch, steps·size, c). Its config's `size` is one integer, as Keras writes it. */
export class UpSampling1D extends SpatialUpSampling {
  static readonly className = 'UpSampling1D';
  protected readonly rank = 1;
  constructor(args: UpSamplingArgs = {}) {
    super(args, 1);
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), size: this.size[0] };
  }
}

/** Keras UpSampling3D: (batch, d, h, w, c) → (batch, d·s₁, h·s₂, w·s₃, c). */
export class UpSampling3D extends SpatialUpSampling {
  static readonly className = 'UpSampling3D';
  protected readonly rank = 3;
  constructor(args: UpSamplingArgs = {}) {
    super(args, 3);
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), size: this.size, dataFormat: 'channelsLast' };
  }
}

// ---- GlobalAveragePooling3D / GlobalMaxPooling3D ----

/** The arguments of the 3-D global pooling layers: Keras's `keepdims` (default false). */
export interface GlobalPooling3DArgs extends SpatialBaseArgs, SpatialDataFormatArgs {
  readonly keepdims?: boolean;
}

/** Reduces depth, height and width (axes 1, 2, 3) of a (batch, d, h, w, c) input. */
abstract class SpatialGlobalPooling3D extends tf.layers.Layer {
  readonly keepdims: boolean;
  protected abstract reduce(x: tf.Tensor, keepdims: boolean): tf.Tensor;

  constructor(args: GlobalPooling3DArgs = {}) {
    super(args);
    spatialChannelsLast(spatialClassName(new.target), args.dataFormat);
    this.keepdims = args.keepdims ?? false;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    this.inputSpec = [{ ndim: 5 }];
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return this.keepdims ? [s[0], 1, 1, 1, s[4]] : [s[0], s[4]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => this.reduce(spatialInput(inputs), this.keepdims));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), dataFormat: 'channelsLast', keepdims: this.keepdims };
  }
}

/** Keras GlobalAveragePooling3D: the mean of each channel over the volume (`ops.mean(x, axis=[1, 2, 3])`). */
export class GlobalAveragePooling3D extends SpatialGlobalPooling3D {
  static readonly className = 'GlobalAveragePooling3D';
  protected reduce(x: tf.Tensor, keepdims: boolean): tf.Tensor {
    return tf.mean(x, [1, 2, 3], keepdims);
  }
}

/** Keras GlobalMaxPooling3D: the largest value of each channel over the volume (`ops.max(x, axis=[1, 2, 3])`). */
export class GlobalMaxPooling3D extends SpatialGlobalPooling3D {
  static readonly className = 'GlobalMaxPooling3D';
  protected reduce(x: tf.Tensor, keepdims: boolean): tf.Tensor {
    return tf.max(x, [1, 2, 3], keepdims);
  }
}

tf.serialization.registerClass(Cropping1D);
tf.serialization.registerClass(Cropping3D);
tf.serialization.registerClass(ZeroPadding1D);
tf.serialization.registerClass(ZeroPadding3D);
tf.serialization.registerClass(UpSampling1D);
tf.serialization.registerClass(UpSampling3D);
tf.serialization.registerClass(GlobalAveragePooling3D);
tf.serialization.registerClass(GlobalMaxPooling3D);

/** `layerlab.cropping1d({ cropping: [1, 2] })`. */
export const cropping1d = (args: CroppingArgs = {}): Cropping1D => new Cropping1D(args);
/** `layerlab.cropping3d({ cropping: [[1, 1], [0, 2], [2, 0]] })`. */
export const cropping3d = (args: CroppingArgs = {}): Cropping3D => new Cropping3D(args);
/** `layerlab.zeroPadding1d({ padding: [1, 2] })`. */
export const zeroPadding1d = (args: ZeroPaddingArgs = {}): ZeroPadding1D => new ZeroPadding1D(args);
/** `layerlab.zeroPadding3d({ padding: [[1, 1], [0, 2], [2, 0]] })`. */
export const zeroPadding3d = (args: ZeroPaddingArgs = {}): ZeroPadding3D => new ZeroPadding3D(args);
/** `layerlab.upSampling1d({ size: 2 })`. */
export const upSampling1d = (args: UpSamplingArgs = {}): UpSampling1D => new UpSampling1D(args);
/** `layerlab.upSampling3d({ size: [2, 2, 2] })`. */
export const upSampling3d = (args: UpSamplingArgs = {}): UpSampling3D => new UpSampling3D(args);
/** `layerlab.globalAveragePooling3d({ keepdims: false })`. */
export const globalAveragePooling3d = (args: GlobalPooling3DArgs = {}): GlobalAveragePooling3D => new GlobalAveragePooling3D(args);
/** `layerlab.globalMaxPooling3d({ keepdims: false })`. */
export const globalMaxPooling3d = (args: GlobalPooling3DArgs = {}): GlobalMaxPooling3D => new GlobalMaxPooling3D(args);
