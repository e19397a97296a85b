/**
 * Training settings and how labels, loss and metric follow from an output layer. Pure: the runtime
 * turns these choices into tensors, the code generator into `compile` / `fit` code.
 */
import type { Graph, LayerNode, Shape, TensorRef } from './graph/types';
import type { Analysis } from './validate/analyze';
import { formatCount } from './format';
import { layerDef, outputNamesOf } from './layers/registry';

/** The optimizers Layerlab offers, by their name in tfjs (`tf.train.<name>`) and, lower-cased, in Keras. */
export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** Everything Layerlab knows about one optimizer, for the code generators and the memory estimate. */
export interface OptimizerDef {
  /** The tfjs factory: `tf.train.<tfjsFactory>(learningRate)` (tfjs-core src/optimizers/optimizer_constructors.ts). */
  readonly tfjsFactory: string;
  /** The Keras class: `keras.optimizers.<kerasClass>(learning_rate=…)` (keras/src/optimizers/). */
  readonly kerasClass: string;
  /**
   * Values the optimizer keeps per trainable weight: adam 2 (first and second moments), rmsprop 2 (tfjs's
   * RMSPropOptimizer keeps the mean square and the momentum), sgd 0 (tfjs-core src/optimizers/
   * adam_optimizer.ts, rmsprop_optimizer.ts, sgd_optimizer.ts).
   */
  readonly slots: number;
}

/** THE table of optimizers, one entry per name in OPTIMIZERS. */
export const OPTIMIZER_DEFS: Readonly<Record<OptimizerName, OptimizerDef>> = {
  adam: { tfjsFactory: 'adam', kerasClass: 'Adam', slots: 2 },
  sgd: { tfjsFactory: 'sgd', kerasClass: 'SGD', slots: 0 },
  rmsprop: { tfjsFactory: 'rmsprop', kerasClass: 'RMSprop', slots: 2 },
};

/**
 * What the generated data is:
 * - 'task': a learnable synthetic task — the inputs lie on a random low-dimensional manifold (each a smooth
 *   random function of a few latent values per sample) and each output's labels are a fixed random function of
 *   the inputs (through those latent values: argmax of random projections for classes, a threshold at 0 for
 *   binary labels, the projection itself for regression), so a model that can learn it shows its loss falling;
 * - 'noise': uniform random inputs and labels drawn independently of them, so nothing can be learnt and the
 *   loss stays near its chance level (it exercises the model only).
 * The runtime's dummyData.ts makes both.
 */
export const DUMMY_DATA_KINDS = ['task', 'noise'] as const;
export type DummyDataKind = (typeof DUMMY_DATA_KINDS)[number];

/** The dummy data used when settings name none (files saved before the choice existed). */
export const DEFAULT_DUMMY_DATA: DummyDataKind = 'task';

export interface TrainingSettings {
  readonly epochs: number;
  readonly batchSize: number;
  /** Number of generated samples. */
  readonly samples: number;
  readonly optimizer: OptimizerName;
  readonly learningRate: number;
  /** What the dummy labels are (default DEFAULT_DUMMY_DATA). */
  readonly data?: DummyDataKind;
  /**
   * The loss chosen for an output, by output name (`trainingOutputs`: the output layer's name, or
   * `<layer>_<output>` for a further output of a layer that returns several, e.g. 'encoder_state_h'):
   * 'classes', 'binary' or 'regression'; an output not listed is trained as `outputTarget` chooses from its
   * activation and size (a further output as regression).
   */
  readonly losses?: Readonly<Record<string, TargetKind>>;
  /**
   * The size training uses for an input dimension the model leaves unknown (Keras's None), by `trialKey`
   * ('tokens[1]': input layer 'tokens', axis 1 counting the batch axis as 0); one not listed gets
   * DEFAULT_TRIAL_SIZE. The model and its code keep None; the dummy data, the memory estimate and the backend
   * trial use these sizes (`withTrialSizes`).
   */
  readonly trialSizes?: Readonly<Record<string, number>>;
}

