/**
 * Training settings and how labels, loss and metric follow from an output layer. Pure: the runtime
 * turns these choices into tensors, the code generator into `compile` / `fit` code.
 */
import type { LayerNode, Shape } from './graph/types';

export type OptimizerName = 'adam' | 'sgd' | 'rmsprop';

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
export type DummyDataKind = 'task' | 'noise';

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
   * The loss chosen for an output, by output layer name ('classes', 'binary' or 'regression');
   * an output not listed is trained as `outputTarget` chooses from its activation and size.
   */
  readonly losses?: Readonly<Record<string, TargetKind>>;
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

/**
 * Chooses labels, loss and metric for an output layer with a known output shape
 * (batch axis first). A Softmax layer counts as a softmax activation; other layers without an
 * `activation` parameter count as linear.
 */
export function outputTarget(node: LayerNode, shape: Shape, choice?: TargetKind): OutputTarget {
  const dims = shape.slice(1).map((d) => d ?? 1);
  const last = dims[dims.length - 1] ?? 1;
  // A Softmax layer is a softmax activation (its axis is always the last one: see layers/softmax.ts).
  const act = node.kind === 'Softmax' ? 'softmax' : node.params.activation;
  // The user's choice, when the output's size allows it.
  const chosen = choice && !targetProblem(shape, choice) ? choice : null;
  if (chosen === 'regression') return { kind: 'regression', loss: 'meanSquaredError', kerasLoss: 'mean_squared_error', metric: 'mae', classes: 0, labelShape: dims };
  if (chosen === 'classes' || (!chosen && act === 'softmax' && last > 1))
    return { kind: 'classes', loss: 'sparseCategoricalCrossentropy', kerasLoss: 'sparse_categorical_crossentropy', metric: 'accuracy', classes: last, labelShape: [...dims.slice(0, -1), 1] };
  if (chosen === 'binary' || (!chosen && act === 'sigmoid' && last === 1))
    return { kind: 'binary', loss: 'binaryCrossentropy', kerasLoss: 'binary_crossentropy', metric: 'accuracy', classes: 0, labelShape: [...dims.slice(0, -1), 1] };
  return { kind: 'regression', loss: 'meanSquaredError', kerasLoss: 'mean_squared_error', metric: 'mae', classes: 0, labelShape: dims };
}
