/**
 * The shape of a layer definition. One file per layer kind (`src/core/layers/<kind>.ts`)
 * calls `defineLayer`; `registry.ts` lists them. A definition holds everything the app knows
 * about a kind: its parameters, its Keras output-shape and parameter-count formulas, and the
 * names tfjs and Keras give it.
 */
import type { ParamValue, Params, Shape } from '../graph/types';
import type { ArgsOf, ParamSchema, ParamSpec } from './params';

export type Category =
  'Input' | 'Core' | 'Convolution' | 'Pooling' | 'Normalization' | 'Merge' | 'Recurrent' | 'Activation' | 'Regularization' | 'Preprocessing';

/** Weight counts of one layer. Keras: `count_params()` split by `trainable_weights`. */
export interface WeightCount {
  readonly trainable: number;
  readonly nonTrainable: number;
}

/**
 * One weight tensor of a layer as Keras lists it in `layer.weights` (and tfjs in `layer.weights`, named
 * `<layer>/<name>`): its name, its shape and whether training changes it. Dense on (None, 3136) with 64 units:
 * `kernel` (3136, 64) and `bias` (64,), both trainable; BatchNormalization: `gamma`, `beta` trainable,
 * `moving_mean`, `moving_variance` not.
 */
export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly trainable: boolean;
  /**
   * What an axis of the tensor is made of, for the explanation of the count, when its shape alone does not say:
   * LSTM's kernel (d, 4·units) notes '16 = 4 gates × 4 units: input, forget, cell and output gates'.
   */
  readonly note?: string;
}

