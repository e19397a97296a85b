import { elementwiseMerge } from './shared/merge';

/**
 * Multiply: x1 · x2 · …, element by element, over two or more inputs.
 * Shape (Keras keras/src/layers/merging/base_merge.py `compute_output_shape`, tfjs-layers merge.ts
 * `Merge.computeOutputShape`): the inputs' shapes broadcast (`broadcastShapes`). No weights.
 */
export const multiply = elementwiseMerge({
  kind: 'Multiply',
  description: 'Multiplies its inputs element by element, e.g. to gate one tensor by another.',
  formula: 'x1 · x2 · …',
  tfjsFactory: 'multiply',
});
