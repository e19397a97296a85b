import { defineLayer, noWeights } from './define';
import { passMask } from './shared/mask';

/**
 * Identity: returns its input unchanged (a placeholder, or a named point in a graph). Shape unchanged; no
 * weights; passes a Keras mask on (`supports_masking`).
 * Source: Keras keras/src/layers/core/identity.py. tfjs 4.22 has no such layer: Layerlab's runtime defines it
 * (runtime/layers/identity.ts).
 */
export const identity = defineLayer({
  kind: 'Identity',
  category: 'Core',
  description: 'Passes its input on unchanged: a placeholder or a named point in the model.',
  shapeRule: 'shape unchanged',
  inputs: { min: 1, max: 1 },
  params: {},
  outputShape: ([x]) => x,
  weights: noWeights,
  keyParams: () => '',
  kerasClass: 'Identity',
  tfjsFactory: 'identity',
  customLayer: true,
  inputSpec: null,
  mask: passMask,
});
