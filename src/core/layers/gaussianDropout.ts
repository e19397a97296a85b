import { noiseLayer } from './shared/noise';

/**
 * GaussianDropout: multiplies by normal noise of mean 1 and stddev sqrt(rate / (1 − rate)) while training.
 * Shape unchanged, no weights (Keras keras/src/layers/regularization/gaussian_dropout.py, tfjs-layers noise.ts).
 */
export const gaussianDropout = noiseLayer({
  kind: 'GaussianDropout',
  description: 'While training, multiplies every value by random normal noise around 1; a regulariser.',
  tfjsFactory: 'gaussianDropout',
  param: 'rate',
});
