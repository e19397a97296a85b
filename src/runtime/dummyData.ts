/**
 * Random training data for a graph: inputs of each Input's shape, labels that fit each output's
 * training target (core `outputTarget`). Nothing is learnable in it; it exercises the model.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { analyze, outputTarget, type Analysis, type Graph, type OutputTarget } from '../core';
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

/**
 * Random inputs and labels for `samples` samples of a valid graph.
 * The caller owns every returned tensor (dispose `xs` and `ys`).
 * @throws Error when `samples` is not a positive integer or the graph is invalid.
 */
export function makeDummyData(tf: TF, graph: Graph, samples: number, analysis: Analysis = analyze(graph)): DummyData {
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`The number of samples must be a whole number ≥ 1 (got ${samples}).`);
  const targets = outputTargets(graph, analysis);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const xs: tfjs.Tensor[] = [];
  const ys: tfjs.Tensor[] = [];
  try {
    for (const id of analysis.inputs) xs.push(tf.randomUniform([samples, ...(byId.get(id)!.params.shape as readonly number[])]));
    for (const t of targets) ys.push(makeLabels(tf, t, samples));
  } catch (e) {
    tf.dispose([...xs, ...ys]);
    throw e;
  }
  return { xs, ys, targets };
}
