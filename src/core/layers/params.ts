/**
 * Parameter schemas. A layer declares its parameters once with these builders; the same
 * schema drives the inspector form, value checking (the validator and the inspector share
 * `checkParam`), code generation and the runtime.
 */
import type { ParamValue } from '../graph/types';
import { describeValue } from '../validate/describe';
import { formatCount } from '../format';

/**
 * The largest whole number an `int`, `intTuple` or `intList` parameter may hold unless its spec says
 * otherwise: 2³¹ − 1. Counts and sizes (units, filters, kernel and pool sizes, strides, repeats) are int32
 * in TensorFlow's kernels and attributes and in tfjs's shape arithmetic (typed Int32Array indices), and
 * Keras passes them through to those; no layer is meaningful beyond it. A product of counts can still pass
 * 2⁵³ − 1 (a double's exact range): the validator refuses such parameter counts and output sizes.
 */
export const MAX_COUNT = 2 ** 31 - 1;

/**
 * The largest dimension of an Input's `shape`: 2²⁴ = 16,777,216, the Keras importer's `MAX_DIM`
 * (serialize/kerasImport.ts; a test keeps the two equal). An image side or a sequence length past 16
 * million is not a model a browser can build; a larger product of dimensions is caught by the validator's
 * size check (2⁵³ − 1 values per sample).
 */
export const MAX_SHAPE_DIM = 1 << 24;

interface Common {
  /** One sentence for the inspector's tooltip: what the parameter does. */
  readonly help: string;
  /**
   * True when generated code always writes the argument (Keras's positional arguments such
   * as `units`, `filters`, `rate`); otherwise it is written only when it differs from the default.
   */
  readonly always?: boolean;
  /**
   * Keras's default when it differs from `default` (the value a new node starts with), e.g. GRU
   * `reset_after`: Keras 3 defaults to True, a new node starts at False (tfjs's own GRU). Python writes
   * the argument unless the value equals this.
   */
  readonly kerasDefault?: ParamValue;
  /**
   * tfjs's default when it differs from Keras's, e.g. LSTM `recurrent_activation` (tfjs: hardSigmoid,
   * Keras: sigmoid) or Softmax `axis` (tfjs: 1, Keras: −1). TypeScript writes the argument unless the
   * value equals this, so the generated model means what Keras means.
   */
  readonly tfjsDefault?: ParamValue;
  /** tfjs's config key when it is not the camelCase of the Keras name (LeakyReLU negative_slope → alpha). */
  readonly tfjsName?: string;
  /**
   * For a nullable parameter of a Layerlab class whose null is not its default: tfjs is given `null` (Keras's None)
   * rather than nothing (Normalization axis None: one mean and variance; the class's default is −1).
   */
  readonly tfjsKeepsNull?: boolean;
  /**
   * Set when tfjs 4.22 accepts only the default value: why (e.g. ELU alpha). The
   * inspector shows the field read-only and `checkParam` refuses any other value with this reason.
   */
  readonly fixed?: string;
  /** True for a wrapper's parameter that belongs to the wrapped layer (Bidirectional's `units`, …). */
  readonly inner?: boolean;
  /**
   * True for an argument Keras takes when the layer is called, not when it is made: MultiHeadAttention's
   * `return_attention_scores` and `use_causal_mask` (`mha(query, value, use_causal_mask=True)`). Python code
   * writes it in the call and Keras JSON in the inbound node's kwargs (the importer reads it from there);
   * Layerlab's custom tfjs class takes it in its config, so TypeScript and tfjs JSON write it there. Every call
   * of a shared layer uses the node's one value.
   */
  readonly call?: boolean;
  /**
   * For a nullable parameter: what an empty value (null, Keras's None) means, shown in the empty field, e.g.
   * 'same as pool_size' (pooling strides); 'none' when absent.
   */
  readonly nullText?: string;
}

export interface IntSpec extends Common {
  readonly type: 'int';
  /** null only when `nullable` (Keras's None, e.g. MultiHeadAttention value_dim: same as key_dim). */
  readonly default: number | null;
  readonly min: number;
  /** Inclusive upper bound; MAX_COUNT when absent. */
  readonly max?: number;
  /** True when null (Keras None) is allowed. */
  readonly nullable?: boolean;
}
export interface FloatSpec extends Common {
  readonly type: 'float';
  /** null only when `nullable` (Keras's None, e.g. ReLU max_value: no cap). */
  readonly default: number | null;
  /** Inclusive lower bound; none when absent. */
  readonly min?: number;
  /** Exclusive upper bound. */
  readonly maxExclusive?: number;
  /** True when null (Keras None) is allowed. */
  readonly nullable?: boolean;
}
/**
 * A tuple of `length` integers ≥ `min`, e.g. kernel_size (3, 3). `nullable`: null means "use another
 * parameter's value". `groups`: stored flat but written as that many tuples, e.g. ZeroPadding2D padding
 * stored (top, bottom, left, right) and written ((top, bottom), (left, right)).
 */
