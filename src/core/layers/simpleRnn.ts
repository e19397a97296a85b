import { rnnMask } from './shared/mask';
import { defineLayer } from './define';
import { rnnKeras, rnnKeyParams, rnnOutputs, rnnMacs, rnnParams, rnnShape, rnnWeightShapes } from './shared/rnn';

/**
 * SimpleRNN: a fully connected recurrent layer, h_t = activation(x_t·W + h_{t−1}·U + b).
 * Shape: `rnnShape` (Keras `RNN.compute_output_shape`, tfjs-layers recurrent.ts `RNN.computeOutputShape`).
 * Weights: `rnnWeightShapes` with 1 gate: d·u + u·u + u.
 * MACs: `rnnMacs`, steps·d·u + u·u.
 */
export const simpleRnn = defineLayer({
  kind: 'SimpleRNN',
  category: 'Recurrent',
  description: 'The simplest recurrent layer: carries a state from step to step through a sequence.',
  shapeRule: '(batch, steps, d) → (batch, units), or (batch, steps, units) with return_sequences',
  inputs: { min: 1, max: 2 },
  params: rnnParams(false),
  outputShape: ([x, ...states], q) => rnnShape(x, q, states, 1),
  multiOutput: rnnOutputs(['state']),
  callForm: 'initialState',
  weightShapes: ([x], q) => rnnWeightShapes(x, q, 1),
  macs: ([x], q) => rnnMacs(x, q, 1),
  keyParams: rnnKeyParams,
  kerasClass: 'SimpleRNN',
  tfjsFactory: 'simpleRNN',
  inputSpec: ([x]) => ({ ndim: 3, shape: [null, null, x[2]] }),
  keras: rnnKeras({ gated: false, seed: false }),
  mask: (xs, ms, q, received) => rnnMask(xs, ms, q.return_sequences === true, received),
});
