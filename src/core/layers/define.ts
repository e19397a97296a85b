/**
 * The shape of a layer definition. One file per layer kind (`src/core/layers/<kind>.ts`)
 * calls `defineLayer`; `registry.ts` lists them. A definition holds everything the app knows
 * about a kind: its parameters, its Keras output-shape and parameter-count formulas, and the
 * names tfjs and Keras give it.
 */
import type { Params, Shape } from '../graph/types';
import type { ParamSpec } from './params';

export type Category = 'Input' | 'Core' | 'Convolution' | 'Pooling' | 'Merge';

/** Weight counts of one layer. Keras: `count_params()` split by `trainable_weights`. */
export interface WeightCount {
  readonly trainable: number;
  readonly nonTrainable: number;
}

/**
 * Thrown by `outputShape` when the input shapes or parameters cannot work together.
 * `code` is a key of the diagnostics table (src/core/validate/diagnostics.ts); `message`
 * says what is wrong and what to change, without the layer name (the validator adds it).
 */
export class ShapeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ShapeError';
  }
}

export interface LayerDef {
  /** Registry key; equal to the Keras class name except 'Input' (class InputLayer). */
  readonly kind: string;
  readonly category: Category;
  /** One line: what the layer does. */
  readonly description: string;
  /** Its shape rule in one line, e.g. '(batch, …, d) → (batch, …, units)'. */
  readonly shapeRule: string;
  /** How many incoming tensors it takes. */
  readonly inputs: { readonly min: number; readonly max: number };
  /** Parameters in display order, keyed by Keras argument name. */
  readonly params: Readonly<Record<string, ParamSpec>>;
  /**
   * Output shape for the given input shapes (batch dimension first, `null` = unknown).
   * Called only with the right number of inputs and valid parameter values.
   * @throws ShapeError when the inputs do not fit the layer.
   */
  outputShape(inputs: readonly Shape[], p: Params): Shape;
  /** Number of weights, given valid input shapes. */
  weights(inputs: readonly Shape[], p: Params): WeightCount;
  /** The two or three parameters worth showing on the node, e.g. '32 · 3×3 · same · relu'. */
  keyParams(p: Params): string;
  /** Keras Python class name, e.g. 'Conv2D', 'InputLayer'. */
  readonly kerasClass: string;
  /** Factory function in `tf.layers` (e.g. 'conv2d'); null for Input, which is `tf.input`. */
  readonly tfjsFactory: string | null;
}

/** Declares a layer kind. Identity function that checks the definition's type. */
export const defineLayer = (def: LayerDef): LayerDef => def;

/** A definition's default parameter values. */
export function defaultParams(def: LayerDef): Record<string, Params[string]> {
  return Object.fromEntries(Object.entries(def.params).map(([k, s]) => [k, s.default]));
}

/** Reads an integer pair parameter. */
export const pair = (p: Params, key: string): [number, number] => {
  const v = p[key] as readonly number[];
  return [v[0], v[1]];
};

/** Shape as Keras prints it: `(null, 62, 62, 32)`. */
export const formatShape = (s: Shape): string => `(${s.map((d) => (d === null ? 'null' : String(d))).join(', ')})`;

/** 'a×b' for a kernel or pool size. */
export const formatPair = (v: readonly (number | null)[]): string => v.join('×');

/** Product of known dimensions; null when any is unknown. */
export function product(dims: readonly (number | null)[]): number | null {
  let n = 1;
  for (const d of dims) {
    if (d === null) return null;
    n *= d;
  }
  return n;
}

/**
 * Length of one spatial output axis of a convolution or pooling window.
 * Source: Keras `conv_utils.conv_output_length` (keras/src/utils/... and tfjs-layers
 * src/utils/conv_utils.ts `convOutputLength`):
 *   valid: ceil((n − (k − 1)·d) / s) ; same: ceil(n / s)
 * `n` null stays null. Returns a value ≤ 0 when the window does not fit (caller reports it).
 */
export function convOutputLength(n: number | null, k: number, padding: string, stride: number, dilation = 1): number | null {
  if (n === null) return null;
  const dk = k + (k - 1) * (dilation - 1);
  return padding === 'same' ? Math.ceil(n / stride) : Math.ceil((n - dk + 1) / stride);
}

/**
 * Checks the input has the given rank.
 * @throws ShapeError 'shape/rank' naming the expected form.
 */
export function expectRank(x: Shape, rank: number, form: string): void {
  if (x.length !== rank)
    throw new ShapeError(
      'shape/rank',
      `expects a rank-${rank} input ${form} but got ${formatShape(x)} (rank ${x.length})`,
    );
}