export interface IntTupleSpec extends Common {
  readonly type: 'intTuple';
  readonly length: number;
  readonly default: ReadonlyArray<number> | null;
  readonly min: number;
  /** Inclusive upper bound of every entry; MAX_COUNT when absent. */
  readonly max?: number;
  readonly nullable?: boolean;
  readonly groups?: number;
}
/**
 * A tensor shape without the batch dimension, e.g. Input's shape (64, 64, 3); an entry may be null, Keras's None:
 * a size not known until data arrives (`keras.Input(shape=(None, 3))`, a sequence of any length).
 */
export interface ShapeSpec extends Common {
  readonly type: 'shape';
  /** null only when `nullable`: the shape is not known yet (an opaque layer's output shape the user has to give). */
  readonly default: ReadonlyArray<number | null> | null;
  readonly maxRank: number;
  /** Largest dimension; MAX_SHAPE_DIM when absent. */
  readonly maxDim?: number;
  /** True when null (no shape given) is allowed. */
  readonly nullable?: boolean;
}
/**
 * Text kept as a file wrote it, shown read-only: an opaque layer's Keras class name, or (`json`) its config
 * as JSON text, an object (core/layers/opaque.ts). At most `maxLength` characters.
 */
export interface TextSpec extends Common {
  readonly type: 'text';
  readonly default: string;
  readonly maxLength: number;
  /** True when the text must be the JSON of an object. */
  readonly json?: boolean;
}
/**
 * A list of whole numbers of variable length: Reshape target_shape (one entry may be −1 when
 * `wildcard`), Permute dims (`permutation`: 1…n in some order), PReLU shared_axes (`unique`).
 */
export interface IntListSpec extends Common {
  readonly type: 'intList';
  readonly default: ReadonlyArray<number> | null;
  readonly min: number;
  /** Inclusive upper bound of every entry; MAX_COUNT when absent. */
  readonly max?: number;
  readonly minLength: number;
  readonly maxLength: number;
  readonly nullable?: boolean;
  readonly wildcard?: boolean;
  readonly permutation?: boolean;
  readonly unique?: boolean;
}
export interface ChoiceSpec extends Common {
  readonly type: 'choice';
  readonly default: string;
  readonly options: readonly string[];
}
export interface BoolSpec extends Common {
  readonly type: 'bool';
  readonly default: boolean;
}
/**
 * The kind of the layer a wrapper wraps (Bidirectional's `layer`): one of `options`, registry kinds.
 * The wrapped layer's own arguments are the wrapper's parameters marked `inner`.
 */
export interface LayerSpec extends Common {
  readonly type: 'layer';
  readonly default: string;
  readonly options: readonly string[];
}

export type ParamSpec = IntSpec | FloatSpec | IntTupleSpec | ShapeSpec | IntListSpec | ChoiceSpec | BoolSpec | LayerSpec | TextSpec;

/** Activation functions that both Keras and tfjs 4.22 accept by name (docs/keras-facts.md §5). */
export const ACTIVATIONS = [
  'linear',
  'relu',
  'relu6',
  'sigmoid',
  'softmax',
  'tanh',
  'elu',
  'selu',
  'softplus',
  'softsign',
  'swish',
  'gelu',
  'hard_sigmoid',
  'log_softmax',
  'mish',
] as const;

/** A spec of type `S` that also says `nullable: true` when the builder's options did (kept in the type, for `ValueOf`). */
type Nullability<O> = O extends { readonly nullable: true } ? { readonly nullable: true } : unknown;

/**
 * Builders of parameter specs. Each returns its spec type, marked `nullable: true` in the type when the options
 * say so, so that `ValueOf` gives the value type a layer reads (number | null for a nullable float).
 */
