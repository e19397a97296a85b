import { elementwiseMerge } from './shared/merge';

/**
 * Add: x1 + x2 + …, element by element, over two or more inputs.
 * Shape (Keras keras/src/layers/merging/base_merge.py `compute_output_shape`, tfjs-layers merge.ts
 * `Merge.computeOutputShape`): the inputs' shapes broadcast (`broadcastShapes`). No weights.
 */
export const add = elementwiseMerge({
  kind: 'Add',
  description: 'Adds its inputs element by element, e.g. the skip connection of a residual block.',
  formula: 'x1 + x2 + …',
  tfjsFactory: 'add',
});
