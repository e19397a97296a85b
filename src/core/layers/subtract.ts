import { elementwiseMerge } from './shared/merge';

/**
 * Subtract: x1 − x2, element by element, of exactly two inputs.
 * Shape (Keras keras/src/layers/merging/subtract.py on base_merge.py `compute_output_shape`): the two shapes
 * broadcast as Add's do (`broadcastShapes`). No weights. tfjs 4.22 has no such layer: Layerlab's runtime defines
 * it (runtime/layers/subtract.ts).
 */
export const subtract = elementwiseMerge({
  kind: 'Subtract',
  description: 'Subtracts its second input from its first, element by element, e.g. the difference of two encodings.',
  formula: 'x1 − x2',
  tfjsFactory: 'subtract',
  maxInputs: 2,
  customLayer: true,
});
