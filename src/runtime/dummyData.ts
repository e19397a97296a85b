/**
 * Random training data for a graph: inputs of each Input's shape, labels that fit each output's
 * training target (core `outputTarget`). Labels are either noise (nothing to learn) or a fixed random
 * function of the inputs (a learnable synthetic task); core `DummyDataKind` describes both.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { analyze, trainingOutputs, type Analysis, type DummyDataKind, type Graph, type OutputTarget, type TrainingSettings } from '../core';
import type { TF } from './buildModel';

export interface DummyData {
  /** One tensor per Input, in `analysis.inputs` order: shape [samples, …Input shape], values in [0, 1)
   *  (uniform for noise; on the task's manifold for the task). */
  readonly xs: tfjs.Tensor[];
  /** One tensor per output tensor, in `analysis.outputTensors` order: shape [samples, …target.labelShape]. */
  readonly ys: tfjs.Tensor[];
  /** The target of each output tensor, in `analysis.outputTensors` order. */
  readonly targets: OutputTarget[];
  /** The name of each output tensor (core `trainingOutputs`: 'encoder', 'encoder_state_h'), in the same order. */
  readonly names: string[];
}

/**
 * The training target of each output tensor of a valid graph, in `analysis.outputTensors` order (core
 * `trainingOutputs`: a layer with several outputs, an LSTM with return_state, has one target per tensor it outputs).
 * @throws Error when an output's shape is unknown (the graph is invalid).
 */
export function outputTargets(graph: Graph, analysis: Analysis = analyze(graph), losses?: TrainingSettings['losses']): OutputTarget[] {
  return trainingOutputs(graph, analysis, losses).map((o) => o.target);
}

/**
 * Labels for one output, shape [samples, …target.labelShape], dtype float32:
 * - classes: integers in [0, k) (floor of uniform [0, k), clipped to k − 1 against rounding);
 * - binary: 0 or 1, each with probability 1/2;
 * - regression: standard normal.
 * Intermediate tensors are freed; the caller owns the result.
 */
export function makeLabels(tf: TF, target: OutputTarget, samples: number): tfjs.Tensor {
  const shape = [samples, ...target.labelShape];
  return tf.tidy(() => {
    switch (target.kind) {
      case 'classes':
        return tf.minimum(tf.floor(tf.randomUniform(shape, 0, target.classes)), target.classes - 1);
      case 'binary':
        return tf.floor(tf.randomUniform(shape, 0, 2)).minimum(1);
      case 'regression':
        return tf.randomNormal(shape);
    }
  });
}

/** Dimension of the synthetic task's latent space. */
export const TASK_RANK = 8;
/** Seed of the synthetic task: the same graph shapes always get the same functions. */
export const TASK_SEED = 20_251_121;

/**
 * The learnable synthetic task's data for `samples` samples. Inputs lie on a random low-dimensional
 * manifold and labels are a fixed random function of them:
 *   z ~ N(0, I) of shape [n, r]                      the latent point of each sample, r = min(TASK_RANK, Σ input sizes)
 *   input i = sigmoid(1.5 · z · Bᵢ), Bᵢ ~ N(0, 1/r)    of shape [r, Dᵢ], reshaped to the Input's shape; values in (0, 1)
 *   output j: s = z · Wⱼ, Wⱼ ~ N(0, 1/r)               classes (k): argmax of each group of k scores (one group per label
 *                                                     position); binary: [s > 0]; regression: s
 * Bᵢ and Wⱼ are seeded (TASK_SEED), so a graph's task is the same every run. Every input is a smooth function of
 * z and z can be read back from the inputs (logit(x) = 1.5 · z · B, B of rank r), so the labels are a function of
 * the inputs that a model can learn from few samples; classes and 0/1 labels are roughly balanced.
 * Intermediate tensors are freed; the caller owns the result (inputs and labels float32).
 */
export function makeTaskData(
  tf: TF,
  inputShapes: readonly (readonly number[])[],
  targets: readonly OutputTarget[],
  samples: number,
): { xs: tfjs.Tensor[]; ys: tfjs.Tensor[] } {
  const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);
  const r = Math.max(
    1,
    Math.min(
      TASK_RANK,
      inputShapes.reduce((p, s) => p + size(s), 0),
    ),
  );
  const z = tf.randomNormal([samples, r]);
  try {
    const xs = inputShapes.map((shape, i) =>
      tf.tidy(() =>
        tf.sigmoid(tf.mul(tf.matMul(z, tf.randomNormal([r, size(shape)], 0, Math.sqrt(1 / r), 'float32', TASK_SEED + i)), 1.5)).reshape([samples, ...shape]),
      ),
    );
    const ys = targets.map((t, j) =>
      tf.tidy(() => {
        const positions = size(t.labelShape);
        const m = t.kind === 'classes' ? positions * t.classes : positions;
        const s = tf.matMul(z, tf.randomNormal([r, m], 0, Math.sqrt(1 / r), 'float32', TASK_SEED + 1000 + j));
        const shape = [samples, ...t.labelShape];
        if (t.kind === 'classes')
          return tf
            .argMax(s.reshape([samples, positions, t.classes]), -1)
            .toFloat()
            .reshape(shape);
        if (t.kind === 'binary') return tf.greater(s, 0).toFloat().reshape(shape);
        return s.reshape(shape);
      }),
    );
    return { xs, ys };
  } finally {
    z.dispose();
  }
}

/**
 * Random inputs and labels for `samples` samples of a valid graph: uniform inputs with 'noise' labels
 * (makeLabels), or the learnable synthetic task (makeTaskData).
 * The caller owns every returned tensor (dispose `xs` and `ys`).
 * @throws Error when `samples` is not a positive integer or the graph is invalid.
 */
export function makeDummyData(
  tf: TF,
  graph: Graph,
  samples: number,
  analysis: Analysis = analyze(graph),
  kind: DummyDataKind = 'noise',
  losses?: TrainingSettings['losses'],
): DummyData {
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`The number of samples must be a whole number ≥ 1 (got ${samples}).`);
  const outputs = trainingOutputs(graph, analysis, losses);
  const targets = outputs.map((o) => o.target);
  const names = outputs.map((o) => o.name);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const xs: tfjs.Tensor[] = [];
  const ys: tfjs.Tensor[] = [];
  const shapes = analysis.inputs.map((id) => byId.get(id)!.params.shape as readonly number[]);
  if (kind === 'task') return { ...makeTaskData(tf, shapes, targets, samples), targets, names };
  try {
    for (const shape of shapes) xs.push(tf.randomUniform([samples, ...shape]));
    for (const t of targets) ys.push(makeLabels(tf, t, samples));
  } catch (e) {
    tf.dispose([...xs, ...ys]);
    throw e;
  }
  return { xs, ys, targets, names };
}
