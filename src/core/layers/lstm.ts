import { rnnMask } from './shared/mask';
import { defineLayer } from './define';
import { rnnKeras, rnnKeyParams, rnnOutputs, rnnMacs, rnnParams, rnnShape, rnnWeightShapes } from './shared/rnn';

/**
 * LSTM: long short-term memory, with input, forget and output gates and a cell state.
 * Shape: `rnnShape` (Keras `RNN.compute_output_shape`, tfjs-layers recurrent.ts `RNN.computeOutputShape`).
 * Weights (docs/keras-facts.md §4): `rnnWeightShapes` with 4 gates: 4·(d·u + u·u + u).
 * MACs: `rnnMacs`, steps·4·(d·u + u·u).
 */
export const lstm = defineLayer({
  kind: 'LSTM',
  category: 'Recurrent',
  description: 'Long short-term memory: a gated recurrent layer that keeps information over long sequences.',
  shapeRule: '(batch, steps, d) → (batch, units), or (batch, steps, units) with return_sequences',
  inputs: { min: 1, max: 3 },
  params: rnnParams(true),
  outputShape: ([x, ...states], q) => rnnShape(x, q, states, 2),
  multiOutput: rnnOutputs(['state_h', 'state_c']),
  callForm: 'initialState',
  weightShapes: ([x], q) => rnnWeightShapes(x, q, 4),
  macs: ([x], q) => rnnMacs(x, q, 4),
  keyParams: rnnKeyParams,
  kerasClass: 'LSTM',
  tfjsFactory: 'lstm',
  inputSpec: ([x]) => ({ ndim: 3, shape: [null, null, x[2]] }),
  keras: rnnKeras({ gated: true, unitForgetBias: true, seed: true, aliases: ['UnifiedLSTM'] }),
  mask: (xs, ms, q, received) => rnnMask(xs, ms, q.return_sequences === true, received),
});
