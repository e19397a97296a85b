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
 * 2-D convolution over (batch, height, width, channels) inputs (channels_last).
 * Shape (Keras `compute_conv_output_shape`, tfjs-layers convolutional.ts `Conv.computeOutputShape`):
 *   h' = conv_output_length(h, kh, padding, sh, dh), w' likewise; channels → filters.
 * Weights (docs/keras-facts.md §4, keras/src/layers/convolutional/base_conv.py `build`): kernel (kh, kw, c_in,
 *   filters), bias (filters,): kh·kw·c_in·filters + filters.
 * MACs (validate/cost.ts): kh·kw·c_in·filters per output position: h'·w'·kh·kw·c_in·filters.
 */
export const conv2d = defineLayer({
  kind: 'Conv2D',
  category: 'Convolution',
  description: 'Slides filters over an image; each filter makes one output channel.',
  shapeRule: "(batch, h, w, c) → (batch, ⌈(h−k+1)/s⌉ or ⌈h/s⌉ for 'same', …, filters)",
  inputs: { min: 1, max: 1 },
  params: {
    filters: p.int({ default: 32, min: 1, always: true, help: 'Number of filters = output channels.' }),
    kernel_size: kernelSizeSpec(2, 3),
    strides: stridesSpec(2),
    padding: p.padding(),
    dilation_rate: dilationSpec(2),
    activation: p.activation(),
    use_bias: p.bool({ default: true, help: 'Add a learned bias to each filter.' }),
  },
  outputShape: ([x], q) => convShape(x, q, 2, () => q.filters),
  weightShapes: ([x], q) => convWeightShapes([...tuple(q, 'kernel_size'), x[3] as number, q.filters], q.filters, q.use_bias),
  macs: ([x], q) => convMacs(x, q, 2, convProductsPerPosition(x, q)),
  keyParams: convKeyParams,
  kerasClass: 'Conv2D',
  tfjsFactory: 'conv2d',
  inputSpec: ([x]) => ({ ndim: 4, axes: { 3: x[3] } }),
  wasmGradient: 'Conv2DBackpropFilter',
  keras: {
    positional: CONV_POSITIONAL,
    required: ['filters', 'kernel_size'],
    initializers: { kernel_initializer: GLOROT_UNIFORM, bias_initializer: ZEROS },
    aliases: ['Convolution2D', 'Conv2d'],
  },
  trainingIssue: dilationTrainingIssue,
});