export const p = {
  int: <O extends Omit<IntSpec, 'type'>>(o: O): IntSpec & Nullability<O> => ({ type: 'int', ...o }) as IntSpec & Nullability<O>,
  float: <O extends Omit<FloatSpec, 'type'>>(o: O): FloatSpec & Nullability<O> => ({ type: 'float', ...o }) as FloatSpec & Nullability<O>,
  intTuple: <O extends Omit<IntTupleSpec, 'type'>>(o: O): IntTupleSpec & Nullability<O> => ({ type: 'intTuple', ...o }) as IntTupleSpec & Nullability<O>,
  shape: <O extends Omit<ShapeSpec, 'type'>>(o: O): ShapeSpec & Nullability<O> => ({ type: 'shape', ...o }) as ShapeSpec & Nullability<O>,
  intList: <O extends Omit<IntListSpec, 'type'>>(o: O): IntListSpec & Nullability<O> => ({ type: 'intList', ...o }) as IntListSpec & Nullability<O>,
  choice: (o: Omit<ChoiceSpec, 'type'>): ChoiceSpec => ({ type: 'choice', ...o }),
  bool: (o: Omit<BoolSpec, 'type'>): BoolSpec => ({ type: 'bool', ...o }),
  layer: (o: Omit<LayerSpec, 'type'>): LayerSpec => ({ type: 'layer', ...o }),
  text: (o: Omit<TextSpec, 'type'>): TextSpec => ({ type: 'text', ...o }),
  activation: (o: { default?: string; help?: string } = {}): ChoiceSpec => ({
    type: 'choice',
    default: o.default ?? 'linear',
    options: ACTIVATIONS,
    help: o.help ?? 'Activation applied to the output; linear means none.',
  }),
  padding: (): ChoiceSpec => ({
    type: 'choice',
    default: 'valid',
    options: ['valid', 'same'],
    help: "'valid': no padding, the output shrinks; 'same': zero-padded so that output = ceil(input / stride).",
  }),
  /** A fraction in [0, 1), e.g. Dropout's `rate`. */
  rate: (o: { default: number; help: string; always?: boolean }): FloatSpec => ({ type: 'float', min: 0, maxExclusive: 1, ...o }),
};

/** A kind's parameter schemas, keyed by Keras argument name (LayerDef.params). */
export type ParamSchema = Readonly<Record<string, ParamSpec>>;

/**
 * The value a parameter of spec `S` holds once `checkParam` accepted it: int, float → number; intTuple,
 * intList → a list of whole numbers; shape → a list of whole numbers or null (None); choice, layer, text → string; bool → boolean; and null where the spec is
 * nullable (declared with `nullable: true` through `p`).
 */
export type ValueOf<S extends ParamSpec> = S extends IntSpec
  ? S extends { readonly nullable: true }
    ? number | null
    : number
  : S extends FloatSpec
    ? S extends { readonly nullable: true }
      ? number | null
      : number
    : S extends IntTupleSpec | IntListSpec
      ? S extends { readonly nullable: true }
        ? readonly number[] | null
        : readonly number[]
      : S extends ShapeSpec
        ? S extends { readonly nullable: true }
          ? readonly (number | null)[] | null
          : readonly (number | null)[]
        : S extends ChoiceSpec | LayerSpec | TextSpec
          ? string
          : S extends BoolSpec
            ? boolean
            : never;

/**
 * The arguments a layer's functions read, typed from its schema (in the manner of tldraw's RecordProps: one
 * declaration gives the validator and the type): `{ units: number; use_bias: boolean; … }`. A key the schema
 * lacks is a compile error.
 */
export type ArgsOf<P extends ParamSchema> = { readonly [K in keyof P]: ValueOf<P[K]> };

/** The same parameter spec marked as belonging to the layer a wrapper wraps. */
export const innerSpec = <S extends ParamSpec>(s: S): S => ({ ...s, inner: true, always: false });

