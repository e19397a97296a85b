/**
 * Parameter schemas. A layer declares its parameters once with these builders; the same
 * schema drives the inspector form, value checking (the validator and the inspector share
 * `checkParam`), code generation and the runtime.
 */
import type { ParamValue } from '../graph/types';

interface Common {
  /** Keras argument name (snake_case), e.g. 'kernel_size'. */
  readonly help: string;
  /**
   * True when generated code always writes the argument (Keras's positional arguments such
   * as `units`, `filters`, `rate`); otherwise it is written only when it differs from the default.
   */
  readonly always?: boolean;
}

export interface IntSpec extends Common {
  readonly type: 'int';
  readonly default: number;
  readonly min: number;
  readonly max?: number;
}
export interface FloatSpec extends Common {
  readonly type: 'float';
  readonly default: number;
  /** Inclusive lower bound. */
  readonly min: number;
  /** Exclusive upper bound. */
  readonly maxExclusive?: number;
}
/** A tuple of `length` positive integers, e.g. kernel_size (3, 3). `nullable`: null means "use another parameter's value". */
export interface IntTupleSpec extends Common {
  readonly type: 'intTuple';
  readonly length: number;
  readonly default: ReadonlyArray<number> | null;
  readonly min: number;
  readonly nullable?: boolean;
}
/** A tensor shape without the batch dimension, e.g. Input's shape (64, 64, 3). */
export interface ShapeSpec extends Common {
  readonly type: 'shape';
  readonly default: ReadonlyArray<number>;
  readonly maxRank: number;
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

export type ParamSpec = IntSpec | FloatSpec | IntTupleSpec | ShapeSpec | ChoiceSpec | BoolSpec;

/** Activation functions that both Keras and tfjs 4.22 accept by name (../shared/reference/LAYERS.md). */
export const ACTIVATIONS = [
  'linear', 'relu', 'relu6', 'sigmoid', 'softmax', 'tanh', 'elu', 'selu', 'softplus', 'softsign',
  'swish', 'gelu', 'hard_sigmoid', 'log_softmax', 'mish',
] as const;

export const p = {
  int: (o: Omit<IntSpec, 'type'>): IntSpec => ({ type: 'int', ...o }),
  float: (o: Omit<FloatSpec, 'type'>): FloatSpec => ({ type: 'float', ...o }),
  intTuple: (o: Omit<IntTupleSpec, 'type'>): IntTupleSpec => ({ type: 'intTuple', ...o }),
  shape: (o: Omit<ShapeSpec, 'type'>): ShapeSpec => ({ type: 'shape', ...o }),
  choice: (o: Omit<ChoiceSpec, 'type'>): ChoiceSpec => ({ type: 'choice', ...o }),
  bool: (o: Omit<BoolSpec, 'type'>): BoolSpec => ({ type: 'bool', ...o }),
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
};

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/**
 * Checks one parameter value against its schema.
 * @returns null when valid, otherwise the reason as a sentence fragment, e.g.
 *   "must be a whole number ≥ 1 (got 0)". Never throws.
 */
export function checkParam(spec: ParamSpec, value: unknown): string | null {
  const got = `(got ${JSON.stringify(value) ?? String(value)})`;
  switch (spec.type) {
    case 'int':
      if (!isInt(value)) return `must be a whole number ${got}`;
      if (value < spec.min) return `must be ≥ ${spec.min} ${got}`;
      if (spec.max !== undefined && value > spec.max) return `must be ≤ ${spec.max} ${got}`;
      return null;
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `must be a number ${got}`;
      if (value < spec.min) return `must be ≥ ${spec.min} ${got}`;
      if (spec.maxExclusive !== undefined && value >= spec.maxExclusive)
        return `must be < ${spec.maxExclusive} ${got}`;
      return null;
    case 'intTuple':
      if (value === null && spec.nullable) return null;
      if (!Array.isArray(value) || value.length !== spec.length)
        return `must be ${spec.length} whole numbers ${got}`;
      if (!value.every((v) => isInt(v) && v >= spec.min))
        return `must be whole numbers ≥ ${spec.min} ${got}`;
      return null;
    case 'shape':
      if (!Array.isArray(value) || value.length < 1 || value.length > spec.maxRank)
        return `must list 1 to ${spec.maxRank} dimensions ${got}`;
      if (!value.every((v) => isInt(v) && v >= 1))
        return `must be positive whole numbers ${got}`;
      return null;
    case 'choice':
      if (typeof value !== 'string' || !spec.options.includes(value))
        return `must be one of ${spec.options.map((o) => `'${o}'`).join(', ')} ${got}`;
      return null;
    case 'bool':
      return typeof value === 'boolean' ? null : `must be true or false ${got}`;
  }
}

/** True when two parameter values are equal (tuples compared element-wise). */
export function sameValue(a: ParamValue | undefined, b: ParamValue | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}
