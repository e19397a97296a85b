import { GLOROT_UNIFORM, ZEROS } from './shared/initializers';
import { defineLayer, tuple } from './define';
import { p } from './params';
import {
  convWeightShapes,
  convMacs,
  convProductsPerPosition,
  convKeyParams,
  convShape,
  dilationSpec,
  dilationTrainingIssue,
  kernelSizeSpec,
  stridesSpec,
  CONV_POSITIONAL,
} from './shared/conv';

/**
 * 1-D convolution over sequences (batch, steps, channels), e.g. text or signals.
 * Shape (Keras `compute_conv_output_shape`, tfjs-layers convolutional.ts `Conv.computeOutputShape`):
 *   steps' = conv_output_length(steps, k, padding, s, d); channels → filters.
 * Weights (keras/src/layers/convolutional/base_conv.py `build`): kernel (k, c_in, filters), bias (filters,):
 *   k·c_in·filters + filters.
 * MACs (validate/cost.ts): k·c_in·filters per output step.
 * padding 'causal' (WaveNet-style: output step t sees input steps ≤ t): the input is padded on the left by
 * dilation_rate·(kernel_size − 1) and convolved 'valid', so steps' = ⌈steps / s⌉ (Keras conv_utils
 * `conv_output_length`, keras/src/ops/operation_utils.py `compute_conv_output_shape`). tfjs 4.22 builds it but
 * throws "The support for CAUSAL padding mode in conv1dWithBias is not implemented yet" when it runs, and
 * declares the 'valid' length: Layerlab's Conv1D class (src/runtime/layers/conv1d.ts, `customWhen`) runs it.
 */
export const conv1d = defineLayer({
  kind: 'Conv1D',
  category: 'Convolution',
  description: 'Slides filters along a sequence; each filter makes one output channel.',
  shapeRule: "(batch, steps, c) → (batch, ⌈(steps−k+1)/s⌉, or ⌈steps/s⌉ for 'same' and 'causal', filters)",
  inputs: { min: 1, max: 1 },
  params: {
    filters: p.int({ default: 32, min: 1, always: true, help: 'Number of filters = output channels.' }),
    kernel_size: kernelSizeSpec(1, 3),
    strides: stridesSpec(1),
    padding: {
      ...p.padding(),
      options: ['valid', 'same', 'causal'],
      help: "'valid': no padding, the output shrinks; 'same': zero-padded so that output = ceil(input / stride); 'causal': padded on the left only, so step t sees steps ≤ t (WaveNet, temporal convolutions).",
    },
    dilation_rate: dilationSpec(1),
    activation: p.activation(),
    use_bias: p.bool({ default: true, help: 'Add a learned bias to each filter.' }),
  },
  outputShape: ([x], q) => convShape(x, q, 1, () => q.filters),
  weightShapes: ([x], q) => convWeightShapes([...tuple(q, 'kernel_size'), x[2] as number, q.filters], q.filters, q.use_bias),
  macs: ([x], q) => convMacs(x, q, 1, convProductsPerPosition(x, q)),
  keyParams: convKeyParams,
  kerasClass: 'Conv1D',
  tfjsFactory: 'conv1d',
  inputSpec: ([x]) => ({ ndim: 3, axes: { 2: x[2] } }),
  wasmGradient: 'Conv2DBackpropFilter',
  keras: {
    positional: CONV_POSITIONAL,
    required: ['filters', 'kernel_size'],
    initializers: { kernel_initializer: GLOROT_UNIFORM, bias_initializer: ZEROS },
    aliases: ['Convolution1D'],
  },
  trainingIssue: dilationTrainingIssue,
  customWhen: (q) => q.padding === 'causal',
});
