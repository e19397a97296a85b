import { defineLayer, formatShape, noWeights, resolveAxis, ShapeError } from './define';
import { p } from './params';
import { softmaxMask } from './shared/mask';

/**
 * Softmax as a layer: exp(x) / Σ exp(x) along `axis`. Shape unchanged, no weights
 * (Keras keras/src/layers/activations/softmax.py, tfjs-layers advanced_activations.ts `Softmax`).
 * tfjs's default axis is 1 (Keras's is −1), so generated TypeScript always names it; and tfjs-core's
 * softmax works on the last axis only ("Softmax along a non-last dimension is not yet supported").
 */
export const softmax = defineLayer({
  kind: 'Softmax',
  category: 'Activation',
  description: 'Turns scores into probabilities that sum to 1 along the last axis.',
  shapeRule: 'shape unchanged',
  inputs: { min: 1, max: 1 },
  params: {
    axis: p.int({ default: -1, min: -6, max: 5, tfjsDefault: 1, help: 'Axis the probabilities sum over; tfjs 4.22 supports only the last (−1).' }),
  },
  outputShape: ([x], q) => {
    const a = resolveAxis(q.axis, x.length);
    if (a === null) throw new ShapeError('shape/bad-axis', `axis ${q.axis} does not name a non-batch axis of ${formatShape(x)}; use −1`);
    if (a !== x.length - 1)
      throw new ShapeError(
        'shape/bad-axis',
        `axis ${q.axis} is not the last axis of ${formatShape(x)}: tfjs 4.22 computes softmax along the last axis only; use −1`,
      );
    return x;
  },
  weights: noWeights,
  keyParams: (q) => (q.axis === -1 ? '' : `axis ${q.axis}`),
  kerasClass: 'Softmax',
  tfjsFactory: 'softmax',
  inputSpec: null,
  outputActivation: () => 'softmax',
  mask: (xs, _ms, _q, received) => softmaxMask(xs, received),
});
