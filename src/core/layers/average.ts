import { elementwiseMerge } from './shared/merge';

/**
 * Average: (x1 + x2 + …) / n, element by element, over two or more inputs.
 * Shape (Keras keras/src/layers/merging/base_merge.py `compute_output_shape`, tfjs-layers merge.ts
 * `Merge.computeOutputShape`): the inputs' shapes broadcast (`broadcastShapes`). No weights.
 */
export const average = elementwiseMerge({
  kind: 'Average',
  description: 'Averages its inputs element by element.',
  formula: '(x1 + x2 + …) / n',
  tfjsFactory: 'average',
});
