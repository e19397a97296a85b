import { rnnMask } from './shared/mask';
import { defineLayer } from './define';
import { p } from './params';
import { rnnKeras, rnnKeyParams, rnnOutputs, rnnMacs, rnnParams, rnnShape, rnnWeightShapes } from './shared/rnn';

/**
 * GRU: gated recurrent unit, with update and reset gates; lighter than an LSTM.
 * Shape: `rnnShape` (Keras `RNN.compute_output_shape`, tfjs-layers recurrent.ts `RNN.computeOutputShape`).
 * Weights (docs/keras-facts.md §4): `rnnWeightShapes` with 3 gates: kernel (d, 3u), recurrent_kernel (u, 3u) and
 * bias (3u,), 3·(d·u + u·u + u), with reset_after = false; with reset_after = true (Keras 3's default) the bias is
 * (2, 3u), input and recurrent biases, 3·(d·u + u·u + 2u) (keras/src/layers/rnn/gru.py `GRUCell.build`).
 * tfjs 4.22 refuses reset_after = true ("GRUCell does not support reset_after parameter set to true",
 * tfjs-layers recurrent.ts): Layerlab's GRU class (src/runtime/layers/gru.ts, `customWhen`) runs it.
 * Layerlab's default stays false, tfjs's own GRU (generated TypeScript needs no Layerlab module, saved projects
 * keep their counts); Python then writes reset_after=False, Keras 3's default being True.
 * MACs: `rnnMacs`, steps·3·(d·u + u·u) either way (the reset gate multiplies before or after the same product).
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
      help: 'Apply the reset gate after the recurrent matrix product, with a second (recurrent) bias vector: Keras 3’s default (True) and what cuDNN computes. False: before the product, one bias vector, tfjs’s own GRU (Layerlab’s default). True adds 3 × units weights and runs Layerlab’s GRU class in the browser.',
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
  keras: rnnKeras({ gated: true, seed: true, tail: ['stateful', 'unroll', 'reset_after'], aliases: ['UnifiedGRU'] }),
  customWhen: (q) => q.reset_after === true,
  mask: (xs, ms, q, received) => rnnMask(xs, ms, q.return_sequences === true, received),
});
