/**
 * Forward-value cases (tests/keras/forward.oracle.test.ts) of Conv1D with padding='causal', which Layerlab runs with
 * its own Conv1D class (src/runtime/layers/conv1d.ts; tfjs 4.22 throws on it): the same inputs and weights through
 * Keras 3's Conv1D. Dilation and strides change how far the causal padding reaches and how many steps come out.
 */
import type { ForwardCase } from '../forward-types';

export const FORWARD_CASES: ForwardCase[] = [
  { id: 'Conv1D causal k3', kind: 'Conv1D', params: { filters: 2, kernel_size: [3], padding: 'causal' }, inputs: [[null, 6, 3]] },
  {
    id: 'Conv1D causal k2 dilation 2 relu',
    kind: 'Conv1D',
    params: { filters: 3, kernel_size: [2], padding: 'causal', dilation_rate: [2], activation: 'relu' },
    inputs: [[null, 7, 2]],
  },
  {
    id: 'Conv1D causal k3 strides 2 no bias',
    kind: 'Conv1D',
    params: { filters: 2, kernel_size: [3], strides: [2], padding: 'causal', use_bias: false },
    inputs: [[null, 7, 2]],
  },
];