/** The size an unknown input dimension has in training when the user chose none. */
export const DEFAULT_TRIAL_SIZE = 32;
/** The largest trial size: 4,096 steps or pixels along one axis is already more than a browser trains on. */
export const MAX_TRIAL_SIZE = 4096;

/** 'tokens[1]': the key of axis `axis` (the batch axis is 0) of input layer `input` in `trialSizes`. */
export const trialKey = (input: string, axis: number): string => `${input}[${axis}]`;

/** An input dimension the model leaves unknown: the input layer's name, the axis (batch axis 0) and its key. */
export interface UnknownDim {
  readonly input: string;
  readonly axis: number;
  readonly key: string;
}

/** Every unknown dimension of the graph's Input layers, in graph order and axis order. */
export function unknownDims(graph: Graph): UnknownDim[] {
  const out: UnknownDim[] = [];
  for (const n of graph.nodes) {
    if (n.kind !== 'Input' || !Array.isArray(n.params.shape)) continue;
    (n.params.shape as readonly (number | null)[]).forEach((d, i) => {
      if (d === null) out.push({ input: n.name, axis: i + 1, key: trialKey(n.name, i + 1) });
    });
  }
  return out;
}

/** The trial size of one unknown dimension: the chosen one, or DEFAULT_TRIAL_SIZE. */
export const trialSizeOf = (s: TrainingSettings, key: string): number => s.trialSizes?.[key] ?? DEFAULT_TRIAL_SIZE;

/**
 * The graph training uses: every unknown input dimension replaced by its trial size (`trialSizeOf`), so every
 * shape downstream is known and the data, labels and memory estimate have sizes. The same object when the graph
 * has no unknown input dimension (so an analysis memoised on it is kept).
 */
export function withTrialSizes(graph: Graph, s: TrainingSettings): Graph {
  if (!unknownDims(graph).length) return graph;
  return {
    ...graph,
    nodes: graph.nodes.map((n) =>
      n.kind === 'Input' && Array.isArray(n.params.shape) && (n.params.shape as readonly (number | null)[]).includes(null)
        ? {
            ...n,
            params: {
              ...n.params,
              shape: (n.params.shape as readonly (number | null)[]).map((d, i) => (d === null ? trialSizeOf(s, trialKey(n.name, i + 1)) : d)),
            },
          }
        : n,
    ),
  };
}

/** The three ways an output can be trained (see OutputTarget). */
export type TargetKind = 'classes' | 'binary' | 'regression';
export const TARGET_KINDS: readonly TargetKind[] = ['classes', 'binary', 'regression'];

/** Why an output of this shape cannot be trained as `kind`, or null when it can. */
export function targetProblem(shape: Shape, kind: TargetKind): string | null {
  const last = shape[shape.length - 1] ?? 1;
  if (kind === 'classes' && !(last !== null && last > 1)) return `class labels need at least 2 units on the last axis (it has ${last})`;
  if (kind === 'binary' && last !== 1) return `0/1 labels need exactly 1 unit on the last axis (it has ${last})`;
  return null;
}

export const DEFAULT_TRAINING: TrainingSettings = { epochs: 3, batchSize: 32, samples: 256, optimizer: 'adam', learningRate: 0.001 };

/** The numeric training settings. */
export type NumericSetting = 'epochs' | 'batchSize' | 'samples' | 'learningRate';

/**
 * How one numeric setting may be set: whole or real, and its bounds (inclusive `max`; `min` inclusive, or
 * exclusive when `minExclusive`). The bounds keep a run finite and its code valid: Keras and tfjs take any
 * positive whole epochs / batch size, but 10,000 epochs or a 1,000,000-sample batch is already beyond what a
 * browser trains, and a learning rate above 10 only diverges.
 */
export interface NumericSettingDef {
  /** The words the panel and every message use, e.g. 'Batch size'. */
  readonly label: string;
  readonly integer: boolean;
  readonly min: number;
  readonly minExclusive?: boolean;
  readonly max: number;
}

/**
 * THE definition of valid training settings: the project file's schema, the training panel's inputs, the
 * runtime's check before a run and the code generators all read this table and `checkTrainingSettings`.
 */
