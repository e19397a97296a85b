import { expectRank } from './define';
import { noiseLayer } from './shared/noise';

/**
 * SpatialDropout3D: drops whole feature maps of a volume (one draw per sample and channel, the same at every
 * position) while training. Shape unchanged; the input must be (batch, depth, height, width, channels) (Keras
 * keras/src/layers/regularization/spatial_dropout.py: InputSpec ndim=5, noise shape (batch, 1, 1, 1, channels)).
 * No weights. tfjs 4.22 has no such layer: Layerlab's runtime defines it (runtime/layers/spatialDropout.ts).
 */
export const spatialDropout3d = noiseLayer({
  kind: 'SpatialDropout3D',
  description: 'While training, drops whole feature maps (channels) of a volume instead of single values.',
  tfjsFactory: 'spatialDropout3d',
  customLayer: true,
  param: 'rate',
  inputSpec: () => ({ ndim: 5 }),
  keras: { noTrainableArg: true },
  check: (x) => expectRank(x, 5, '(batch, depth, height, width, channels)'),
  shapeRule: 'shape unchanged; (batch, depth, height, width, channels) only',
});
