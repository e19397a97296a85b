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
export function outputTarget(node: LayerNode, shape: Shape): OutputTarget {
  const dims = shape.slice(1).map((d) => d ?? 1);
  const last = dims[dims.length - 1] ?? 1;
  // A Softmax layer is a softmax activation (its axis is always the last one: see layers/softmax.ts).
  const act = node.kind === 'Softmax' ? 'softmax' : node.params.activation;
  if (act === 'softmax' && last > 1)
    return { kind: 'classes', loss: 'sparseCategoricalCrossentropy', kerasLoss: 'sparse_categorical_crossentropy', metric: 'accuracy', classes: last, labelShape: [...dims.slice(0, -1), 1] };
  if (act === 'sigmoid' && last === 1)
    return { kind: 'binary', loss: 'binaryCrossentropy', kerasLoss: 'binary_crossentropy', metric: 'accuracy', classes: 0, labelShape: [...dims.slice(0, -1), 1] };
  return { kind: 'regression', loss: 'meanSquaredError', kerasLoss: 'mean_squared_error', metric: 'mae', classes: 0, labelShape: dims };
}
