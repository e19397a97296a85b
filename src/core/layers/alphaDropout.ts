import { noiseLayer } from './shared/noise';

/**
 * AlphaDropout: dropout that keeps the mean and variance of its inputs, for SELU networks.
 * Shape unchanged, no weights (Keras keras/src/layers/regularization/alpha_dropout.py, tfjs-layers noise.ts).
 */
export const alphaDropout = noiseLayer({
  kind: 'AlphaDropout',
  description: 'Dropout that keeps the mean and variance (for selu networks); acts only while training.',
  tfjsFactory: 'alphaDropout',
  param: 'rate',
});
