import { defineLayer, noWeights } from './define';
import { p } from './params';
import { passMask } from './shared/mask';

/** Dropout: while training, sets a `rate` fraction of inputs to 0 and scales the rest by 1/(1−rate). Shape unchanged, no weights. */
export const dropout = defineLayer({
  kind: 'Dropout',
  category: 'Core',
  description: 'While training, zeroes a random fraction (rate) of the values; a regulariser.',
  shapeRule: 'shape unchanged',
  inputs: { min: 1, max: 1 },
  params: {
    rate: p.float({ default: 0.5, min: 0, maxExclusive: 1, always: true, help: 'Fraction of the inputs to drop, 0 ≤ rate < 1.' }),
  },
  outputShape: ([x]) => x,
  weights: noWeights,
  keyParams: (q) => `rate ${q.rate}`,
  kerasClass: 'Dropout',
  tfjsFactory: 'dropout',
  keras: { positional: ['rate', 'noise_shape', 'seed'], required: ['rate'] },
  inputSpec: null,
  mask: passMask,
});
