import { defineLayer, expectRank, noWeights, tuple } from './define';
import { spatialStep, tracing } from './trace';
import { p } from './params';

/**
 * Adds zero steps at the start and the end of a sequence.
 * Shape (Keras keras/src/layers/reshaping/zero_padding1d.py `compute_output_shape`, channels last):
 * (batch, steps, c) → (batch, steps + start + end, c); an unknown length stays unknown. InputSpec ndim=3.
 * No weights. tfjs 4.22 has no such layer: Layerlab's runtime defines it (runtime/layers/spatial.ts).
 */
export const zeroPadding1d = defineLayer({
  kind: 'ZeroPadding1D',
  category: 'Convolution',
  description: 'Adds steps of zeros at the start and the end of each sequence.',
  shapeRule: '(batch, steps, c) → (batch, steps + start + end, c)',
  inputs: { min: 1, max: 1 },
  params: {
    padding: p.intTuple({ length: 2, default: [1, 1], min: 0, help: 'Zero steps to add: at the start, at the end (one number for both).' }),
  },
  outputShape: ([x], q) => {
    expectRank(x, 3, '(batch, steps, channels)');
    const [a, b] = tuple(q, 'padding');
    const n = x[1] === null ? null : x[1] + a + b;
    if (tracing()) spatialStep('steps', x[1], `+ ${a} + ${b}`, n);
    return [x[0], n, x[2]];
  },
  weights: noWeights,
  keyParams: (q) => {
    const [a, b] = tuple(q, 'padding');
    return a === b ? `${a}` : `${a} ${b}`;
  },
  kerasClass: 'ZeroPadding1D',
  tfjsFactory: 'zeroPadding1d',
  customLayer: true,
  inputSpec: () => ({ ndim: 3 }),
});
