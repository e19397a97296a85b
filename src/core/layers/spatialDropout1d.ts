import { expectRank } from './define';
import { noiseLayer } from './shared/noise';

/**
 * SpatialDropout1D: drops whole feature channels of a sequence (the same channels at every step) while
 * training. Shape unchanged; the input must be (batch, steps, channels) (Keras
 * keras/src/layers/regularization/spatial_dropout.py, tfjs-layers core.ts `SpatialDropout1D`, ndim 3). No weights.
 */
export const spatialDropout1d = noiseLayer({
  kind: 'SpatialDropout1D',
  description: 'While training, drops whole channels of a sequence instead of single values.',
  tfjsFactory: 'spatialDropout1d',
  param: 'rate',
  inputSpec: () => ({ ndim: 3 }),
  keras: { noTrainableArg: true },
  check: (x) => expectRank(x, 3, '(batch, steps, channels)'),
  shapeRule: 'shape unchanged; (batch, steps, channels) only',
});
