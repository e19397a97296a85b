/**
 * Forward-value cases (tests/keras/forward.oracle.test.ts) of GRU with reset_after=True, Keras 3's default, which
 * Layerlab runs with its own GRU class (src/runtime/layers/gru.ts; tfjs 4.22 refuses it): the same inputs and weights
 * (kernel (d, 3u), recurrent_kernel (u, 3u), bias (2, 3u)) through Keras 3's GRU. The cases cover the output of every
 * step, the final state, an initial state, no bias, reading backwards, other activations. (Keras's Bidirectional is not a case: the oracle builds one layer from its own arguments.)
 */
import type { ForwardCase } from '../forward-types';

export const FORWARD_CASES: ForwardCase[] = [
  // d = units: kernel and recurrent_kernel have the same shape, so the oracle's swapped-weights self-test runs.
  {
    id: 'GRU reset_after d = units, return_sequences',
    kind: 'GRU',
    params: { units: 3, reset_after: true, return_sequences: true },
    inputs: [[null, 4, 3]],
  },
  { id: 'GRU reset_after last step', kind: 'GRU', params: { units: 4, reset_after: true }, inputs: [[null, 5, 3]] },
  {
    id: 'GRU reset_after return_sequences return_state',
    kind: 'GRU',
    params: { units: 3, reset_after: true, return_sequences: true, return_state: true },
    inputs: [[null, 6, 2]],
  },
  {
    id: 'GRU reset_after initial state, return_state',
    kind: 'GRU',
    params: { units: 4, reset_after: true, return_state: true },
    inputs: [
      [null, 5, 3],
      [null, 4],
    ],
  },
  {
    id: 'GRU reset_after no bias, go_backwards',
    kind: 'GRU',
    params: { units: 3, reset_after: true, use_bias: false, go_backwards: true, return_sequences: true },
    inputs: [[null, 4, 2]],
  },
  {
    id: 'GRU reset_after relu, tanh gates',
    kind: 'GRU',
    params: { units: 2, reset_after: true, activation: 'relu', recurrent_activation: 'tanh', return_sequences: true },
    inputs: [[null, 5, 3]],
  },
];