export const TRAINING_SETTINGS: Readonly<Record<NumericSetting, NumericSettingDef>> = {
  epochs: { label: 'Epochs', integer: true, min: 1, max: 10_000 },
  batchSize: { label: 'Batch size', integer: true, min: 1, max: 1_000_000 },
  samples: { label: 'Samples', integer: true, min: 1, max: 10_000_000 },
  learningRate: { label: 'Learning rate', integer: false, min: 0, minExclusive: true, max: 10 },
};

/** The numeric settings in the panel's order. */
export const NUMERIC_SETTINGS: readonly NumericSetting[] = ['epochs', 'batchSize', 'samples', 'learningRate'];

/** A value as a message shows it: numbers as written, anything else as JSON (never "[object Object]"). */
const shown = (v: unknown): string => {
  if (typeof v === 'number') return Number.isNaN(v) ? 'not a number' : String(v);
  if (typeof v === 'string') return `'${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`;
  if (v === undefined) return 'nothing';
  try {
    const j = JSON.stringify(v);
    return j === undefined ? typeof v : j.length > 40 ? `${j.slice(0, 40)}…` : j;
  } catch {
    return typeof v;
  }
};

/**
 * Checks one numeric setting against `TRAINING_SETTINGS`.
 * @returns null when valid, otherwise the reason naming the setting, e.g.
 *   "Epochs must be at most 10,000 (got 20000)". Never throws.
 */
