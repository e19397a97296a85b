import { defineLayer, expectRank, formatPair, noWeights, ShapeError, tuple } from './define';
import { spatialStep, tracing } from './trace';
import { p } from './params';

/**
 * Cuts rows and columns off the edges of an image.
 * Shape (Keras keras/src/layers/reshaping/cropping2d.py `compute_output_shape`, tfjs-layers
 * convolutional.ts `Cropping2D.computeOutputShape`): (batch, h − top − bottom, w − left − right, c).
 * Keras refuses a cropping that leaves nothing; tfjs returns a size ≤ 0, so the core refuses it. No weights.
 */
export const cropping2d = defineLayer({
  kind: 'Cropping2D',
  category: 'Convolution',
  description: 'Cuts rows and columns off the edges of each image (top, bottom, left, right).',
  shapeRule: '(batch, h, w, c) → (batch, h − top − bottom, w − left − right, c)',
  inputs: { min: 1, max: 1 },
  params: {
    cropping: p.intTuple({
      length: 4,
      groups: 2,
      default: [0, 0, 0, 0],
      min: 0,
      help: 'Rows and columns to cut: top, bottom, left, right (one number for all four, two for rows and columns).',
    }),
  },
  outputShape: ([x], q) => {
    expectRank(x, 4, '(batch, height, width, channels)');
    const [t, b, l, r] = tuple(q, 'cropping');
    const h = x[1] === null ? null : x[1] - t - b;
    const w = x[2] === null ? null : x[2] - l - r;
    if ((h !== null && h <= 0) || (w !== null && w <= 0))
      throw new ShapeError(
        'shape/too-small',
        `crops ${t}+${b} rows and ${l}+${r} columns from a ${formatPair([x[1], x[2]])} input, which leaves nothing; crop less`,
      );
    if (tracing()) {
      spatialStep('height', x[1], `− ${t} − ${b}`, h);
      spatialStep('width', x[2], `− ${l} − ${r}`, w);
    }
    return [x[0], h, w, x[3]];
  },
  weights: noWeights,
  keyParams: (q) => tuple(q, 'cropping').join(' '),
  kerasClass: 'Cropping2D',
  tfjsFactory: 'cropping2D',
  inputSpec: () => ({ ndim: 4 }),
});
