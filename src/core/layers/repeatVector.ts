import { defineLayer, expectRank, noWeights } from './define';
import { step, tracing } from './trace';
import { p } from './params';

/**
 * RepeatVector: repeats a vector n times, e.g. to feed an encoding to every step of a decoder RNN.
 * Shape (Keras keras/src/layers/reshaping/repeat_vector.py, tfjs-layers core.ts `RepeatVector`):
 * (batch, d) → (batch, n, d); the input must have rank 2. No weights.
 */
export const repeatVector = defineLayer({
  kind: 'RepeatVector',
  category: 'Core',
  description: 'Repeats each input vector n times, making a sequence.',
  shapeRule: '(batch, d) → (batch, n, d)',
  inputs: { min: 1, max: 1 },
  params: {
    n: p.int({ default: 2, min: 1, always: true, help: 'How many times to repeat the vector.' }),
  },
  outputShape: ([x], q) => {
    expectRank(x, 2, '(batch, features)');
    if (tracing()) step('steps', 'the vector repeated n times', q.n, 'a new axis');
    return [x[0], q.n, x[1]];
  },
  weights: noWeights,
  keyParams: (q) => `×${q.n}`,
  kerasClass: 'RepeatVector',
  tfjsFactory: 'repeatVector',
  keras: { required: ['n'] },
  inputSpec: () => ({ ndim: 2 }),
});
