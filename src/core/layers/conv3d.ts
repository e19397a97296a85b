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
 * 3-D convolution over volumes or video (batch, depth, height, width, channels).
 * Shape (Keras `compute_conv_output_shape`, tfjs-layers convolutional.ts `Conv.computeOutputShape`):
 *   each of depth, height, width = conv_output_length(n, k, padding, s, d); channels → filters.
 * Weights (keras/src/layers/convolutional/base_conv.py `build`): kernel (kd, kh, kw, c_in, filters),
 *   bias (filters,): kd·kh·kw·c_in·filters + filters.
 * MACs (validate/cost.ts): kd·kh·kw·c_in·filters per output position.
 */
export const conv3d = defineLayer({
  kind: 'Conv3D',
  category: 'Convolution',
  description: 'Slides 3-D filters over a volume or video; each filter makes one output channel.',
  shapeRule: "(batch, d, h, w, c) → (batch, ⌈(d−k+1)/s⌉ or ⌈d/s⌉ for 'same', …, filters)",
  inputs: { min: 1, max: 1 },
  params: {
    filters: p.int({ default: 32, min: 1, always: true, help: 'Number of filters = output channels.' }),
    kernel_size: kernelSizeSpec(3, 3),
    strides: stridesSpec(3),
    padding: p.padding(),
    dilation_rate: dilationSpec(3),
    activation: p.activation(),
    use_bias: p.bool({ default: true, help: 'Add a learned bias to each filter.' }),
  },
  outputShape: ([x], q) => convShape(x, q, 3, () => q.filters),
  weightShapes: ([x], q) => convWeightShapes([...tuple(q, 'kernel_size'), x[4] as number, q.filters], q.filters, q.use_bias),
  macs: ([x], q) => convMacs(x, q, 3, convProductsPerPosition(x, q)),
  keyParams: convKeyParams,
  kerasClass: 'Conv3D',
  tfjsFactory: 'conv3d',
  inputSpec: ([x]) => ({ ndim: 5, axes: { 4: x[4] } }),
  keras: {
    positional: CONV_POSITIONAL,
    required: ['filters', 'kernel_size'],
    initializers: { kernel_initializer: GLOROT_UNIFORM, bias_initializer: ZEROS },
    aliases: ['Convolution3D'],
  },
  trainingIssue: dilationTrainingIssue,
});
