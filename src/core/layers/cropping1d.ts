import { defineLayer, expectRank, noWeights, ShapeError, tuple } from './define';
import { spatialStep, tracing } from './trace';
import { p } from './params';

/**
 * Cuts steps off the start and the end of a sequence.
 * Shape (Keras keras/src/layers/reshaping/cropping1d.py `compute_output_shape`): (batch, steps, c) →
 * (batch, steps − start − end, c); an unknown length stays unknown. Keras refuses a cropping that leaves no step
 * ("`cropping` parameter of `Cropping1D` layer must be smaller than the input length"), and so does the core.
 * InputSpec ndim=3. No weights. tfjs 4.22 has no such layer: Layerlab's runtime defines it (runtime/layers/spatial.ts).
 */
export const cropping1d = defineLayer({
  kind: 'Cropping1D',
  category: 'Convolution',
  description: 'Cuts steps off the start and the end of each sequence.',
  shapeRule: '(batch, steps, c) → (batch, steps − start − end, c)',
  inputs: { min: 1, max: 1 },
  params: {
    cropping: p.intTuple({
      length: 2,
      default: [1, 1],
      min: 0,
      help: 'Steps to cut: at the start, at the end (one number for both).',
    }),
  },
  outputShape: ([x], q) => {
    expectRank(x, 3, '(batch, steps, channels)');
    const [a, b] = tuple(q, 'cropping');
    const n = x[1] === null ? null : x[1] - a - b;
    if (n !== null && n <= 0)
      throw new ShapeError('shape/too-small', `crops ${a}+${b} steps from a sequence of ${x[1]} steps, which leaves nothing; crop less`);
    if (tracing()) spatialStep('steps', x[1], `− ${a} − ${b}`, n);
    return [x[0], n, x[2]];
  },
  weights: noWeights,
  keyParams: (q) => tuple(q, 'cropping').join(' '),
  kerasClass: 'Cropping1D',
  tfjsFactory: 'cropping1d',
  customLayer: true,
  inputSpec: () => ({ ndim: 3 }),
});
