import { defineLayer, expectRank, formatPair, noWeights, tuple } from './define';
import { spatialStep, tracing } from './trace';
import { p } from './params';

/**
 * Repeats the slices of a volume along depth, height and width: (batch, d, h, w, c) → (batch, d·s₁, h·s₂, w·s₃, c).
 * Shape (Keras keras/src/layers/reshaping/up_sampling3d.py `compute_output_shape`; `_resize_volumes` repeats
 * along axes 1, 2, 3: nearest neighbour, the only mode Keras's UpSampling3D has); unknown sizes stay unknown.
 * InputSpec ndim=5. No weights. tfjs 4.22 has no such layer: Layerlab's runtime defines it (runtime/layers/spatial.ts).
 */
export const upSampling3d = defineLayer({
  kind: 'UpSampling3D',
  category: 'Convolution',
  description: 'Enlarges a volume by repeating its slices along depth, height and width.',
  shapeRule: '(batch, d, h, w, c) → (batch, d·s₁, h·s₂, w·s₃, c)',
  inputs: { min: 1, max: 1 },
  params: {
    size: p.intTuple({ length: 3, default: [2, 2, 2], min: 1, help: 'Upsampling factors for depth, height and width.' }),
  },
  outputShape: ([x], q) => {
    expectRank(x, 5, '(batch, depth, height, width, channels)');
    const s = tuple(q, 'size');
    const out = [1, 2, 3].map((a, i) => (x[a] === null ? null : x[a] * s[i]));
    if (tracing()) ['depth', 'height', 'width'].forEach((axis, i) => spatialStep(axis, x[i + 1], `× ${s[i]}`, out[i]));
    return [x[0], ...out, x[4]];
  },
  weights: noWeights,
  keyParams: (q) => `×${formatPair(q.size)}`,
  kerasClass: 'UpSampling3D',
  tfjsFactory: 'upSampling3d',
  customLayer: true,
  inputSpec: () => ({ ndim: 5 }),
});
