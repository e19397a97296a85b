import { defineLayer, expectRank, noWeights, tuple } from './define';
import { spatialStep, tracing } from './trace';
import { p } from './params';

/**
 * Adds rows and columns of zeros around an image.
 * Shape (Keras keras/src/layers/reshaping/zero_padding2d.py `compute_output_shape`, tfjs-layers
 * padding.ts `ZeroPadding2D.computeOutputShape`): (batch, h + top + bottom, w + left + right, c). No weights.
 * `padding` is stored flat (top, bottom, left, right) and written ((top, bottom), (left, right)).
 */
export const zeroPadding2d = defineLayer({
  kind: 'ZeroPadding2D',
  category: 'Convolution',
  description: 'Adds a border of zeros around each image (top, bottom, left, right).',
  shapeRule: '(batch, h, w, c) → (batch, h + top + bottom, w + left + right, c)',
  inputs: { min: 1, max: 1 },
  params: {
    padding: p.intTuple({
      length: 4,
      groups: 2,
      default: [1, 1, 1, 1],
      min: 0,
      help: 'Zeros to add: top, bottom, left, right (one number for all four, two for rows and columns).',
    }),
  },
  outputShape: ([x], q) => {
    expectRank(x, 4, '(batch, height, width, channels)');
    const [t, b, l, r] = tuple(q, 'padding');
    const h = x[1] === null ? null : x[1] + t + b;
    const w = x[2] === null ? null : x[2] + l + r;
    if (tracing()) {
      spatialStep('height', x[1], `+ ${t} + ${b}`, h);
      spatialStep('width', x[2], `+ ${l} + ${r}`, w);
    }
    return [x[0], h, w, x[3]];
  },
  weights: noWeights,
  keyParams: (q) => {
    const v = tuple(q, 'padding');
    return v.every((d) => d === v[0]) ? `${v[0]}` : v.join(' ');
  },
  kerasClass: 'ZeroPadding2D',
  tfjsFactory: 'zeroPadding2d',
  inputSpec: () => ({ ndim: 4 }),
});