/** True when `s` parses as JSON to an object (not a list, not null). */
function isJsonObjectText(s: string): boolean {
  try {
    const v: unknown = JSON.parse(s);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Checks an `intList` value (already known to be an array of whole numbers within the length bounds). */
function checkIntList(spec: IntListSpec, v: readonly number[], got: string): string | null {
  const unknowns = v.filter((d) => d === -1).length;
  if (spec.wildcard && unknowns > 1) return `may hold at most one −1 (the dimension Keras infers) ${got}`;
  if (!v.every((d) => (spec.wildcard && d === -1) || d >= spec.min)) return `must be whole numbers ≥ ${spec.min}${spec.wildcard ? ' or one −1' : ''} ${got}`;
  const max = spec.max ?? MAX_COUNT;
  if (!v.every((d) => d <= max)) return `must be whole numbers ≤ ${formatCount(max)} ${got}`;
  if (spec.permutation) {
    const sorted = [...v].sort((a, b) => a - b);
    if (!sorted.every((d, i) => d === i + 1)) return `must list the axes 1 to ${v.length} once each, in the new order (the batch axis 0 stays first) ${got}`;
  }
  if (spec.unique && new Set(v).size !== v.length) return `must not repeat an axis ${got}`;
  return null;
}

/** A bound for a message: 2147483647 → '2,147,483,647'. */

/** The reason a number is out of reach of a float, or null: "is too large for a number" for ±Infinity (e.g. 1e999). */
const tooLarge = (v: unknown, got: string): string | null =>
  typeof v === 'number' && !Number.isFinite(v) && !Number.isNaN(v) ? `is too large to be a number ${got}` : null;

/**
 * Checks one parameter value against its schema. Every whole number is bounded: `max` (default
 * MAX_COUNT = 2³¹ − 1) for int, intTuple and intList entries, `maxDim` (default MAX_SHAPE_DIM = 2²⁴) for
 * shape dimensions. The value is described with `describeValue` (bounded, never recursive).
 * @returns null when valid, otherwise the reason as a sentence fragment, e.g.
 *   "must be a whole number ≥ 1 (got 0)". Never throws, whatever the value (deeply nested lists, functions,
 *   Infinity).
 */
export function checkParam(spec: ParamSpec, value: unknown): string | null {
  const got = `(got ${describeValue(value)})`;
  if (spec.fixed !== undefined && !sameValue(value as ParamValue, spec.default)) return `must stay ${describeValue(spec.default)}: ${spec.fixed} ${got}`;
  const big = tooLarge(value, got);
  switch (spec.type) {
    case 'int': {
      if (value === null && spec.nullable) return null;
      if (big) return big;
      if (!isInt(value)) return `must be a whole number${spec.nullable ? ' or empty (none)' : ''} ${got}`;
      if (value < spec.min) return `must be ≥ ${spec.min} ${got}`;
      const max = spec.max ?? MAX_COUNT;
      if (value > max) return `must be ≤ ${formatCount(max)} ${got}`;
      return null;
    }
    case 'float':
      if (value === null && spec.nullable) return null;
      if (big) return big;
      if (typeof value !== 'number' || !Number.isFinite(value)) return `must be a number${spec.nullable ? ' or empty (none)' : ''} ${got}`;
      if (spec.min !== undefined && value < spec.min) return `must be ≥ ${spec.min} ${got}`;
      if (spec.maxExclusive !== undefined && value >= spec.maxExclusive) return `must be < ${spec.maxExclusive} ${got}`;
      return null;
    case 'intTuple':
      if (value === null && spec.nullable) return null;
      if (!Array.isArray(value) || value.length !== spec.length) return `must be ${spec.length} whole numbers ${got}`;
      if (!value.every((v) => isInt(v) && v >= spec.min)) return `must be whole numbers ≥ ${spec.min} ${got}`;
      if (!value.every((v) => v <= (spec.max ?? MAX_COUNT))) return `must be whole numbers ≤ ${formatCount(spec.max ?? MAX_COUNT)} ${got}`;
      return null;
    case 'shape': {
      if (value === null && spec.nullable) return null;
      if (!Array.isArray(value) || value.length < 1 || value.length > spec.maxRank) return `must list 1 to ${spec.maxRank} dimensions ${got}`;
      const maxDim = spec.maxDim ?? MAX_SHAPE_DIM;
      if (!value.every((v) => v === null || (isInt(v) && v >= 1 && v <= maxDim)))
        return `must be positive whole numbers up to ${formatCount(maxDim)}, or None for a size not known in advance, ${got}`;
      return null;
    }
    case 'intList':
      if (value === null && spec.nullable) return null;
      if (!Array.isArray(value) || !value.every(isInt)) return `must be a list of whole numbers${spec.nullable ? ' or empty (none)' : ''} ${got}`;
      if (value.length < spec.minLength || value.length > spec.maxLength)
        return spec.minLength === spec.maxLength
          ? `must list ${spec.minLength} numbers ${got}`
          : `must list ${spec.minLength} to ${spec.maxLength} numbers ${got}`;
      return checkIntList(spec, value, got);
    case 'choice':
    case 'layer':
      if (typeof value !== 'string' || !spec.options.includes(value)) return `must be one of ${spec.options.map((o) => `'${o}'`).join(', ')} ${got}`;
      return null;
    case 'bool':
      return typeof value === 'boolean' ? null : `must be true or false ${got}`;
    case 'text':
      if (typeof value !== 'string' || value.length > spec.maxLength) return `must be text of at most ${formatCount(spec.maxLength)} characters ${got}`;
      if (spec.json && !isJsonObjectText(value)) return `must be the JSON text of an object ${got}`;
      return null;
  }
}

/** True when two parameter values are equal (tuples compared element-wise). */
export function sameValue(a: ParamValue | undefined, b: ParamValue | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}
