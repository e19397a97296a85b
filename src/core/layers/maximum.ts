import { elementwiseMerge } from './shared/merge';

/**
 * Maximum: max(x1, x2, …), element by element, over two or more inputs.
 * Shape (Keras keras/src/layers/merging/base_merge.py `compute_output_shape`, tfjs-layers merge.ts
 * `Merge.computeOutputShape`): the inputs' shapes broadcast (`broadcastShapes`). No weights.
 */
export const maximum = elementwiseMerge({
  kind: 'Maximum',
  description: 'Keeps the largest of its inputs at each position.',
  formula: 'max(x1, x2, …)',
  tfjsFactory: 'maximum',
});
