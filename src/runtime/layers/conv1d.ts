/**
 * Conv1D with Keras's padding='causal', as a tfjs custom layer. tfjs 4.22's Conv1D accepts padding 'causal' when it
 * is made (and writes it to JSON) but throws "The support for CAUSAL padding mode in conv1dWithBias is not
 * implemented yet" when it runs, and declares the 'valid' output length. This class extends tfjs's own Conv1D
 * (taken from tfjs's serialization map, so every other argument, the weights `kernel` (k, c_in, filters) and
 * `bias` (filters), initializers, regularizers and constraints are tfjs's) and replaces it in that map under the
 * same class name, so a model JSON with a causal Conv1D loads and runs. Other paddings run tfjs's code unchanged.
 *
 * Causal, as Keras computes it (keras/src/layers/convolutional/base_conv.py `call`, which pads the steps axis on
 * the left by dilation_rate·(kernel_size − 1) and convolves 'valid'): output step t sees input steps ≤ t; with
 * strides s the output has ⌈steps / s⌉ steps (keras/src/ops/operation_utils.py `compute_conv_output_shape`).
 * Input (batch, steps, channels), channels last (tfjs's Conv1D has no channels-first form either).
 *
 * This file is self-contained (it imports only tfjs): Layerlab ships it, with the other files of this folder, as
 * the `layerlab-layers.ts` module generated TypeScript imports.
 */
import * as tf from '@tensorflow/tfjs';

/** The fields of tfjs's Conv1D this class reads (tfjs-layers src/layers/convolutional.ts `BaseConv`). */
interface TfjsConvFields {
  padding: string;
  readonly kernelSize: number[];
  readonly dilationRate: number | number[];
}

/** A layer class as tfjs registers it: constructed from its config, with the static `fromConfig` every Layer inherits. */
type LayerConstructor = (new (args: Record<string, unknown>) => tf.layers.Layer) & tf.serialization.SerializableConstructor<tf.layers.Layer>;

/** tfjs's own Conv1D class, as registered when tfjs loaded (before this module replaces it). */
const TfjsConv1D = tf.serialization.SerializationMap.getMap().classNameMap['Conv1D'][0] as unknown as LayerConstructor;

/** The constructor arguments: tfjs's `Conv1DLayerArgs` (camelCase Keras arguments), padding 'causal' allowed. */
export type Conv1DArgs = Record<string, unknown> & { filters: number; kernelSize: number | number[] };

/** Keras's Conv1D in tfjs, with padding 'causal' (see the file comment). */
export class Conv1D extends TfjsConv1D {
  /** @nocollapse */
  static className = 'Conv1D';

  private get conv(): TfjsConvFields {
    return this as unknown as TfjsConvFields;
  }

  /** How many steps a causal call pads on the left: dilation_rate·(kernel_size − 1). */
  private get causalPad(): number {
    const d = this.conv.dilationRate;
    return (Array.isArray(d) ? d[0] : d) * (this.conv.kernelSize[0] - 1);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    if (this.conv.padding !== 'causal') return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const padded = tf.pad(x, [
        [0, 0],
        [this.causalPad, 0],
        [0, 0],
      ]);
      // tfjs's call convolves with this.padding: 'valid' over the left-padded input is the causal convolution.
      this.conv.padding = 'valid';
      try {
        return super.call(padded, kwargs);
      } finally {
        this.conv.padding = 'causal';
      }
    });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    if (this.conv.padding !== 'causal') return super.computeOutputShape(inputShape);
    // tfjs's length rule for 'same' is ⌈steps / s⌉, the causal length.
    this.conv.padding = 'same';
    try {
      return super.computeOutputShape(inputShape);
    } finally {
      this.conv.padding = 'causal';
    }
  }
}
tf.serialization.registerClass(Conv1D);

/**
 * `layerlab.conv1d({ filters, kernelSize, padding: 'causal', … })`: a Conv1D that also runs padding 'causal'.
 * Input (batch, steps, channels) → (batch, steps', filters).
 */
export const conv1d = (args: Conv1DArgs): tf.layers.Layer => new Conv1D(args);