export function checkNumericSetting(key: NumericSetting, value: unknown): string | null {
  const d = TRAINING_SETTINGS[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${d.label} must be ${d.integer ? 'a whole number' : 'a number'} (got ${shown(value)})`;
  if (d.integer && !Number.isInteger(value)) return `${d.label} must be a whole number (got ${shown(value)})`;
  if (d.minExclusive ? value <= d.min : value < d.min)
    return `${d.label} must be ${d.minExclusive ? 'greater than' : 'at least'} ${formatCount(d.min)} (got ${shown(value)})`;
  if (value > d.max) return `${d.label} must be at most ${formatCount(d.max)} (got ${shown(value)})`;
  return null;
}

/**
 * Reads what the user typed in a numeric setting's field ("20", "1e-3"), the way the training panel does.
 * @returns the value when it passes `checkNumericSetting`, otherwise the reason (e.g. "1e21" for epochs:
 *   "Epochs must be at most 10,000 (got 1e+21)"; "" : "Epochs needs a value").
 */
export function parseNumericSetting(key: NumericSetting, text: string): { ok: true; value: number } | { ok: false; reason: string } {
  const t = text.trim();
  if (t === '') return { ok: false, reason: `${TRAINING_SETTINGS[key].label} needs a value` };
  // Number() alone would read '0x10' and 'Infinity'; only decimal notation is a setting.
  const v = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : Number.NaN;
  if (Number.isNaN(v))
    return {
      ok: false,
      reason: `${TRAINING_SETTINGS[key].label} must be ${TRAINING_SETTINGS[key].integer ? 'a whole number' : 'a number'} (got '${t.length > 40 ? `${t.slice(0, 40)}…` : t}')`,
    };
  const bad = checkNumericSetting(key, v);
  return bad ? { ok: false, reason: bad } : { ok: true, value: v };
}

/**
 * Checks one training setting of any kind: the numeric ones (`checkNumericSetting`), `optimizer` (one of
 * OPTIMIZERS), `data` (absent or one of DUMMY_DATA_KINDS), `losses` (absent or a map from an output layer
 * name to one of TARGET_KINDS; whether the name is valid is `checkName`'s business, the validator's).
 * @returns null when valid, otherwise the reason naming the setting. Never throws.
 */
export function checkTrainingSetting(key: keyof TrainingSettings, value: unknown): string | null {
  switch (key) {
    case 'epochs':
    case 'batchSize':
    case 'samples':
    case 'learningRate':
      return checkNumericSetting(key, value);
    case 'optimizer':
      return typeof value === 'string' && (OPTIMIZERS as readonly string[]).includes(value)
        ? null
        : `Optimizer must be one of ${OPTIMIZERS.join(', ')} (got ${shown(value)})`;
    case 'data':
      return value === undefined || (typeof value === 'string' && (DUMMY_DATA_KINDS as readonly string[]).includes(value))
        ? null
        : `Dummy data must be one of ${DUMMY_DATA_KINDS.join(', ')} (got ${shown(value)})`;
    case 'trialSizes': {
      if (value === undefined) return null;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return `Trial sizes must map input axes to sizes (got ${shown(value)})`;
      for (const [key, size] of Object.entries(value)) {
        if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > MAX_TRIAL_SIZE)
          return `The trial size of ${key.length > 40 ? `${key.slice(0, 40)}…` : key} must be a whole number from 1 to ${formatCount(MAX_TRIAL_SIZE)} (got ${shown(size)})`;
      }
      return null;
    }
    case 'losses': {
      if (value === undefined) return null;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return `Losses must map output layer names to a loss (got ${shown(value)})`;
      for (const [name, kind] of Object.entries(value)) {
        if (typeof kind !== 'string' || !(TARGET_KINDS as readonly string[]).includes(kind))
          return `The loss of output '${name.length > 40 ? `${name.slice(0, 40)}…` : name}' must be one of ${TARGET_KINDS.join(', ')} (got ${shown(kind)})`;
      }
      return null;
    }
  }
}

/** Every key a TrainingSettings object may have, in the file's order. */
export const TRAINING_SETTING_KEYS: readonly (keyof TrainingSettings)[] = [
  'epochs',
  'batchSize',
  'samples',
  'optimizer',
  'learningRate',
  'data',
  'losses',
  'trialSizes',
];

/**
 * Checks a whole settings object against the one definition (`checkTrainingSetting` for each key).
 * @returns null when valid, otherwise the first problem, naming the setting. Never throws.
 */
export function checkTrainingSettings(s: TrainingSettings): string | null {
  for (const key of TRAINING_SETTING_KEYS) {
    const bad = checkTrainingSetting(key, (s as unknown as Record<string, unknown>)[key]);
    if (bad) return bad;
  }
  return null;
}

/**
 * How one output is trained:
 * - `classes`: softmax over k > 1 units → integer class labels in [0, k), sparse categorical cross-entropy;
 * - `binary`: one sigmoid unit → labels 0 / 1, binary cross-entropy;
 * - `regression`: anything else → standard-normal targets of the output's shape, mean squared error.
 */
export interface OutputTarget {
  readonly kind: 'classes' | 'binary' | 'regression';
  /** tfjs loss name, e.g. 'sparseCategoricalCrossentropy'. */
  readonly loss: 'sparseCategoricalCrossentropy' | 'binaryCrossentropy' | 'meanSquaredError';
  /** Keras loss name, e.g. 'sparse_categorical_crossentropy'. */
  readonly kerasLoss: 'sparse_categorical_crossentropy' | 'binary_crossentropy' | 'mean_squared_error';
  /** Metric name, the same in tfjs and Keras: 'accuracy' or 'mae'. */
  readonly metric: 'accuracy' | 'mae';
  /** Number of classes for `classes`, else 0. */
  readonly classes: number;
  /**
   * Shape of the label tensor for n samples, without the sample axis: for `classes` / `binary`
   * the output's shape with the last axis 1, for `regression` the output's shape.
   */
  readonly labelShape: readonly number[];
}

/** One output tensor of the model as training sees it: its name, shape and target (`trainingOutputs`). */
export interface TrainingOutput {
  /** The tensor: the node and which of its outputs (0 for a layer's first or only one). */
  readonly ref: TensorRef;
  readonly node: LayerNode;
  /**
   * The output's name: the layer's name for its first output, `<layer>_<output>` for a further output of a layer
   * that returns several (`outputNamesOf`: 'encoder_state_h', 'mha_attention_scores'), made unique with `_2`, `_3`…
   * when another layer or output already has it. The key of its loss in `TrainingSettings.losses`, and the name
   * tfjs logs its loss under (`<name>_loss`) when the model has several outputs.
   */
  readonly name: string;
  /** Its shape, batch axis first. */
  readonly shape: Shape;
  readonly target: OutputTarget;
}

/**
 * The model's output tensors in order (`analysis.outputTensors`, what `tf.model` / `keras.Model` get), each with
 * its name, shape and training target: the first output of a layer as `outputTarget` chooses from the layer's
 * activation and the user's choice (`losses[name]`); a further output (an RNN's state, MultiHeadAttention's
 * attention scores), which the layer's activation does not describe, as regression (mean squared error) unless
 * the user chose a target its shape allows. The dummy data makes one label tensor per entry; the model is
 * compiled with one loss per entry.
 * @throws Error naming the layer when an output's shape is unknown (the graph is invalid: fix its errors first).
 */
export function trainingOutputs(graph: Graph, analysis: Analysis, losses?: TrainingSettings['losses']): TrainingOutput[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const taken = new Set(graph.nodes.map((n) => n.name));
  return analysis.outputTensors.map((ref) => {
    const node = byId.get(ref.node);
    if (!node) throw new Error(`The model lists an output '${ref.node}' that is not a layer on the canvas.`);
    const info = analysis.nodes.get(ref.node);
    const shape = ref.output === 0 ? info?.outputShape : info?.moreOutputs[ref.output - 1];
    const what = ref.output === 0 ? '' : ` ${outputNamesOf(node)[ref.output] ?? `output ${ref.output + 1}`}`;
    if (!shape) throw new Error(`'${node.name}'${what} has no known output shape; fix the model's errors first.`);
    let name = node.name;
    if (ref.output > 0) {
      const base = `${node.name}_${outputNamesOf(node)[ref.output] ?? `output_${ref.output + 1}`}`;
      name = base;
      for (let k = 2; taken.has(name); k++) name = `${base}_${k}`;
      taken.add(name);
    }
    const choice = losses?.[name];
    const target =
      ref.output === 0 ? outputTarget(node, shape, choice) : outputTarget(node, shape, choice && !targetProblem(shape, choice) ? choice : 'regression');
    return { ref, node, name, shape, target };
  });
}

