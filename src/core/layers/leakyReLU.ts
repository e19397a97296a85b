import { defineLayer, noWeights } from './define';
import { p } from './params';

/**
 * LeakyReLU: x for x ≥ 0, negative_slope·x below. Shape unchanged, no weights
 * (Keras keras/src/layers/activations/leaky_relu.py, tfjs-layers advanced_activations.ts `LeakyReLU`).
 * Keras 3 calls the slope `negative_slope`; tfjs calls it `alpha` (both default 0.3).
 */
export const leakyReLU = defineLayer({
  kind: 'LeakyReLU',
  category: 'Activation',
  description: 'Like ReLU, but lets a small slope through below zero: x, or negative_slope·x.',
  shapeRule: 'shape unchanged',
  inputs: { min: 1, max: 1 },
  params: {
    negative_slope: p.float({ default: 0.3, min: 0, tfjsName: 'alpha', help: 'Slope for negative inputs (tfjs calls it alpha).' }),
  },
  outputShape: ([x]) => x,
  weights: noWeights,
  keyParams: (q) => `slope ${q.negative_slope}`,
  kerasClass: 'LeakyReLU',
  tfjsFactory: 'leakyReLU',
  inputSpec: null,
  keras: { argAliases: { alpha: 'negative_slope' } },
});
