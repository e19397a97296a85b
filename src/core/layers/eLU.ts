import { defineLayer, noWeights } from './define';
import { p } from './params';

/**
 * ELU: x for x > 0, alpha·(exp(x) − 1) below. Shape unchanged, no weights
 * (Keras keras/src/layers/activations/elu.py, tfjs-layers advanced_activations.ts `ELU`).
 * tfjs 4.22 throws "Non-default alpha value (…) is not supported by the ELU layer yet", so alpha stays 1.
 */
export const eLU = defineLayer({
  kind: 'ELU',
  category: 'Activation',
  description: 'Exponential linear unit: x above zero, a smooth curve towards −alpha below.',
  shapeRule: 'shape unchanged',
  inputs: { min: 1, max: 1 },
  params: {
    alpha: p.float({ default: 1, fixed: 'tfjs 4.22’s ELU layer supports only alpha = 1', help: 'Scale of the negative part. tfjs 4.22 supports only 1.' }),
  },
  outputShape: ([x]) => x,
  weights: noWeights,
  keyParams: () => '',
  kerasClass: 'ELU',
  tfjsFactory: 'elu',
  inputSpec: null,
});
