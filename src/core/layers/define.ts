/**
 * The shape of a layer definition. One file per layer kind (`src/core/layers/<kind>.ts`)
 * calls `defineLayer`; `registry.ts` lists them. A definition holds everything the app knows
 * about a kind: its parameters, its Keras output-shape and parameter-count formulas, and the
 * names tfjs and Keras give it.
 */
import type { ParamValue, Params, Shape } from '../graph/types';
import type { ParamSpec } from './params';

export type Category =
  | 'Input' | 'Core' | 'Convolution' | 'Pooling' | 'Normalization' | 'Merge' | 'Recurrent' | 'Activation' | 'Regularization' | 'Preprocessing';

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

/**
 * A change to a kind's parameters between two project-file versions (see core/serialize/migrations.ts):
 * applied, in order, to the stored parameters of every node of the kind in a file older than `version`.
 * Example: a parameter renamed in version 3 → `{ version: 3, description: 'pool renamed pool_size',
 * up: ({ pool, ...p }) => ({ ...p, pool_size: pool }) }`. Parameters the kind has and the file lacks are
 * filled from their defaults afterwards, and unknown keys dropped, with a note each: a migration is only
 * needed when an old value must be carried over or reinterpreted.
 */
export interface ParamMigration {
  /** The project version that made the change: the migration runs on files of an earlier version. */
  readonly version: number;
  /** One line for the notes shown on load, e.g. 'pool renamed pool_size'. */
  readonly description: string;
  /** The parameters as the new version stores them, from those of the version before (raw JSON values). */
  up(params: Readonly<Record<string, unknown>>): Record<string, unknown>;
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
  /**
   * Multiply-accumulates per sample: the products of inputs with weights (or, for Dot, with each other)
   * that one forward pass of one sample computes, given valid input shapes; null when they depend on a
   * dimension that is unknown (a sequence of unknown length). Absent: none (pooling, merging, reshaping,
   * activations, normalization, noise). The convention and its sources: validate/cost.ts.
   */
  readonly macs?: (inputs: readonly Shape[], p: Params) => number | null;
  /** The two or three parameters worth showing on the node, e.g. '32 · 3×3 · same · relu'. */
  keyParams(p: Params): string;
  /** Keras Python class name, e.g. 'Conv2D', 'InputLayer'. */
  readonly kerasClass: string;
  /** Factory function in `tf.layers` (e.g. 'conv2d'); null for Input, which is `tf.input`. */
  readonly tfjsFactory: string | null;
  /**
   * Why tfjs 4.22 cannot train this configuration (a missing gradient, a tfjs bug), or null. The
   * validator reports it as a warning: the model builds and its code is valid Keras, but `fit` fails in tfjs.
   * `upstreamWeights`: some layer before this one has weights (a gradient has to pass through it).
   */
  readonly trainingIssue?: (p: Params, upstreamWeights: boolean) => string | null;
  /**
   * Parameter values tfjs must be given instead of the stored ones so that it infers the shape Keras
   * infers, with a one-line note for generated code; null when the stored ones do. Example: Reshape
   * resolves a −1 from the input shape, because tfjs's symbolic Reshape leaves it unknown.
   */
  readonly tfjsParams?: (p: Params, inputs: readonly Shape[]) => { readonly params: Params; readonly note: string } | null;
  /**
   * How Python writes a layer Keras 3 has no class for (ThresholdedReLU → `ReLU(threshold=θ)`):
   * the class, all its arguments, and a comment line saying why.
   */
  readonly keras3?: { readonly kerasClass: string; readonly args: (p: Params) => [string, ParamValue][]; readonly note: string };
  /**
   * The Keras mask the layer outputs, given its inputs' masks (null = none) and the mask tfjs hands its
   * `call` (`received`: possibly a stale one, see validate/masks.ts), as tfjs 4.22 runs masks
   * (layers/shared/mask.ts). Absent: the layer drops any mask (tfjs: it does not support masking).
   * @throws ShapeError 'shape/mask' where tfjs fails on the mask the layer receives.
   */
  readonly mask?: (inputs: readonly Shape[], masks: readonly (Shape | null)[], p: Params, received: Shape | null) => Shape | null;
  /** Changes to this kind's parameters across project-file versions, oldest first (see ParamMigration). */
  readonly migrations?: readonly ParamMigration[];
}

/** Declares a layer kind. Identity function that checks the definition's type. */
export const defineLayer = (def: LayerDef): LayerDef => def;

/** A definition's default parameter values. */
export function defaultParams(def: LayerDef): Record<string, Params[string]> {
  return Object.fromEntries(Object.entries(def.params).map(([k, s]) => [k, s.default]));
}

/**
 * The parameters of the layer a wrapper wraps: the inner kind's defaults, overridden by the wrapper's
 * parameters marked `inner` that the inner kind has (Bidirectional's units → LSTM's units).
 */
export function wrappedParams(wrapper: Readonly<Record<string, ParamSpec>>, inner: LayerDef, p: Params): Params {
  const out = defaultParams(inner);
  for (const [k, spec] of Object.entries(wrapper)) if (spec.inner && k in inner.params && p[k] !== undefined) out[k] = p[k];
  return out;
}

/** No weights: pooling, merging, reshaping, activation and noise layers. */
export const noWeights = (): WeightCount => ({ trainable: 0, nonTrainable: 0 });

/** Reads an integer tuple parameter. */
export const tuple = (p: Params, key: string): number[] => [...(p[key] as readonly number[])];

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
 * Number of values in `shape` from axis `from` (default 1: all but the batch axis) up to, not including,
 * axis `to` (default: the end); null when one of them is unknown. Used for values per sample and for
 * positions per sample (the leading axes a Dense or a convolution repeats its products over).
 */
export const sizeOf = (shape: Shape, from = 1, to = shape.length): number | null => product(shape.slice(from, to));

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
 * Length of one spatial axis of a transposed convolution without output_padding.
 * Source: Keras `deconv_output_length` (keras/src/utils/conv_utils.py... ops/operation_utils.py) and
 * tfjs-layers src/utils/conv_utils.ts `deconvLength`: valid: n·s + max(k − s, 0); same: n·s.
 */
export function deconvOutputLength(n: number | null, k: number, padding: string, stride: number): number | null {
  if (n === null) return null;
  return padding === 'same' ? n * stride : n * stride + Math.max(k - stride, 0);
}

/**
 * A possibly negative axis argument as an index into a rank-`rank` shape (−1 = last), or null when it
 * names no axis or the batch axis (0), which no layer here may use.
 */
export function resolveAxis(axis: number, rank: number): number | null {
  const a = axis < 0 ? rank + axis : axis;
  return a >= 1 && a < rank ? a : null;
}

/**
 * Checks the input has at least the given rank.
 * @throws ShapeError 'shape/rank' naming the expected form.
 */
export function expectMinRank(x: Shape, rank: number, form: string): void {
  if (x.length < rank)
    throw new ShapeError('shape/rank', `expects an input of rank ≥ ${rank} ${form} but got ${formatShape(x)} (rank ${x.length})`);
}

/**
 * Checks that some axes of the input are known.
 * @throws ShapeError 'shape/unknown-dim' saying which.
 */
export function expectKnown(x: Shape, axes: readonly number[], what: string): void {
  if (axes.some((a) => x[a] === null)) throw new ShapeError('shape/unknown-dim', `needs a known ${what} but got ${formatShape(x)}`);
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
