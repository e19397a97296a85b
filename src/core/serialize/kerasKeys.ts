/**
 * How the importer treats each key of a Keras layer config (one general rule, not a list of cases):
 * - a key that is a parameter of the layer kind's definition is read, and its value must pass
 *   `checkParam` (src/core/layers/params.ts) — the importer refuses the file otherwise;
 * - a key in `IGNORED` never changes a shape or a parameter count (names, initializers, regularizers,
 *   constraints, seeds, implementation hints): it is dropped, with a note when its value is not Keras's
 *   default (`noteWorthy`);
 * - a key in `UNMODELLED` is a Keras setting Layerlab does not model: accepted only at Keras's default
 *   value (`isKerasDefault`), otherwise the file is refused naming layer, setting and value. A few
 *   defaults depend on the input shape (BatchNormalization `axis`, Embedding `input_length`): those are
 *   checked once shapes are known, by the kind's own `keras.shapeKeys`;
 * - any other key is unknown to Layerlab: accepted when null (Keras's "off"), refused otherwise.
 * Defaults are Keras 2.15 / 3.x `get_config()` defaults (keras/src/layers/…).
 * Values are inspected without recursion over user data (`brief`, `isFlatValue`).
 */
import { LAYER_DEFS } from '../layers/registry';
import { visibleText } from '../validate/describe';

/** Keys read by the importer itself (shapes, wrapped layers, the name). */
export const STRUCTURAL = new Set(['name', 'batch_input_shape', 'batch_shape', 'input_shape', 'batch_size', 'layer', 'backward_layer', 'shape']);

/** Keys that change neither shapes nor parameter counts. */
const IGNORED_EXACT = new Set([
  'seed',
  'unroll',
  'implementation',
  'fused',
  'synchronized',
  'autocast',
  'module',
  'registered_name',
  'use_cudnn',
  'unit_forget_bias',
  'zero_output_for_mask',
  'noise_shape',
  'renorm_momentum',
  'renorm_clipping',
  'jit_compile',
]);

/** True for a key that changes neither shapes nor parameter counts (dropped on import). */
export function isIgnoredKey(key: string): boolean {
  return IGNORED_EXACT.has(key) || /_(initializer|regularizer|constraint)$/.test(key);
}

/** Initializers Keras or tfjs use by default for some weight (class names and Keras 2 short names). */
const INITIALIZER_DEFAULTS = new Set([
  'GlorotUniform',
  'GlorotNormal',
  'Zeros',
  'Ones',
  'Orthogonal',
  'RandomUniform',
  'glorot_uniform',
  'glorot_normal',
  'zeros',
  'ones',
  'orthogonal',
  'uniform',
]);

/**
 * Whether dropping an ignored key's value deserves a note to the user: a regularizer, constraint or
 * noise shape that is set, or an initializer other than Keras's and tfjs's usual defaults (a trained model's weights
 * are not imported anyway, so initializers only matter for training from scratch).
 */
export function noteWorthy(key: string, value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (/_(regularizer|constraint)$/.test(key) || key === 'noise_shape') return true;
  if (/_initializer$/.test(key)) {
    const cls =
      typeof value === 'string' ? value : typeof value === 'object' && !Array.isArray(value) ? (value as { class_name?: unknown }).class_name : undefined;
    if (typeof cls !== 'string') return true;
    if (cls === 'VarianceScaling') {
      const c = (value as { config?: Record<string, unknown> }).config ?? {};
      // Glorot, uniform (Keras) or normal (tfjs's default, glorotNormal): the writers' own defaults.
      return !(c.mode === 'fan_avg' && (c.scale ?? 1) === 1);
    }
    return !INITIALIZER_DEFAULTS.has(cls);
  }
  return false;
}

const isOne = (v: unknown) => v === 1;
const allOnes = (v: unknown) => isOne(v) || (Array.isArray(v) && v.length <= 3 && v.every(isOne));

/** True for a dtype that means float32: the string, null, or a Keras 3 DTypePolicy dict naming it. */
export function isFloat32(v: unknown): boolean {
  if (v === null || v === undefined || v === 'float32') return true;
  if (typeof v === 'object' && !Array.isArray(v)) {
    const o = v as { class_name?: unknown; config?: { name?: unknown } };
    return (o.class_name === 'DTypePolicy' || o.class_name === 'Policy') && o.config?.name === 'float32';
  }
  return false;
}

