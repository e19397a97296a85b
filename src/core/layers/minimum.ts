import { elementwiseMerge } from './shared/merge';

/**
 * Minimum: min(x1, x2, …), element by element, over two or more inputs.
 * Shape (Keras keras/src/layers/merging/base_merge.py `compute_output_shape`, tfjs-layers merge.ts
 * `Merge.computeOutputShape`): the inputs' shapes broadcast (`broadcastShapes`). No weights.
 */
export const minimum = elementwiseMerge({
  kind: 'Minimum',
  description: 'Keeps the smallest of its inputs at each position.',
  formula: 'min(x1, x2, …)',
  tfjsFactory: 'minimum',
});
