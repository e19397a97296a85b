import { defineLayer, noWeights } from './define';
import { p } from './params';

/**
 * ThresholdedReLU: x where x > theta, 0 elsewhere. Shape unchanged, no weights (tfjs-layers
 * advanced_activations.ts `ThresholdedReLU`; Keras 2 keras/layers/advanced_activations.py).
 * Keras 3 has no such class: Python code writes `ReLU(threshold=θ)`, the same function (Keras 3
 * keras/src/layers/activations/relu.py: x for x ≥ threshold, 0 below, with the default slope 0).
 * tfjs cannot backpropagate through it (no gradient for its `greater`), so layers before it cannot train.
 */
export const thresholdedReLU = defineLayer({
  kind: 'ThresholdedReLU',
  category: 'Activation',
  description: 'Passes values above theta and zeroes the rest (Keras 3: ReLU with threshold).',
  shapeRule: 'shape unchanged',
  inputs: { min: 1, max: 1 },
  params: {
    theta: p.float({ default: 1, min: 0, help: 'Values at or below theta become 0.' }),
  },
  outputShape: ([x]) => x,
  weights: noWeights,
  keyParams: (q) => `> ${q.theta}`,
  kerasClass: 'ThresholdedReLU',
  tfjsFactory: 'thresholdedReLU',
  inputSpec: null,
  keras3: {
    kerasClass: 'ReLU',
    args: (q) => [['threshold', q.theta]],
    note: 'Keras 3 has no ThresholdedReLU layer: ReLU(threshold=θ) computes the same function.',
  },
  trainingIssue: (_q, upstreamWeights) =>
    upstreamWeights
      ? 'tfjs 4.22 has no gradient through ThresholdedReLU ("gradient function not found for Greater"), so the layers before it cannot train in the browser; Keras trains them'
      : null,
});
