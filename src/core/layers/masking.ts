import { defineLayer, noWeights } from './define';
import { p } from './params';

/**
 * Masking: marks time steps whose features all equal mask_value, so layers that support masking (RNNs)
 * skip them. Shape unchanged (Keras keras/src/layers/core/masking.py, tfjs-layers core.ts `Masking`). No weights.
 * tfjs cannot backpropagate through it (its `call` uses `any`, which has no gradient), so layers before it
 * cannot train; as the first layer after an Input (where Keras models put it) it trains.
 */
export const masking = defineLayer({
  kind: 'Masking',
  category: 'Core',
  description: 'Marks time steps equal to mask_value as padding, so RNNs after it skip them.',
  shapeRule: 'shape unchanged',
  inputs: { min: 1, max: 1 },
  params: {
    mask_value: p.float({ default: 0, help: 'A step is masked when all its features equal this value.' }),
  },
  outputShape: ([x]) => x,
  weights: noWeights,
  keyParams: (q) => `= ${q.mask_value}`,
  kerasClass: 'Masking',
  tfjsFactory: 'masking',
  inputSpec: null,
  startsMask: () => true,
  // A step is masked when all its features equal mask_value: the mask drops the last axis (tfjs core.ts `Masking.computeMask`).
  mask: ([x]) => x.slice(0, -1),
  trainingIssue: (_q, upstreamWeights) =>
    upstreamWeights
      ? 'tfjs 4.22 has no gradient through Masking ("gradient function not found for Any"), so the layers before it cannot train in the browser; put Masking first, right after the Input'
      : null,
});
