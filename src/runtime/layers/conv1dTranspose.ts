/**
 * Keras Conv1DTranspose as a tfjs custom layer (tfjs 4.22 has Conv2DTranspose and Conv3DTranspose only).
 *
 * Source: Keras keras/src/layers/convolutional/conv1d_transpose.py and base_conv_transpose.py (arguments,
 * kernel of shape (kernel_size, filters, input channels), bias (filters), in that order), the JAX backend's
 * `conv_transpose` (keras/src/backend/jax/nn.py: `jax.lax.conv_transpose(..., transpose_kernel=True)` with the
 * explicit paddings of keras/src/backend/common/backend_utils.py
 * `_convert_conv_transpose_padding_args_from_keras_to_jax`). What that computes, written with tfjs ops that every
 * backend can differentiate (wasm needs Layerlab's Conv2DBackpropFilter kernel, as for Conv1D):
 *   1. insert strides − 1 zeros between the input steps (lhs dilation), by reshape, pad and slice;
 *   2. pad (left, right) zeros, Keras's paddings for 'valid' / 'same' and output_padding;
 *   3. correlate with the kernel flipped along its taps, its channel axes swapped to (k, in, filters) and its taps
 *      spread dilation_rate apart (zeros between them: a plain conv1d, whose gradient tfjs has for every backend —
 *      tfjs has none for dilated convolutions);
 *   4. add the bias, apply the activation.
 * Output length (Keras `compute_conv_transpose_output_shape`), with k' = (k − 1)·d + 1:
 *   valid: (n − 1)·s + k' + (output_padding ?? max(k', s) − k'); same: n·s, or (n − 1)·s + k' mod 2 + output_padding.
 *
 * This file is self-contained (it imports only tfjs): Layerlab ships it, with the other files of this folder, as the
 * `layerlab-layers.ts` module generated TypeScript imports.
 */
import * as tf from '@tensorflow/tfjs';

/** A tfjs weight initializer (tfjs exports the factories but not the class). */
type Conv1DTransposeInitializer = ReturnType<typeof tf.initializers.ones>;

/** An initializer as tfjs layers take it: the object, its camelCase name ('glorotUniform'), or its serialized form. */
export type Conv1DTransposeInitializerArg = Conv1DTransposeInitializer | string | { readonly className: string; readonly config?: object };

/** The arguments of Conv1DTranspose: Keras's, in tfjs's camelCase, plus tfjs's common layer arguments (name, inputShape…). */
export interface Conv1DTransposeArgs extends NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]> {
  /** Number of output channels, ≥ 1. */
  readonly filters: number;
  /** Taps of the kernel: an integer or a one-entry list. */
  readonly kernelSize: number | readonly number[];
  /** Step between input positions in the output (default 1). */
  readonly strides?: number | readonly number[];
  /** 'valid' (default) or 'same'. */
  readonly padding?: 'valid' | 'same';
  /** Extra steps at the end, < strides; absent or null: Keras's default (None). */
  readonly outputPadding?: number | readonly number[] | null;
  /** Spacing of the kernel taps (default 1; > 1 only with strides 1, as Keras requires). */
  readonly dilationRate?: number | readonly number[];
  /** A tfjs activation name (default 'linear'). */
  readonly activation?: string;
  /** Add a bias per filter (default true). */
  readonly useBias?: boolean;
  /** Default glorotUniform, Keras's. */
  readonly kernelInitializer?: Conv1DTransposeInitializerArg;
  /** Default zeros, Keras's. */
  readonly biasInitializer?: Conv1DTransposeInitializerArg;
  /** Only 'channelsLast' (Keras's 'channels_last'). */
  readonly dataFormat?: 'channelsLast' | 'channels_last';
}

/** One integer from an integer or a one-entry list. @throws Error naming the argument when it is neither, or below `min`. */
function conv1dTransposeInt(value: unknown, arg: string, min: number): number {
  const v = Array.isArray(value) && value.length === 1 ? (value[0] as unknown) : value;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
    throw new Error(`Conv1DTranspose: ${arg} must be an integer ≥ ${min} (or a list of one); got ${JSON.stringify(value) ?? String(value)}`);
  return v;
}