/**
 * The activation a node applies to its output: its definition's `outputActivation` (a layer that is an activation:
 * Softmax → 'softmax', ReLU → 'relu'), else its `activation` parameter ('relu', 'softmax', …), else undefined (no
 * activation of its own, e.g. Flatten or Add).
 */
export function outputActivationOf(node: LayerNode): string | undefined {
  const act = layerDef(node.kind)?.outputActivation?.(node.params) ?? node.params.activation;
  return typeof act === 'string' ? act : undefined;
}

/**
 * Chooses labels, loss and metric for an output layer with a known output shape
 * (batch axis first). A Softmax layer counts as a softmax activation; other layers without an
 * `activation` parameter count as linear.
 */
export function outputTarget(node: LayerNode, shape: Shape, choice?: TargetKind): OutputTarget {
  const dims = shape.slice(1).map((d) => d ?? 1);
  const last = dims[dims.length - 1] ?? 1;
  // A layer that is an activation (Softmax: its axis is always the last one) says so in `outputActivation`.
  const act = outputActivationOf(node);
  // The user's choice, when the output's size allows it.
  const chosen = choice && !targetProblem(shape, choice) ? choice : null;
  if (chosen === 'regression')
    return { kind: 'regression', loss: 'meanSquaredError', kerasLoss: 'mean_squared_error', metric: 'mae', classes: 0, labelShape: dims };
  if (chosen === 'classes' || (!chosen && act === 'softmax' && last > 1))
    return {
      kind: 'classes',
      loss: 'sparseCategoricalCrossentropy',
      kerasLoss: 'sparse_categorical_crossentropy',
      metric: 'accuracy',
      classes: last,
      labelShape: [...dims.slice(0, -1), 1],
    };
  if (chosen === 'binary' || (!chosen && act === 'sigmoid' && last === 1))
    return {
      kind: 'binary',
      loss: 'binaryCrossentropy',
      kerasLoss: 'binary_crossentropy',
      metric: 'accuracy',
      classes: 0,
      labelShape: [...dims.slice(0, -1), 1],
    };
  return { kind: 'regression', loss: 'meanSquaredError', kerasLoss: 'mean_squared_error', metric: 'mae', classes: 0, labelShape: dims };
}
