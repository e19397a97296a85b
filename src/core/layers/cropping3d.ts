import { defineLayer, expectRank, formatPair, noWeights, ShapeError, tuple } from './define';
import { spatialStep, tracing } from './trace';
import { p } from './params';

/**
 * Cuts slices off the edges of a volume, on each of its three spatial axes.
 * Shape (Keras keras/src/layers/reshaping/cropping3d.py `compute_output_shape`, channels last):
 * (batch, d, h, w, c) → (batch, d − d₁ − d₂, h − h₁ − h₂, w − w₁ − w₂, c); unknown sizes stay unknown. Keras refuses
 * a cropping that leaves nothing on an axis, and so does the core. `cropping` is stored flat (d₁, d₂, h₁, h₂, w₁, w₂)
 * and written ((d₁, d₂), (h₁, h₂), (w₁, w₂)). InputSpec ndim=5. No weights. tfjs 4.22 has no such layer:
 * Layerlab's runtime defines it (runtime/layers/spatial.ts).
 */
export const cropping3d = defineLayer({
  kind: 'Cropping3D',
  category: 'Convolution',
  description: 'Cuts slices off the edges of each volume (depth, height and width, at both ends).',
  shapeRule: '(batch, d, h, w, c) → (batch, d − d₁ − d₂, h − h₁ − h₂, w − w₁ − w₂, c)',
  inputs: { min: 1, max: 1 },
  params: {
    cropping: p.intTuple({
      length: 6,
      groups: 3,
      default: [1, 1, 1, 1, 1, 1],
      min: 0,
      help: 'Slices to cut: depth start, end, height start, end, width start, end (one number for all six, three for each axis).',
    }),
  },
  outputShape: ([x], q) => {
    expectRank(x, 5, '(batch, depth, height, width, channels)');
    const c = tuple(q, 'cropping');
    const out = [1, 2, 3].map((a, i) => {
      const n = x[a];
      return n === null ? null : n - c[2 * i] - c[2 * i + 1];
    });
    if (out.some((n) => n !== null && n <= 0))
      throw new ShapeError(
        'shape/too-small',
        `crops ${c[0]}+${c[1]}, ${c[2]}+${c[3]} and ${c[4]}+${c[5]} from a ${formatPair(x.slice(1, 4))} volume, which leaves nothing on an axis; crop less`,
      );
    if (tracing()) ['depth', 'height', 'width'].forEach((axis, i) => spatialStep(axis, x[i + 1], `− ${c[2 * i]} − ${c[2 * i + 1]}`, out[i]));
    return [x[0], ...out, x[4]];
  },
  weights: noWeights,
  keyParams: (q) => {
    const v = tuple(q, 'cropping');
    return v.every((d) => d === v[0]) ? `${v[0]}` : v.join(' ');
  },
  kerasClass: 'Cropping3D',
  tfjsFactory: 'cropping3d',
  customLayer: true,
  inputSpec: () => ({ ndim: 5 }),
});
