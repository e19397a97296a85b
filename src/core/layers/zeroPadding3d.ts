import { defineLayer, expectRank, noWeights, tuple } from './define';
import { spatialStep, tracing } from './trace';
import { p } from './params';

/**
 * Adds zeros around a volume, on each of its three spatial axes.
 * Shape (Keras keras/src/layers/reshaping/zero_padding3d.py `compute_output_shape`, channels last):
 * (batch, d, h, w, c) → (batch, d + d₁ + d₂, h + h₁ + h₂, w + w₁ + w₂, c); unknown sizes stay unknown.
 * `padding` is stored flat (d₁, d₂, h₁, h₂, w₁, w₂) and written ((d₁, d₂), (h₁, h₂), (w₁, w₂)). InputSpec ndim=5.
 * No weights. tfjs 4.22 has no such layer: Layerlab's runtime defines it (runtime/layers/spatial.ts).
 */
export const zeroPadding3d = defineLayer({
  kind: 'ZeroPadding3D',
  category: 'Convolution',
  description: 'Adds a border of zeros around each volume (depth, height and width, at both ends).',
  shapeRule: '(batch, d, h, w, c) → (batch, d + d₁ + d₂, h + h₁ + h₂, w + w₁ + w₂, c)',
  inputs: { min: 1, max: 1 },
  params: {
    padding: p.intTuple({
      length: 6,
      groups: 3,
      default: [1, 1, 1, 1, 1, 1],
      min: 0,
      help: 'Zeros to add: depth start, end, height start, end, width start, end (one number for all six, three for each axis).',
    }),
  },
  outputShape: ([x], q) => {
    expectRank(x, 5, '(batch, depth, height, width, channels)');
    const v = tuple(q, 'padding');
    const out = [1, 2, 3].map((a, i) => (x[a] === null ? null : x[a] + v[2 * i] + v[2 * i + 1]));
    if (tracing()) ['depth', 'height', 'width'].forEach((axis, i) => spatialStep(axis, x[i + 1], `+ ${v[2 * i]} + ${v[2 * i + 1]}`, out[i]));
    return [x[0], ...out, x[4]];
  },
  weights: noWeights,
  keyParams: (q) => {
    const v = tuple(q, 'padding');
    return v.every((d) => d === v[0]) ? `${v[0]}` : v.join(' ');
  },
  kerasClass: 'ZeroPadding3D',
  tfjsFactory: 'zeroPadding3d',
  customLayer: true,
  inputSpec: () => ({ ndim: 5 }),
});