/** Keras settings Layerlab does not model, each with a test for Keras's default value. */
const UNMODELLED: Readonly<Record<string, (v: unknown) => boolean>> = {
  data_format: (v) => v === null || v === 'channels_last',
  dtype: isFloat32,
  // Read by the importer into LayerNode.trainable (a frozen layer); true, false and null are all modelled.
  trainable: (v) => typeof v === 'boolean' || v === null,
  stateful: (v) => v === false || v === null,
  return_state: (v) => v === false || v === null,
  time_major: (v) => v === false || v === null,
  go_backwards: (v) => v === false || v === null,
  keepdims: (v) => v === false || v === null,
  groups: isOne,
  dilation_rate: allOnes,
  depth_multiplier: isOne,
  output_padding: (v) => v === null,
  sparse: (v) => v === false || v === null,
  ragged: (v) => v === false || v === null,
  optional: (v) => v === false || v === null,
  renorm: (v) => v === false || v === null,
  virtual_batch_size: (v) => v === null,
  adjustment: (v) => v === null,
  rms_scaling: (v) => v === false || v === null,
  lora_rank: (v) => v === null,
  lora_alpha: (v) => v === null,
  quantization_config: (v) => v === null,
  negative_slope: (v) => v === 0 || v === null,
  threshold: (v) => v === 0 || v === null,
  return_sequences: (v) => v === false || v === null,
  reset_after: (v) => v === false || v === null,
  mask_zero: (v) => v === false || v === null,
  num_constants: (v) => v === 0 || v === null,
  use_gate: (v) => v === false || v === null,
  // Resizing (keras/src/layers/preprocessing/image_preprocessing/resizing.py): padding instead of cropping, and how.
  pad_to_aspect_ratio: (v) => v === false || v === null,
  fill_mode: (v) => v === 'constant' || v === null,
  fill_value: (v) => v === 0 || v === null,
  antialias: (v) => v === false || v === null,
};

/**
 * Keys some kind checks against its input shape once shapes are known (LayerDef `keras.shapeKeys`:
 * BatchNormalization `axis`, Embedding `input_length`), gathered from the definitions on first use.
 */
let shapeDependent: ReadonlySet<string> | undefined;
const isShapeDependent = (key: string): boolean => (shapeDependent ??= new Set(LAYER_DEFS.flatMap((d) => Object.keys(d.keras?.shapeKeys ?? {})))).has(key);

/**
 * The verdict on one config key that is not a parameter of the kind: 'ignore' (drop), 'note' (drop
 * with a note), 'shape' (check against the input shape later), or a refusal reason fragment.
 */
export function judgeKey(key: string, value: unknown): 'ignore' | 'note' | 'shape' | { refuse: string } {
  if (STRUCTURAL.has(key)) return 'ignore';
  if (isIgnoredKey(key)) return noteWorthy(key, value) ? 'note' : 'ignore';
  if (isShapeDependent(key)) return value === null ? 'ignore' : 'shape';
  const isDefault = Object.hasOwn(UNMODELLED, key) ? UNMODELLED[key] : undefined;
  if (isDefault) return isDefault(value) ? 'ignore' : { refuse: 'does not model yet' };
  if (value === null) return 'ignore';
  return { refuse: 'does not know' };
}

/**
 * A short, safe rendering of a value from a file for messages: strings quoted and cut at 40
 * characters with control and bidi characters escaped, lists shown to two levels, objects by their
 * class_name. At most `max` characters. Never recurses deeper than two levels; never throws.
 */
export function brief(v: unknown, max = 80): string {
  const one = (x: unknown, depth: number): string => {
    if (x === null) return 'null';
    if (typeof x === 'number') return Number.isFinite(x) ? String(x) : x > 0 ? 'Infinity' : x < 0 ? '-Infinity' : 'not a number';
    if (typeof x === 'boolean') return String(x);
    if (typeof x === 'string') return `'${safeText(x, 40)}'`;
    if (Array.isArray(x)) {
      if (depth >= 2) return '[…]';
      const parts: string[] = [];
      for (let i = 0; i < x.length && i < 8; i++) parts.push(one(x[i], depth + 1));
      return `[${parts.join(', ')}${x.length > 8 ? `, … ${x.length} entries` : ''}]`;
    }
    if (typeof x === 'object') {
      const cls = (x as { class_name?: unknown }).class_name;
      return typeof cls === 'string' ? `a ${safeText(cls, 40)} object` : 'an object';
    }
    return 'a value';
  };
  const s = one(v, 0);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/**
 * Text from a file made safe to show: control, bidi and other invisible format characters escaped (the one
 * definition, `visibleText` in validate/describe.ts), cut at `max` characters.
 */
export function safeText(s: string, max = 60): string {
  return visibleText(s.length > max ? `${s.slice(0, max)}…` : s);
}

/**
 * True when a value is a scalar, a list of scalars or a list of lists of scalars (at most 64 entries
 * each): the only forms a layer parameter takes. Checked iteratively, so a value nested 10,000 deep is
 * answered at once.
 */
export function isFlatValue(v: unknown): boolean {
  const scalar = (x: unknown) => x === null || typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean';
  if (scalar(v)) return true;
  if (!Array.isArray(v) || v.length > 64) return false;
  for (const x of v) {
    if (scalar(x)) continue;
    if (!Array.isArray(x) || x.length > 64) return false;
    for (const y of x) if (!scalar(y)) return false;
  }
  return true;
}