/** An initializer from any of its argument forms (`fallback` when absent). @throws Error naming an unknown initializer. */
function conv1dTransposeInitializer(value: Conv1DTransposeInitializerArg | undefined, fallback: () => Conv1DTransposeInitializer): Conv1DTransposeInitializer {
  if (value === undefined || value === null) return fallback();
  if (typeof value === 'object' && 'apply' in value && typeof value.apply === 'function') return value;
  const className = typeof value === 'string' ? value : (value as { className: string }).className;
  const config = typeof value === 'string' ? {} : ((value as { config?: object }).config ?? {});
  const camel = className.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
  const factory = (tf.initializers as unknown as Record<string, ((c: object) => Conv1DTransposeInitializer) | undefined>)[
    camel.charAt(0).toLowerCase() + camel.slice(1)
  ];
  if (typeof factory === 'function') return factory(config);
  const registered = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (registered) return registered[1](registered[0], config as tf.serialization.ConfigDict) as unknown as Conv1DTransposeInitializer;
  throw new Error(`Conv1DTranspose: unknown initializer ${JSON.stringify(className)}`);
}

/**
 * Keras's (left, right) zero padding of the lhs-dilated input (backend_utils.py
 * `_convert_conv_transpose_padding_args_from_keras_to_jax`), for effective kernel length `kd`.
 */
function conv1dTransposePadding(kd: number, stride: number, padding: 'valid' | 'same', outputPadding: number | null): [number, number] {
  if (padding === 'valid') {
    const op = outputPadding ?? Math.max(kd, stride) - kd;
    return [kd - 1, kd - 1 + op];
  }
  const total = outputPadding === null ? stride + kd - 2 : kd + (kd % 2) - 2 + outputPadding;
  const left = Math.min(Math.floor(total / 2) + (total % 2), kd - 1);
  return [left, total - left];
}

/** Keras Conv1DTranspose: (batch, steps, c_in) → (batch, steps', filters); kernel (k, filters, c_in), bias (filters). */
export class Conv1DTranspose extends tf.layers.Layer {
  static readonly className = 'Conv1DTranspose';
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: 'valid' | 'same';
  readonly outputPadding: number | null;
  readonly dilationRate: number;
  readonly activation: string;
  readonly useBias: boolean;
  readonly kernelInitializer: Conv1DTransposeInitializer;
  readonly biasInitializer: Conv1DTransposeInitializer;
  private readonly activationLayer: tf.layers.Layer;
  private kernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  /** @throws Error naming the argument for a value Keras refuses (output_padding ≥ strides, strides and dilation both > 1, …). */
  constructor(args: Conv1DTransposeArgs) {
    super(args);
    if (args.dataFormat !== undefined && args.dataFormat !== 'channelsLast' && args.dataFormat !== 'channels_last')
      throw new Error(`Conv1DTranspose: only data_format 'channels_last' is supported; got ${JSON.stringify(args.dataFormat)}`);
    this.filters = conv1dTransposeInt(args.filters, 'filters', 1);
    this.kernelSize = conv1dTransposeInt(args.kernelSize, 'kernelSize', 1);
    this.strides = conv1dTransposeInt(args.strides ?? 1, 'strides', 1);
    this.dilationRate = conv1dTransposeInt(args.dilationRate ?? 1, 'dilationRate', 1);
    const padding = args.padding ?? 'valid';
    if (padding !== 'valid' && padding !== 'same') throw new Error(`Conv1DTranspose: padding must be 'valid' or 'same'; got ${JSON.stringify(padding)}`);
    this.padding = padding;
    this.outputPadding = args.outputPadding === undefined || args.outputPadding === null ? null : conv1dTransposeInt(args.outputPadding, 'outputPadding', 0);
    if (this.outputPadding !== null && this.outputPadding >= this.strides)
      throw new Error(`Conv1DTranspose: outputPadding must be < strides; got outputPadding ${this.outputPadding} with strides ${this.strides}`);
    if (this.strides > 1 && this.dilationRate > 1)
      throw new Error(`Conv1DTranspose: strides > 1 cannot be combined with dilationRate > 1; got strides ${this.strides}, dilationRate ${this.dilationRate}`);
    this.activation = args.activation ?? 'linear';
    this.activationLayer = tf.layers.activation({ activation: this.activation as 'linear' });
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = conv1dTransposeInitializer(args.kernelInitializer, () => tf.initializers.glorotUniform({}));
    this.biasInitializer = conv1dTransposeInitializer(args.biasInitializer, () => tf.initializers.zeros());
  }

