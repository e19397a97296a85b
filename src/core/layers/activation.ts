import { defineLayer, noWeights } from './define';
import { p } from './params';
import { passMask } from './shared/mask';

/**
 * Applies an activation function element-wise. Shape unchanged (Keras keras/src/layers/activations/
 * activation.py `compute_output_shape`; tfjs-layers core.ts `Activation` keeps Layer's identity). No weights.
 */
export const activation = defineLayer({
  kind: 'Activation',
  category: 'Core',
  description: 'Applies an activation function (relu, softmax, …) to every value.',
  shapeRule: 'shape unchanged',
  inputs: { min: 1, max: 1 },
  params: {
    activation: { ...p.activation({ default: 'relu', help: 'The activation function to apply.' }), always: true },
  },
  outputShape: ([x]) => x,
  weights: noWeights,
  keyParams: (q) => String(q.activation),
  kerasClass: 'Activation',
  tfjsFactory: 'activation',
  keras: { required: ['activation'] },
  inputSpec: null,
  mask: passMask,
});
