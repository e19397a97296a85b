import { noiseLayer } from './shared/noise';

/**
 * GaussianNoise: adds zero-mean normal noise of the given stddev while training; identity at inference.
 * Shape unchanged, no weights (Keras keras/src/layers/regularization/gaussian_noise.py, tfjs-layers noise.ts).
 */
export const gaussianNoise = noiseLayer({
  kind: 'GaussianNoise',
  description: 'While training, adds random normal noise (stddev) to every value; a regulariser.',
  tfjsFactory: 'gaussianNoise',
  param: 'stddev',
});
