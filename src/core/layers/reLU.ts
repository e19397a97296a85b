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
  outputActivation: (q) => (q.max_value === 6 ? 'relu6' : 'relu'),
  keras: {
    positional: ['max_value', 'negative_slope', 'threshold'],
    // Keras 3 ReLU(x) = x for x ≥ threshold, negative_slope·(x − threshold) below, capped at max_value
    // (keras/src/activations/activations.py `relu`). Uncapped with a threshold and no slope it is tfjs's
    // ThresholdedReLU(θ) (x for x > θ, else 0; the two differ only at the single point x = θ); uncapped with a
    // slope and no threshold it is LeakyReLU(α).
    asKind: (c) => {
      const { threshold = 0, negative_slope = 0, max_value = null, ...rest } = c as Record<string, unknown>;
      if (max_value !== null || typeof threshold !== 'number' || typeof negative_slope !== 'number') return null;
      if (threshold > 0 && negative_slope === 0) return { kind: 'ThresholdedReLU', config: { ...rest, theta: threshold } };
      if (threshold === 0 && negative_slope > 0) return { kind: 'LeakyReLU', config: { ...rest, negative_slope } };
      return null;
    },
  },
});
