import { expectRank } from './define';
import { noiseLayer } from './shared/noise';

/**
 * SpatialDropout2D: drops whole feature maps of an image (one draw per sample and channel, the same at every
 * position) while training. Shape unchanged; the input must be (batch, height, width, channels) (Keras
 * keras/src/layers/regularization/spatial_dropout.py: InputSpec ndim=4, noise shape (batch, 1, 1, channels)).
 * No weights. tfjs 4.22 has no such layer: Layerlab's runtime defines it (runtime/layers/spatialDropout.ts).
 */
export const spatialDropout2d = noiseLayer({
  kind: 'SpatialDropout2D',
  description: 'While training, drops whole feature maps (channels) of an image instead of single values.',
  tfjsFactory: 'spatialDropout2d',
  customLayer: true,
  param: 'rate',
  inputSpec: () => ({ ndim: 4 }),
  keras: { noTrainableArg: true },
  check: (x) => expectRank(x, 4, '(batch, height, width, channels)'),
  shapeRule: 'shape unchanged; (batch, height, width, channels) only',
});