  /** The kernel's effective length: (k − 1)·d + 1. */
  private get effectiveKernel(): number {
    return (this.kernelSize - 1) * this.dilationRate + 1;
  }

  /** Makes the kernel (k, filters, c_in) and the bias (filters), Keras's layout and order; sets Keras's InputSpec. */
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    if (s.length !== 3) throw new Error(`Conv1DTranspose expects an input of rank 3 (batch, steps, channels), got rank ${s.length}`);
    const channels = s[s.length - 1];
    if (channels === null) throw new Error('Conv1DTranspose: the number of input channels (the last axis) must be known');
    this.kernel = this.addWeight('kernel', [this.kernelSize, this.filters, channels], 'float32', this.kernelInitializer, undefined, true);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', this.biasInitializer, undefined, true);
    this.inputSpec = [{ minNDim: 3, axes: { [-1]: channels } }];
    this.built = true;
  }

  /** (batch, steps', filters); steps' null for an unknown length. */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const n = s[1];
    if (n === null) return [s[0], null, this.filters];
    const [left, right] = conv1dTransposePadding(this.effectiveKernel, this.strides, this.padding, this.outputPadding);
    return [s[0], (n - 1) * this.strides + 1 + left + right - this.effectiveKernel + 1, this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      if (x.rank !== 3) throw new Error(`Conv1DTranspose expects an input of rank 3 (batch, steps, channels), got rank ${x.rank}`);
      const [batch, n, channels] = x.shape;
      const s = this.strides;
      const k = this.kernelSize;
      const d = this.dilationRate;
      const kd = this.effectiveKernel;
      // 1. strides − 1 zeros between the steps: (b, n, 1, c) padded to (b, n, s, c), flattened, the trailing zeros cut.
      let z: tf.Tensor3D = x;
      if (s > 1)
        z = tf.slice(
          tf.reshape(
            tf.pad(tf.reshape(x, [batch, n, 1, channels]), [
              [0, 0],
              [0, 0],
              [0, s - 1],
              [0, 0],
            ]),
            [batch, n * s, channels],
          ),
          [0, 0, 0],
          [batch, (n - 1) * s + 1, channels],
        ) as tf.Tensor3D;
      // 2. Keras's paddings.
      const [left, right] = conv1dTransposePadding(kd, s, this.padding, this.outputPadding);
      z = tf.pad(z, [
        [0, 0],
        [left, right],
        [0, 0],
      ]);
      // 3. The kernel flipped along its taps, as (k, c_in, filters), taps spread d apart.
      let w = tf.transpose(tf.reverse(this.kernel!.read(), 0), [0, 2, 1]) as tf.Tensor3D;
      if (d > 1)
        w = tf.slice(
          tf.reshape(
            tf.pad(tf.reshape(w, [k, 1, channels * this.filters]), [
              [0, 0],
              [0, d - 1],
              [0, 0],
            ]),
            [k * d, channels, this.filters],
          ),
          [0, 0, 0],
          [kd, channels, this.filters],
        ) as tf.Tensor3D;
      let y: tf.Tensor = tf.conv1d(z, w, 1, 'valid');
      // 4. Bias and activation.
      if (this.bias) y = tf.add(y, this.bias.read());
      return this.activationLayer.apply(y) as tf.Tensor;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const init = (i: Conv1DTransposeInitializer) => ({ className: i.getClassName(), config: i.getConfig() });
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: [this.kernelSize],
      strides: [this.strides],
      padding: this.padding,
      outputPadding: this.outputPadding === null ? null : [this.outputPadding],
      dataFormat: 'channelsLast',
      dilationRate: [this.dilationRate],
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: init(this.kernelInitializer),
      biasInitializer: init(this.biasInitializer),
    };
  }
}

tf.serialization.registerClass(Conv1DTranspose);

/** `layerlab.conv1dTranspose({ filters: 8, kernelSize: [3], strides: [2], padding: 'same' })`, as `tf.layers.conv2dTranspose`. */
export const conv1dTranspose = (args: Conv1DTransposeArgs): Conv1DTranspose => new Conv1DTranspose(args);
