/**
 * Random training data for a graph: inputs of each Input's shape, labels that fit each output's
 * training target (core `outputTarget`). Labels are either noise (nothing to learn) or a fixed random
 * function of the inputs (a learnable synthetic task); core `DummyDataKind` describes both.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { analyze, outputTarget, type Analysis, type DummyDataKind, type Graph, type OutputTarget } from '../core';
import type { TF } from './buildModel';

export interface DummyData {
  /** One tensor per Input, in `analysis.inputs` order: shape [samples, …Input shape], uniform in [0, 1). */
  readonly xs: tfjs.Tensor[];
  /** One tensor per output, in `analysis.outputs` order: shape [samples, …target.labelShape]. */
  readonly ys: tfjs.Tensor[];
  /** The target of each output, in `analysis.outputs` order. */
  readonly targets: OutputTarget[];
}

/**
 * The training target of each output of a valid graph, in `analysis.outputs` order.
 * @throws Error when an output's shape is unknown (the graph is invalid).
 */
export function outputTargets(graph: Graph, analysis: Analysis = analyze(graph)): OutputTarget[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  return analysis.outputs.map((id) => {
    const node = byId.get(id)!;
    const shape = analysis.nodes.get(id)?.outputShape;
    if (!shape) throw new Error(`'${node.name}' has no known output shape; fix the model's errors first.`);
    return outputTarget(node, shape);
  });
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

/** Rank of the random projection behind the synthetic task's labels. */
export const TASK_RANK = 16;
/** Seed of the synthetic task: the same graph shapes always get the same function. */
export const TASK_SEED = 20_251_121;

/**
 * Labels of the learnable synthetic task for one output, from the inputs `xs` (each [n, …], uniform in
 * [0, 1)). The function is fixed (seeded) and low-rank:
 *   v = concat(flattened inputs) − 0.5                       [n, D], each entry of variance 1/12
 *   h = v · R,  R ~ N(0, 12 / D) of shape [D, TASK_RANK]       unit-variance features
 *   z = h · Q,  Q ~ N(0, 1 / TASK_RANK) of shape [TASK_RANK, m] unit-variance scores
 * then per target: classes (k): m = S·k scores for the S label positions, label = argmax over each k;
 * binary: m = S, label = [z > 0]; regression: m = the label's size, label = z. Centring makes classes and 0/1
 * roughly balanced. Intermediate tensors are freed; the caller owns the result ([n, …labelShape], float32).
 * @param index the output's index (each output gets its own function)
 */
export function makeTaskLabels(tf: TF, target: OutputTarget, xs: readonly tfjs.Tensor[], index = 0): tfjs.Tensor {
  return tf.tidy(() => {
    const n = xs[0].shape[0];
    const flat = xs.map((x) => x.reshape([n, -1]));
    const v = tf.sub(flat.length === 1 ? flat[0] : tf.concat(flat, 1), 0.5);
    const D = v.shape[1] as number;
    const positions = target.labelShape.reduce((p, d) => p * d, 1);
    const m = target.kind === 'classes' ? positions * target.classes : positions;
    const R = tf.randomNormal([D, TASK_RANK], 0, Math.sqrt(12 / D), 'float32', TASK_SEED + 2 * index);
    const Q = tf.randomNormal([TASK_RANK, m], 0, Math.sqrt(1 / TASK_RANK), 'float32', TASK_SEED + 2 * index + 1);
    const z = tf.matMul(tf.matMul(v, R), Q);
    const shape = [n, ...target.labelShape];
    switch (target.kind) {
      case 'classes':
        return tf.argMax(z.reshape([n, positions, target.classes]), -1).toFloat().reshape(shape);
      case 'binary':
        return tf.greater(z, 0).toFloat().reshape(shape);
      case 'regression':
        return z.reshape(shape);
    }
  });
}

/**
 * Random inputs and labels for `samples` samples of a valid graph: 'noise' labels (makeLabels) or the
 * synthetic task's (makeTaskLabels).
 * The caller owns every returned tensor (dispose `xs` and `ys`).
 * @throws Error when `samples` is not a positive integer or the graph is invalid.
 */
export function makeDummyData(tf: TF, graph: Graph, samples: number, analysis: Analysis = analyze(graph), kind: DummyDataKind = 'noise'): DummyData {
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`The number of samples must be a whole number ≥ 1 (got ${samples}).`);
  const targets = outputTargets(graph, analysis);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const xs: tfjs.Tensor[] = [];
  const ys: tfjs.Tensor[] = [];
  try {
    for (const id of analysis.inputs) xs.push(tf.randomUniform([samples, ...(byId.get(id)!.params.shape as readonly number[])]));
    targets.forEach((t, i) => ys.push(kind === 'task' ? makeTaskLabels(tf, t, xs, i) : makeLabels(tf, t, samples)));
  } catch (e) {
    tf.dispose([...xs, ...ys]);
    throw e;
  }
  return { xs, ys, targets };
}
