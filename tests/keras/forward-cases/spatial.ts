/**
 * Forward-value cases (tests/keras/forward.oracle.test.ts) of the 1-D and 3-D spatial kinds Layerlab defines as
 * custom tfjs layers (src/runtime/layers/spatial.ts, conv1dTranspose.ts): the same inputs and weights through
 * Keras 3's own Cropping1D/3D, ZeroPadding1D/3D, UpSampling1D/3D, GlobalAveragePooling3D, GlobalMaxPooling3D and
 * Conv1DTranspose. Conv1DTranspose covers both paddings, strides above and below the kernel size, output_padding
 * (which changes Keras's 'same' length rule), dilation, no bias and an activation: the cases where its paddings
 * and its flipped, transposed kernel could go wrong.
 */
import type { ForwardCase } from '../forward-types';

export const FORWARD_CASES: ForwardCase[] = [
  { id: 'Cropping1D default', kind: 'Cropping1D', params: {}, inputs: [[null, 5, 3]] },
  { id: 'Cropping1D (0, 2)', kind: 'Cropping1D', params: { cropping: [0, 2] }, inputs: [[null, 6, 2]] },
  { id: 'Cropping3D asymmetric', kind: 'Cropping3D', params: { cropping: [0, 1, 2, 0, 1, 1] }, inputs: [[null, 3, 4, 5, 2]] },
  { id: 'ZeroPadding1D (2, 1)', kind: 'ZeroPadding1D', params: { padding: [2, 1] }, inputs: [[null, 3, 2]] },
  { id: 'ZeroPadding3D asymmetric', kind: 'ZeroPadding3D', params: { padding: [1, 0, 0, 2, 1, 1] }, inputs: [[null, 2, 2, 3, 2]] },
  { id: 'UpSampling1D size 3', kind: 'UpSampling1D', params: { size: 3 }, inputs: [[null, 4, 2]] },
  { id: 'UpSampling3D (1, 2, 3)', kind: 'UpSampling3D', params: { size: [1, 2, 3] }, inputs: [[null, 2, 2, 2, 3]] },
  { id: 'GlobalAveragePooling3D', kind: 'GlobalAveragePooling3D', params: {}, inputs: [[null, 2, 3, 4, 3]] },
  { id: 'GlobalAveragePooling3D keepdims', kind: 'GlobalAveragePooling3D', params: { keepdims: true }, inputs: [[null, 3, 2, 2, 2]] },
  { id: 'GlobalMaxPooling3D', kind: 'GlobalMaxPooling3D', params: {}, inputs: [[null, 2, 3, 4, 3]] },
  { id: 'GlobalMaxPooling3D keepdims', kind: 'GlobalMaxPooling3D', params: { keepdims: true }, inputs: [[null, 3, 2, 2, 2]] },
  { id: 'Conv1DTranspose valid s2 k3', kind: 'Conv1DTranspose', params: { filters: 3, kernel_size: [3], strides: [2] }, inputs: [[null, 5, 2]] },
  {
    id: 'Conv1DTranspose same s2 k3 relu',
    kind: 'Conv1DTranspose',
    params: { filters: 2, kernel_size: [3], strides: [2], padding: 'same', activation: 'relu' },
    inputs: [[null, 5, 3]],
  },
  {
    id: 'Conv1DTranspose same s3 k2',
    kind: 'Conv1DTranspose',
    params: { filters: 2, kernel_size: [2], strides: [3], padding: 'same' },
    inputs: [[null, 4, 2]],
  },
  {
    id: 'Conv1DTranspose valid s3 k2 (stride > kernel)',
    kind: 'Conv1DTranspose',
    params: { filters: 2, kernel_size: [2], strides: [3] },
    inputs: [[null, 4, 1]],
  },
  {
    id: 'Conv1DTranspose valid output_padding 1',
    kind: 'Conv1DTranspose',
    params: { filters: 2, kernel_size: [3], strides: [2], output_padding: [1] },
    inputs: [[null, 4, 2]],
  },
  {
    id: 'Conv1DTranspose same k4 s2 output_padding 0',
    kind: 'Conv1DTranspose',
    params: { filters: 2, kernel_size: [4], strides: [2], padding: 'same', output_padding: [0] },
    inputs: [[null, 4, 3]],
  },
  {
    id: 'Conv1DTranspose same k5 s3 output_padding 2',
    kind: 'Conv1DTranspose',
    params: { filters: 1, kernel_size: [5], strides: [3], padding: 'same', output_padding: [2] },
    inputs: [[null, 3, 2]],
  },
  {
    id: 'Conv1DTranspose dilation 2 valid, no bias',
    kind: 'Conv1DTranspose',
    params: { filters: 2, kernel_size: [3], dilation_rate: [2], use_bias: false },
    inputs: [[null, 5, 2]],
  },
  {
    id: 'Conv1DTranspose dilation 3 same k2',
    kind: 'Conv1DTranspose',
    params: { filters: 3, kernel_size: [2], dilation_rate: [3], padding: 'same' },
    inputs: [[null, 4, 2]],
  },
];
