import { defineLayer, noWeights } from './define';
import { p } from './params';
import { passMask } from './shared/mask';

/**
 * ReLU as a layer: max(x, 0), capped at max_value when set. Shape unchanged, no weights
 * (Keras keras/src/layers/activations/relu.py, tfjs-layers advanced_activations.ts `ReLU`).
 * Keras's negative_slope and threshold are not offered: tfjs 4.22's ReLU layer has only maxValue
 * (LeakyReLU and ThresholdedReLU cover those).
 */
export const reLU = defineLayer({
  kind: 'ReLU',
  category: 'Activation',
  description: 'Rectified linear unit: max(x, 0), optionally capped at max_value (6 gives ReLU6).',
  shapeRule: 'shape unchanged',
  inputs: { min: 1, max: 1 },
  params: {
    max_value: p.float({ default: null, nullable: true, min: 0, help: 'Upper limit of the output; empty means no limit.' }),
  },
  outputShape: ([x]) => x,
  weights: noWeights,
  keyParams: (q) => (q.max_value === null ? '' : `≤ ${q.max_value}`),
  kerasClass: 'ReLU',
  tfjsFactory: 'reLU',
  inputSpec: null,
  mask: passMask,
});