/** The trainable and non-trainable counts of a list of weight tensors: the sum of each tensor's size (product of its shape). */
export function countWeights(ws: readonly WeightSpec[]): WeightCount {
  let trainable = 0;
  let nonTrainable = 0;
  for (const w of ws) {
    let n = 1;
    for (const d of w.shape) n *= d;
    if (w.trainable) trainable += n;
    else nonTrainable += n;
  }
  return { trainable, nonTrainable };
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

/**
 * The input constraint a built layer carries: Keras's `InputSpec` (keras/src/layers/input_spec.py: ndim,
 * min_ndim, axes, shape) as tfjs-layers writes it into `layer.inputSpec` when it builds the layer
 * (tfjs-layers engine/topology.ts `InputSpec`, checked by `assertInputCompatibility` on every later call).
 * `axes` maps an axis (negative counts from the end) to the size the layer was built for; `shape` lists
 * every axis (null = any). The contract test compares it with tfjs's `layer.inputSpec` after building.
 */
export interface InputSpec {
  readonly ndim?: number;
  readonly minNdim?: number;
  readonly axes?: Readonly<Record<number, number | null>>;
  readonly shape?: readonly (number | null)[];
}

/** A Keras initializer as Keras's `get_config()` writes it, e.g. `{ class_name: 'Zeros', config: {} }`. */
export interface KerasInitializer {
  readonly class_name: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** What the Keras JSON reader and writer need to know about a kind beyond its parameters. */
export interface KerasFacts {
  /**
   * Initializer arguments Keras writes for this kind's weights, with Keras's defaults (written out on
   * export because tfjs's defaults differ, e.g. glorotNormal against glorot_uniform). Every kind with weights
   * of its own declares them (the contract test compares the keys with tfjs's config); a wrapper's come from
   * its wrapped layer.
   */
  readonly initializers?: Readonly<Record<string, KerasInitializer>>;
  /** Other class names Keras 2 or the tfjs converter wrote for this kind (BatchNormalizationV1, UnifiedLSTM). */
  readonly aliases?: readonly string[];
  /** Keras 2 argument names and the parameter each now is (LeakyReLU alpha → negative_slope). */
  readonly argAliases?: Readonly<Record<string, string>>;
  /**
   * Keras 3.15's positional constructor arguments, in order (`inspect.signature(cls.__init__)`), at least up to the
   * last one the kind models, where they are not the kind's own parameters in the definition's order (a wrapper's
   * `layer` first), which is what an absent list means: Keras puts arguments Layerlab does not model between or
   * before them, e.g. `Conv2D(filters, kernel_size, strides, padding, data_format, dilation_rate, groups,
   * activation, use_bias)` (keras/src/layers/convolutional/conv2d.py) or `BatchNormalization(axis, momentum, …)`.
   * Code import reads `layers.Conv2D(32, 3, 2, "same")` through it (codeimport/python/layerSpec.ts); an argument
   * the kind does not model is kept under its Keras name and judged like a file's key (`data_format`). Checked
   * against Keras's own signatures by tests/unit/keras-signature.test.ts and tests/keras/signature.oracle.test.ts.
   */
  readonly positional?: readonly string[];
  /**
   * Keras 3.15's constructor arguments that have no default (`Dense()` raises "missing 1 required positional
   * argument: 'units'"), each a parameter of the kind; none when absent. Code import raises as Keras does when one
   * is missing, and writes Keras's default for the other `always` parameters (MaxPooling2D's pool_size (2, 2); but
   * AveragePooling2D's pool_size has no default in Keras 3.15). Checked like `positional`.
   */
  readonly required?: readonly string[];
  /**
   * True when Keras 3's constructor takes no `trainable` argument (SpatialDropout1D has no **kwargs in Keras
   * 3.15: "got an unexpected keyword argument 'trainable'"): the export leaves it out. Found by the Keras oracle.
   */
  readonly noTrainableArg?: boolean;
  /**
   * The module Keras 3 finds this class in, written as the layer's `module` key on export: Keras 3's
   * `model_from_json` locates some classes only through it ("Could not locate class 'Attention'", Keras 3.15;
   * found by the Keras oracle). tf.keras 2 and tfjs ignore the key.
   */
  readonly module?: string;
  /**
   * Why a file's arguments cannot be imported as this kind, or null: the rest of a sentence after
   * "Layer 'name' ", e.g. Normalization given a fixed mean and variance. Runs before the parameters are read.
   */
  readonly refuse?: (args: Readonly<Record<string, unknown>>) => string | null;
  /**
   * When a config of this class computes exactly another kind's function, that kind and the config it reads
   * (in the other kind's argument names); null otherwise. Runs before the keys are judged. Example: Keras 3
   * writes ThresholdedReLU(θ) as `ReLU(threshold=θ)` (Layerlab's own Python does too) and LeakyReLU(α) may come
   * as `ReLU(negative_slope=α)`.
   */
  readonly asKind?: (config: Readonly<Record<string, unknown>>) => { readonly kind: string; readonly config: Record<string, unknown> } | null;
  /**
   * Config keys that are not parameters of the kind but that a file may carry, accepted only when they agree with
   * the layer's input shape (known once the imported graph is built): the check returns 'ok', 'unchecked' (the
   * input shape is unknown: accepted with a note) or 'refuse' (the file is refused naming layer, key and value).
   * Examples: BatchNormalization's `axis` (Layerlab models the last axis only), Embedding's Keras 2 `input_length`.
   * A key no kind lists here is judged by core/serialize/kerasKeys.ts.
   */
  readonly shapeKeys?: Readonly<Record<string, (value: unknown, input: Shape | null) => 'ok' | 'unchecked' | 'refuse'>>;
  /**
   * For a wrapper (a kind with a `layer` parameter), how Keras 3 writes the wrapped layer: the input shape the
   * wrapped layer is built for, from the wrapper's (TimeDistributed: one time step, the time axis removed), and
   * whether Keras writes a backward copy beside it (Bidirectional: `layer` named `forward_<name>` and
   * `backward_layer` named `backward_<name>` with go_backwards true). Read by core/serialize/kerasExport3.ts.
   */
  readonly wrapper?: { readonly innerShape?: (input: Shape) => Shape; readonly backward?: true };
  /**
   * Parameters tfjs 4.22's `toJSON` leaves out of this kind's config, each with the weight whose shape says it
   * (`weight`: the weight's name after the layer's, `axis`: where the value is in its shape). The importer reads
   * them from a tfjs model.json's `weightsManifest`; without one it reads the default, with a note. Example:
   * SeparableConv2D depth_multiplier (tfjs-layers convolutional.ts `SeparableConv.getConfig` omits it) = axis 3 of
   * `depthwise_kernel` (kh, kw, c_in, depth_multiplier).
   */
  readonly unwrittenByTfjs?: Readonly<Record<string, { readonly weight: string; readonly axis: number }>>;
  /**
   * The layer entry as a file wrote it, for a kind that keeps it (an opaque node, opaque.ts): the export writes
   * this `config` (with the node's name) and `module` / `registered_name` when present instead of building them
   * from parameters. Absent for every kind Layerlab models.
   */
  readonly verbatim?: (params: Readonly<Record<string, unknown>>) => {
    readonly config: Record<string, unknown>;
    readonly module?: unknown;
    readonly registered_name?: unknown;
  };
}

/**
 * The arguments a definition's functions receive: typed from the schema (`ArgsOf`) in a kind's own file, plain
 * `Params` in the registry's view (`LayerDef` without a type argument), which the rest of the app reads.
 */
export type Args<P extends ParamSchema> = string extends keyof P ? Params : ArgsOf<P>;

/**
 * A layer kind's definition. `P` is its parameter schema; the functions read their arguments typed from it
 * (`p.units` a number). `LayerDef` without a type argument is the registry's view of any kind.
 */
export interface LayerDef<P extends ParamSchema = ParamSchema> {
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
  readonly params: P;
  /**
   * Output shape for the given input shapes (batch dimension first, `null` = unknown).
   * Called only with the right number of inputs and valid parameter values.
   * @throws ShapeError when the inputs do not fit the layer.
   */
  outputShape(inputs: readonly Shape[], p: Args<P>): Shape;
  /**
   * Number of weights, given valid input shapes. For a kind that declares `weightShapes`, `defineLayer` derives it
   * from them (the count and its explanation come from one rule).
   */
  weights(inputs: readonly Shape[], p: Args<P>): WeightCount;
  /**
   * The layer's weight tensors in Keras's order (`layer.weights`), given valid input shapes: names, shapes and
   * trainable flags (see `WeightSpec`). The parameter count is their sum (`countWeights`), and the explanation of a
   * count lists them (validate/explain.ts). The contract test compares them with tfjs's `layer.weights`.
   */
  readonly weightShapes?: (inputs: readonly Shape[], p: Args<P>) => readonly WeightSpec[];
  /**
   * For a kind whose layer can return several tensors (LSTM and GRU with return_state, MultiHeadAttention with
   * return_attention_scores): `names` gives the name of each output for these parameters, the first output
   * first (`['output', 'state_h', 'state_c']`; one name means one output, the common case), and `shapes` the
   * shapes of the outputs after the first (whose shape is `outputShape`), given valid input shapes. Keras
   * returns them as a list (`x, h, c = layers.LSTM(64, return_state=True)(x)`); an edge picks one by
   * `Edge.output` (Keras's tensor_index). Absent: one output.
   */
  readonly multiOutput?: {
    /** The (boolean) parameter that adds the further outputs, for messages: 'return_state'. */
    readonly param: string;
    names(p: Args<P>): readonly string[];
    shapes(inputs: readonly Shape[], p: Args<P>, first: Shape): readonly Shape[];
  };
  /**
   * Multiply-accumulates per sample: the products of inputs with weights (or, for Dot, with each other)
   * that one forward pass of one sample computes, given valid input shapes; null when they depend on a
   * dimension that is unknown (a sequence of unknown length). Absent: none (pooling, merging, reshaping,
   * activations, normalization, noise). The convention and its sources: validate/cost.ts.
   */
  readonly macs?: (inputs: readonly Shape[], p: Args<P>) => number | null;
  /** The two or three parameters worth showing on the node, e.g. '32 · 3×3 · same · relu'. */
  keyParams(p: Args<P>): string;
  /** Keras Python class name, e.g. 'Conv2D', 'InputLayer'. */
  readonly kerasClass: string;
  /**
   * The Keras class of one node when it depends on its parameters (an opaque node keeps the class its file
   * named, `Lambda` or a user's class: core/layers/opaque.ts); absent: `kerasClass`. The summary, messages and
   * Keras JSON read it through `kerasClassOf` (registry.ts).
   */
  readonly classOf?: (p: Args<P>) => string;
  /**
   * Why Layerlab cannot build this layer in tfjs at all, or absent: the rest of a sentence after the layer's
   * class and name, e.g. "runs Python code Layerlab cannot run; …" (an opaque node from a file). The validator
   * reports it as a `train/blocked` warning (shapes, summary, code and export keep working); the runtime and
   * the Train button refuse to build or train a graph that has one.
   */
  readonly cannotRun?: (p: Args<P>) => string;
  /**
   * For a kind Layerlab cannot run (`cannotRun`): what generated code stands in for it. `outputShape` (without the
   * batch axis, null when unknown) is what Python's placeholder `layers.Lambda(…, output_shape=…)` returns
   * (zeros of that shape), so the model still builds in Keras with the same shapes; `note` is the comment above it.
   */
  readonly placeholder?: (p: Args<P>, name: string) => { readonly outputShape: readonly (number | null)[] | null; readonly note: string };
  /**
   * Factory function in `tf.layers` (e.g. 'conv2d'); null for Input, which is `tf.input`. For a `customLayer`
   * kind, the factory of the same name in Layerlab's module of custom layers (`layerlab.spatialDropout2d`).
   */
  readonly tfjsFactory: string | null;
  /**
   * True when tfjs 4.22 has no class for this Keras layer and Layerlab's runtime defines it as a tfjs custom
   * layer (`src/runtime/layers/`: a `tf.layers.Layer` subclass registered for serialization under `kerasClass`,
   * with Keras's argument names, weight layout and output). The runtime builds it from there; generated
   * TypeScript imports that folder as the module `layerlab-layers.ts` (the Code panel downloads it); Python and
   * Keras JSON name Keras's own class.
   */
  readonly customLayer?: true;
  /**
   * For a kind tfjs has but cannot run with some parameter values: true for those values, and the runtime and
   * generated TypeScript then use Layerlab's class of the same Keras class from `src/runtime/layers/` (registered
   * in tfjs's serialization map in place of tfjs's, which it extends), by the same factory name. Conv1D with
   * padding='causal': tfjs 4.22 builds it but throws when it runs. Read through `usesCustomLayer` (registry.ts).
   */
  readonly customWhen?: (p: Args<P>) => boolean;
  /**
   * How Keras code calls a layer of this kind that takes several inputs. 'list' (the default, absent): on one
   * list, `layers.Concatenate()([a, b])`, `layers.Attention()([query, value])`. 'positional': on the tensors as
   * separate arguments in input order, `layers.MultiHeadAttention(...)(query, value, key)` (its `call(query,
   * value, key=None, ...)`, keras/src/layers/attention/multi_head_attention.py). Python code and Keras JSON
   * follow it; tfjs's `apply` always receives the list (Layerlab's custom class unpacks it).
   * 'initialState' (the recurrent layers): the first input is the sequence and any further ones the layer's
   * initial states, `layers.LSTM(64)(x, initial_state=[h, c])` (keras/src/layers/rnn/rnn.py `call`); with one
   * input it is called on that tensor. tfjs's `RNN.apply([x, h, c])` reads the same list (tfjs-layers
   * recurrent.ts `standardizeArgs`), and a Keras 2 or tfjs file lists the states as further inbound tensors.
   */
  readonly callForm?: 'list' | 'positional' | 'initialState';
  /**
   * True for a kind that takes several inputs but is called on the tensor itself when it reads one, as its file
   * called it (an opaque layer: a Lambda receives what its call passed); core `callInput`.
   */
  readonly singleWhenOne?: true;
  /**
   * True for a kind whose Keras call needs two tensors but that is offered on one input too, meaning the input
   * twice: attention of a sequence over itself (self-attention: query = value = key). With one input connected,
   * core `callInput` gives the layer `[x, x]` (`MultiHeadAttention(...)(x, x)`, `Attention()([x, x])`), and
   * Keras JSON writes the tensor twice; the importer reads a call on one tensor repeated as one edge. One edge
   * per source is all a graph holds, so this is how the canvas draws self-attention.
   */
  readonly selfCall?: true;
  /**
   * Keras's names of the call's tensor arguments in input order, for a 'positional' kind (MultiHeadAttention:
   * query, value, key). The importer reads tensors passed by keyword under these names: tf.keras 2 writes
   * `mha(q, v)` as the inbound node `[["q", 0, 0, {"value": ["v", 0, 0]}]]`, Keras 3 as `kwargs` when called so.
   */
  readonly callArgs?: readonly string[];
  /**
   * Why tfjs 4.22 cannot train this configuration (a missing gradient, a tfjs bug), or null. The
   * validator reports it as a warning: the model builds and its code is valid Keras, but `fit` fails in tfjs.
   * `upstreamWeights`: some layer before this one has weights (a gradient has to pass through it).
   */
  readonly trainingIssue?: (p: Args<P>, upstreamWeights: boolean) => string | null;
  /**
   * Parameter values tfjs must be given instead of the stored ones so that it infers the shape Keras
   * infers, with a one-line note for generated code; null when the stored ones do. Example: Reshape
   * resolves a −1 from the input shape, because tfjs's symbolic Reshape leaves it unknown.
   */
  readonly tfjsParams?: (p: Args<P>, inputs: readonly Shape[]) => { readonly params: Params; readonly note: string } | null;
  /**
   * How Python writes a layer Keras 3 has no class for (ThresholdedReLU → `ReLU(threshold=θ)`):
   * the class, all its arguments, and a comment line saying why.
   */
  readonly keras3?: { readonly kerasClass: string; readonly args: (p: Args<P>) => [string, ParamValue][]; readonly note: string };
  /**
   * The Keras mask the layer outputs, given its inputs' masks (null = none) and the mask tfjs hands its
   * `call` (`received`: possibly a stale one, see validate/masks.ts), as tfjs 4.22 runs masks
   * (layers/shared/mask.ts). Absent: the layer drops any mask (tfjs: it does not support masking).
   * @throws ShapeError 'shape/mask' where tfjs fails on the mask the layer receives.
   */
  readonly mask?: (inputs: readonly Shape[], masks: readonly (Shape | null)[], p: Args<P>, received: Shape | null) => Shape | null;
  /** Changes to this kind's parameters across project-file versions, oldest first (see ParamMigration). */
  readonly migrations?: readonly ParamMigration[];
  /**
   * The InputSpec tfjs gives the layer when it builds it for these input shapes (see InputSpec), or null
   * when tfjs sets none. Every later call of a shared layer must fit it (validate/analyze.ts).
   */
  readonly inputSpec: ((inputs: readonly Shape[], p: Args<P>) => InputSpec) | null;
  /**
   * What a built layer fails on beyond its InputSpec: 'rank' when it fails on an input of another rank
   * (LayerNormalization resolves its axes at build; DepthwiseConv2D's kernel is 4-D), 'shape' when on any other
   * shape (PReLU: its alpha has the first input's shape). A shared layer's calls must then match the first's.
   */
  readonly fixedWhenBuilt?: 'rank' | 'shape';
  /** True when the layer makes a Keras mask out of none (Masking; Embedding with mask_zero): the validator runs the mask pass. */
  readonly startsMask?: (p: Args<P>) => boolean;
  /**
   * The activation the layer applies to its output when it is not its `activation` parameter (Softmax:
   * 'softmax', ReLU: 'relu'), for choosing an output's labels and loss and for finding dead ReLU units
   * (core/training.ts `outputActivationOf`).
   */
  readonly outputActivation?: (p: Args<P>) => string;
  /**
   * The gradient kernel training this kind needs that stock tfjs-backend-wasm 4.22 lacks (tfjs #8474), or
   * absent. The runtime keeps the kind off wasm unless Layerlab registers that kernel (runtime/backend.ts);
   * the backend contract test checks the set against tfjs.
   */
  readonly wasmGradient?: string;
  /** Keras JSON facts: initializers, class and argument aliases, import refusals. */
  readonly keras?: KerasFacts;
}

/**
 * Declares a layer kind: checks the definition against its own parameter schema (every function reads
 * `ArgsOf<P>`, so `p.units` is a number and `p.unit` a compile error) and returns it as the registry's view,
 * keeping the schema's type on `params` (a wrapper reuses `dense.params.units`). The view passes plain
 * `Params`: the validator calls a definition's functions only with values `checkParam` accepted, which are of
 * the types `ValueOf` gives (params.ts), so the two agree at run time.
 */
export function defineLayer<P extends ParamSchema>(def: LayerSource<P>): Omit<LayerDef, 'params'> & { readonly params: P } {
  const shapes = def.weightShapes;
  const full = shapes ? { ...def, weights: (inputs: readonly Shape[], q: Args<P>) => countWeights(shapes(inputs, q)) } : def;
  return full as unknown as Omit<LayerDef, 'params'> & { readonly params: P };
}

/**
 * What a layer file passes to `defineLayer`: a `LayerDef` with either `weightShapes` (the weight tensors, from which
 * the count is derived) or `weights` (a count only: kinds without weights, `noWeights`), never both.
 */
export type LayerSource<P extends ParamSchema> = Omit<LayerDef<P>, 'weights' | 'weightShapes'> &
  (
    | { readonly weights: LayerDef<P>['weights']; readonly weightShapes?: never }
    | { readonly weightShapes: NonNullable<LayerDef<P>['weightShapes']>; readonly weights?: never }
  );

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

/** Reads an integer tuple parameter as a fresh array (`key` must name a tuple or list of the arguments; null reads as []). */
export const tuple = <K extends string>(p: Readonly<Record<K, readonly number[] | null>>, key: K): number[] => [...(p[key] ?? [])];

/** Reads an integer pair parameter (`key` must name a tuple of the arguments). */
export const pair = <K extends string>(p: Readonly<Record<K, readonly number[]>>, key: K): [number, number] => {
  const v = p[key];
  return [v[0], v[1]];
};

/**
 * Shape as Keras's summary prints it: `(None, 62, 62, 32)`, None for the batch axis and any unknown size (the
 * shape itself holds null; TypeScript code writes null, Python None).
 */
export const formatShape = (s: Shape): string => `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;

/** 'a×b' for a kernel or pool size; an unknown size (an Input's None) reads 'None'. */
export const formatPair = (v: readonly (number | null)[]): string => v.map((d) => (d === null ? 'None' : String(d))).join('×');

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
  // 'causal' (Conv1D): padded on the left by d·(k − 1), so like 'same' it keeps n before the stride.
  return padding === 'same' || padding === 'causal' ? Math.ceil(n / stride) : Math.ceil((n - dk + 1) / stride);
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
  if (x.length < rank) throw new ShapeError('shape/rank', `expects an input of rank ≥ ${rank} ${form} but got ${formatShape(x)} (rank ${x.length})`);
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
  if (x.length !== rank) throw new ShapeError('shape/rank', `expects a rank-${rank} input ${form} but got ${formatShape(x)} (rank ${x.length})`);
}

/**
 * Whether an input fits a built layer's InputSpec, as tfjs-layers `assertInputCompatibility`
 * (engine/topology.ts) and Keras `assert_input_compatibility` (keras/src/layers/input_spec.py) check it:
 * ndim, min_ndim, the sizes of the listed axes, the listed shape (null matches anything).
 * @returns null when it fits, 'rank' when the rank is refused, 'shape' when a size is.
 */
export function inputSpecMismatch(spec: InputSpec, x: Shape): 'rank' | 'shape' | null {
  if (spec.ndim !== undefined && x.length !== spec.ndim) return 'rank';
  if (spec.minNdim !== undefined && x.length < spec.minNdim) return 'rank';
  if (spec.shape && spec.shape.length !== x.length) return 'rank';
  for (const [k, size] of Object.entries(spec.axes ?? {})) {
    const a = Number(k) < 0 ? x.length + Number(k) : Number(k);
    if (size !== null && x[a] !== null && x[a] !== size) return 'shape';
  }
  if (spec.shape?.some((d, i) => d !== null && x[i] !== null && x[i] !== d)) return 'shape';
  return null;
}

/** True when an InputSpec fixes the size of every non-batch axis of a rank-`rank` input (PReLU, TimeDistributed). */
export function inputSpecFixesShape(spec: InputSpec, rank: number): boolean {
  const fixed = (i: number) => spec.shape?.[i] != null || spec.axes?.[i] != null || spec.axes?.[i - rank] != null;
  return rank > 1 && Array.from({ length: rank - 1 }, (_x, i) => i + 1).every(fixed);
}
