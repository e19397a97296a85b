/**
 * What the Python stand-in (keras_standin.py) needs to know about Layerlab's layers, taken from the core so that a
 * kind added to the registry is importable from code at once: every Keras class name (each kind's `kerasClass` and
 * its `keras.aliases`, mapped to the canonical class) and the arguments Keras takes positionally, in order.
 */
import { LAYER_DEFS } from '../../core/layers/registry';
import type { LayerDef } from '../../core/layers/define';
import type { ParamValue } from '../../core/graph/types';

/** One class the stand-in offers as `keras.layers.<name>`. */
export interface StandinClass {
  /** The class Keras 3 writes for it (an alias maps to its kind's class: Convolution2D → Conv2D). */
  readonly canonical: string;
  /** Arguments Keras takes by position, in Keras's order: `Conv2D(32, (3, 3), 2, 'same')`. */
  readonly positional: readonly string[];
  /** The `module` Keras 3 writes for the class, when the kind declares one (the attention layers). */
  readonly module?: string;
  /** Arguments Keras requires (no default: `Dense()` raises); the stand-in raises as Keras does when one is missing. */
  readonly required: readonly string[];
  /**
   * Keras's defaults of the arguments Keras writes into every config and the importer therefore requires (`always`
   * in the core), where Keras has a default (MaxPooling2D pool_size (2, 2)): the stand-in writes them when omitted.
   */
  readonly defaults: Readonly<Record<string, ParamValue>>;
}

/**
 * The `always` parameters (written in every Keras config) that Keras's constructors require, by argument name: the
 * others of them have Keras defaults (pool_size, size, padding, cropping, groups). Keras 3.15 signatures.
 */
const KERAS_REQUIRED = new Set([
  'units',
  'filters',
  'kernel_size',
  'rate',
  'stddev',
  'input_dim',
  'output_dim',
  'target_shape',
  'dims',
  'n',
  'activation',
  'num_heads',
  'key_dim',
  'height',
  'width',
  'scale',
  'layer',
  'axes',
]);

/**
 * Keras's positional arguments where they are not the kind's parameters in the core's order: Keras puts arguments
 * Layerlab does not model (data_format, axis, initializers) between them or before them, e.g. `Conv2D(filters,
 * kernel_size, strides, padding, data_format, dilation_rate, groups, activation, use_bias)`
 * (keras/src/layers/convolutional/conv2d.py) or `BatchNormalization(axis, momentum, epsilon, center, scale)`. An
 * argument the core does not model is still recorded under its name, and the importer judges it like a file's key
 * (`data_format='channels_last'` accepted, `'channels_first'` refused by name). Keras 3.15 signatures.
 * A kind not listed takes its parameters in the core's order (Dense(units, activation, use_bias), MultiHeadAttention).
 * TODO(lead): this belongs on the layer definitions (a `keras.positional` fact in core/layers), which another helper
 * was editing when this was written.
 */
const CONV = ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'groups', 'activation', 'use_bias'];
const POOL = ['pool_size', 'strides', 'padding', 'data_format'];
const GLOBAL_POOL = ['data_format', 'keepdims'];
const KERAS_POSITIONAL: Readonly<Record<string, readonly string[]>> = {
  Flatten: ['data_format'],
  Dropout: ['rate', 'noise_shape', 'seed'],
  Embedding: ['input_dim', 'output_dim', 'embeddings_initializer', 'embeddings_regularizer', 'embeddings_constraint', 'mask_zero'],
  Conv1D: CONV,
  Conv2D: CONV,
  Conv3D: CONV,
  SeparableConv2D: ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'depth_multiplier', 'activation', 'use_bias'],
  DepthwiseConv2D: ['kernel_size', 'strides', 'padding', 'depth_multiplier', 'data_format', 'dilation_rate', 'activation', 'use_bias'],
  Conv2DTranspose: ['filters', 'kernel_size', 'strides', 'padding'],
  Conv1DTranspose: ['filters', 'kernel_size', 'strides', 'padding'],
  UpSampling2D: ['size', 'data_format', 'interpolation'],
  MaxPooling1D: POOL,
  MaxPooling2D: POOL,
  MaxPooling3D: POOL,
  AveragePooling1D: POOL,
  AveragePooling2D: POOL,
  AveragePooling3D: POOL,
  GlobalMaxPooling1D: GLOBAL_POOL,
  GlobalMaxPooling2D: GLOBAL_POOL,
  GlobalMaxPooling3D: GLOBAL_POOL,
  GlobalAveragePooling1D: GLOBAL_POOL,
  GlobalAveragePooling2D: GLOBAL_POOL,
  GlobalAveragePooling3D: GLOBAL_POOL,
  BatchNormalization: ['axis', 'momentum', 'epsilon', 'center', 'scale'],
  SimpleRNN: ['units', 'activation', 'use_bias'],
  LSTM: ['units', 'activation', 'recurrent_activation', 'use_bias'],
  GRU: ['units', 'activation', 'recurrent_activation', 'use_bias'],
  ReLU: ['max_value', 'negative_slope', 'threshold'],
  PReLU: ['alpha_initializer', 'alpha_regularizer', 'alpha_constraint', 'shared_axes'],
  Normalization: ['axis', 'mean', 'variance', 'invert'],
};

/** Keras's positional arguments of a kind: `KERAS_POSITIONAL`, else its own parameters in order (a wrapper's `layer` first). */
function positionalOf(def: LayerDef): readonly string[] {
  const listed = KERAS_POSITIONAL[def.kerasClass];
  if (listed) return listed;
  const own = Object.entries(def.params).filter(([, s]) => !s.inner && !s.call);
  return [...own.filter(([, s]) => s.type === 'layer'), ...own.filter(([, s]) => s.type !== 'layer')].map(([k]) => k);
}

/** The stand-in's classes by the name code uses (canonical classes and aliases), from the registry. */
export function standinClasses(): Record<string, StandinClass> {
  const out: Record<string, StandinClass> = {};
  for (const def of LAYER_DEFS) {
    if (def.kind === 'Input') continue;
    const always = Object.entries(def.params).filter(([, s]) => s.always && !s.inner && s.type !== 'layer');
    const entry: StandinClass = {
      canonical: def.kerasClass,
      positional: positionalOf(def),
      required: Object.entries(def.params)
        .filter(([k, s]) => (s.always || s.type === 'layer') && !s.inner && KERAS_REQUIRED.has(k))
        .map(([k]) => k),
      defaults: Object.fromEntries(always.filter(([k]) => !KERAS_REQUIRED.has(k)).map(([k, s]) => [k, s.kerasDefault ?? s.default])),
      ...(def.keras?.module ? { module: def.keras.module } : {}),
    };
    for (const name of [def.kerasClass, ...(def.keras?.aliases ?? [])]) out[name] = entry;
  }
  return out;
}

/** The JSON the stand-in's `install` reads. */
export function standinSpecJson(): string {
  return JSON.stringify({ classes: standinClasses() });
}
