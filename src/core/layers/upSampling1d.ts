import { defineLayer, expectRank, noWeights } from './define';
import { spatialStep, tracing } from './trace';
import { p } from './params';

/**
 * Repeats each step of a sequence `size` times: (batch, steps, c) → (batch, steps·size, c).
 * Shape (Keras keras/src/layers/reshaping/up_sampling1d.py `compute_output_shape`; `call` is
 * `ops.repeat(x, size, axis=1)`); an unknown length stays unknown. Keras's `size` is one integer. InputSpec ndim=3.
 * No weights. tfjs 4.22 has no such layer: Layerlab's runtime defines it (runtime/layers/spatial.ts).
 */
export const upSampling1d = defineLayer({
  kind: 'UpSampling1D',
  category: 'Convolution',
  description: 'Lengthens a sequence by repeating each step size times.',
  shapeRule: '(batch, steps, c) → (batch, steps·size, c)',
  inputs: { min: 1, max: 1 },
  params: {
    size: p.int({ default: 2, min: 1, help: 'How many times each step is repeated.' }),
  },
  outputShape: ([x], q) => {
    expectRank(x, 3, '(batch, steps, channels)');
    const n = x[1] === null ? null : x[1] * q.size;
    if (tracing()) spatialStep('steps', x[1], `× ${q.size}`, n);
    return [x[0], n, x[2]];
  },
  weights: noWeights,
  keyParams: (q) => `×${q.size}`,
  kerasClass: 'UpSampling1D',
  tfjsFactory: 'upSampling1d',
  customLayer: true,
  inputSpec: () => ({ ndim: 3 }),
});
