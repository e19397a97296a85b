import { defineLayer, expectRank, formatPair, noWeights, tuple } from './define';
import { spatialStep, tracing } from './trace';
import { p } from './params';

/**
 * Repeats rows and columns: (batch, h, w, c) → (batch, h·size_h, w·size_w, c).
 * Shape (Keras keras/src/layers/reshaping/up_sampling2d.py `compute_output_shape`, tfjs-layers
 * convolutional.ts `UpSampling2D.computeOutputShape`). No weights.
 */
export const upSampling2d = defineLayer({
  kind: 'UpSampling2D',
  category: 'Convolution',
  description: 'Enlarges an image by repeating (or interpolating) its rows and columns.',
  shapeRule: '(batch, h, w, c) → (batch, h·size_h, w·size_w, c)',
  inputs: { min: 1, max: 1 },
  params: {
    size: p.intTuple({ length: 2, default: [2, 2], min: 1, help: 'Upsampling factors for rows and columns.' }),
    interpolation: p.choice({
      default: 'nearest',
      options: ['nearest', 'bilinear'],
      help: "How new pixels are filled: 'nearest' repeats, 'bilinear' interpolates (the two tfjs 4.22 supports).",
    }),
  },
  outputShape: ([x], q) => {
    expectRank(x, 4, '(batch, height, width, channels)');
    const [sh, sw] = tuple(q, 'size');
    const h = x[1] === null ? null : x[1] * sh;
    const w = x[2] === null ? null : x[2] * sw;
    if (tracing()) {
      spatialStep('height', x[1], `× ${sh}`, h);
      spatialStep('width', x[2], `× ${sw}`, w);
    }
    return [x[0], h, w, x[3]];
  },
  weights: noWeights,
  keyParams: (q) => [`×${formatPair(q.size)}`, q.interpolation === 'bilinear' ? 'bilinear' : null].filter(Boolean).join(' · '),
  kerasClass: 'UpSampling2D',
  tfjsFactory: 'upSampling2d',
  keras: { positional: ['size', 'data_format', 'interpolation'] },
  inputSpec: () => ({ ndim: 4 }),
});
