import { GLOROT_UNIFORM, ORTHOGONAL, ZEROS } from './shared/initializers';
import { rnnMask } from './shared/mask';
import { defineLayer } from './define';
import { p } from './params';
import { rnnKeyParams, rnnOutputs, rnnMacs, rnnParams, rnnShape, rnnWeightShapes } from './shared/rnn';

/**
 * GRU: gated recurrent unit, with update and reset gates; lighter than an LSTM.
 * Shape: `rnnShape` (Keras `RNN.compute_output_shape`, tfjs-layers recurrent.ts `RNN.computeOutputShape`).
 * Weights (docs/keras-facts.md §4): `rnnWeightShapes` with 3 gates: 3·(d·u + u·u + u), reset_after = false.
 * tfjs 4.22 refuses reset_after = true ("GRUCell does not support reset_after parameter set to true",
 * tfjs-layers recurrent.ts), which is Keras 3's default: so it stays false and Python writes reset_after=False.
 * MACs: `rnnMacs`, steps·3·(d·u + u·u).
 */
export const gru = defineLayer({
  kind: 'GRU',
  category: 'Recurrent',
  description: 'Gated recurrent unit: a lighter gated recurrent layer than LSTM.',
  shapeRule: '(batch, steps, d) → (batch, units), or (batch, steps, units) with return_sequences',
  inputs: { min: 1, max: 2 },
  params: {
    ...rnnParams(true),
    reset_after: p.bool({
      default: false,
      kerasDefault: true,
      fixed: 'tfjs 4.22 refuses reset_after=True (Keras 3’s default), so Layerlab writes reset_after=False',
      help: 'Apply the reset gate after the matrix product (Keras 3 default True). tfjs 4.22 supports only False, so it stays False and the Python code says so.',
    }),
  },
  outputShape: ([x, ...states], q) => rnnShape(x, q, states, 1),
  multiOutput: rnnOutputs(['state']),
  callForm: 'initialState',
  weightShapes: ([x], q) => rnnWeightShapes(x, q, 3),
  macs: ([x], q) => rnnMacs(x, q, 3),
  keyParams: rnnKeyParams,
  kerasClass: 'GRU',
  tfjsFactory: 'gru',
  inputSpec: ([x]) => ({ ndim: 3, shape: [null, null, x[2]] }),
  keras: {
    positional: [
      'units',
      'activation',
      'recurrent_activation',
      'use_bias',
      'kernel_initializer',
      'recurrent_initializer',
      'bias_initializer',
      'kernel_regularizer',
      'recurrent_regularizer',
      'bias_regularizer',
      'activity_regularizer',
      'kernel_constraint',
      'recurrent_constraint',
      'bias_constraint',
      'dropout',
      'recurrent_dropout',
      'seed',
      'return_sequences',
      'return_state',
      'go_backwards',
      'stateful',
      'unroll',
      'reset_after',
    ],
    required: ['units'],
    initializers: { kernel_initializer: GLOROT_UNIFORM, recurrent_initializer: ORTHOGONAL, bias_initializer: ZEROS },
    aliases: ['UnifiedGRU'],
    refuse: (args) =>
      args.reset_after === true
        ? 'is a GRU with reset_after=True (the tf.keras and Keras 3 default), which TensorFlow.js 4.22 cannot build; re-save it with reset_after=False.'
        : null,
  },
  mask: (xs, ms, q, received) => rnnMask(xs, ms, q.return_sequences === true, received),
});
