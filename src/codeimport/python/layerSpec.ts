/**
 * What the Python stand-in (keras_standin.py) needs to know about Layerlab's layers, taken from the core so that a
 * kind added to the registry is importable from code at once: every Keras class name (each kind's `kerasClass` and
 * its `keras.aliases`, mapped to the canonical class) and the arguments Keras takes positionally, in order.
 */
import { LAYER_DEFS } from '../../core/layers/registry';
import type { LayerDef } from '../../core/layers/define';

/** One class the stand-in offers as `keras.layers.<name>`. */
export interface StandinClass {
  /** The class Keras 3 writes for it (an alias maps to its kind's class: Convolution2D → Conv2D). */
  readonly canonical: string;
  /** Arguments Keras takes by position, in Keras's order: `Conv2D(32, (3, 3), 2, 'same')`. */
  readonly positional: readonly string[];
  /** The `module` Keras 3 writes for the class, when the kind declares one (the attention layers). */
  readonly module?: string;
}

/**
 * How many of a kind's leading parameters (in the core's order, leaving out wrapped-layer and call arguments) Keras's
 * constructor takes in that position, where it is not all of them: Keras puts arguments Layerlab does not model
 * (data_format, axis, initializers) between them, e.g. `Conv2D(filters, kernel_size, strides, padding, data_format,
 * dilation_rate, …)` (keras/src/layers/convolutional/conv2d.py) or `BatchNormalization(axis, momentum, …)`.
 * A kind not listed takes all of them in the core's order (Dense(units, activation, use_bias), MultiHeadAttention).
 * TODO(lead): this belongs on the layer definitions (a `keras.positional` fact in core/layers), which another helper
 * was editing when this was written.
 */
const KERAS_POSITIONAL_COUNT: Readonly<Record<string, number>> = {
  Dropout: 1,
  Embedding: 2,
  Conv1D: 4,
  Conv2D: 4,
  Conv3D: 4,
  SeparableConv2D: 4,
  DepthwiseConv2D: 4,
  Conv2DTranspose: 4,
  Conv1DTranspose: 5,
  UpSampling2D: 1,
  GlobalMaxPooling3D: 0,
  GlobalAveragePooling3D: 0,
  BatchNormalization: 0,
  SimpleRNN: 3,
  LSTM: 4,
  GRU: 4,
  PReLU: 0,
  Normalization: 1,
};

/** Keras's positional arguments of a kind: its own parameters in order (a wrapper's `layer` first), cut as Keras's signature is. */
function positionalOf(def: LayerDef): string[] {
  const own = Object.entries(def.params).filter(([, s]) => !s.inner && !s.call);
  const layerFirst = [...own.filter(([, s]) => s.type === 'layer'), ...own.filter(([, s]) => s.type !== 'layer')].map(([k]) => k);
  const n = KERAS_POSITIONAL_COUNT[def.kerasClass];
  return n === undefined ? layerFirst : layerFirst.slice(0, n);
}

/** The stand-in's classes by the name code uses (canonical classes and aliases), from the registry. */
export function standinClasses(): Record<string, StandinClass> {
  const out: Record<string, StandinClass> = {};
  for (const def of LAYER_DEFS) {
    if (def.kind === 'Input') continue;
    const entry: StandinClass = { canonical: def.kerasClass, positional: positionalOf(def), ...(def.keras?.module ? { module: def.keras.module } : {}) };
    for (const name of [def.kerasClass, ...(def.keras?.aliases ?? [])]) out[name] = entry;
  }
  return out;
}

/** The JSON the stand-in's `install` reads. */
export function standinSpecJson(): string {
  return JSON.stringify({ classes: standinClasses() });
}
