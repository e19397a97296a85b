import { GLOROT_UNIFORM, ZEROS } from './shared/initializers';
import { defineLayer, tuple } from './define';
import { p } from './params';
import { convKeyParams, convMacs, convWeightShapes, convShape, dilationSpec, dilationTrainingIssue, kernelSizeSpec, stridesSpec } from './shared/conv';

/**
 * Depthwise-separable 2-D convolution: a depthwise convolution per input channel (depth_multiplier
 * filters each), then a 1×1 convolution mixing the channels into `filters`.
 * Shape (Keras `compute_conv_output_shape`, tfjs-layers convolutional.ts `SeparableConv` via
 * `Conv.computeOutputShape`): like Conv2D.
 * Weights (keras/src/layers/convolutional/base_separable_conv.py `build`, docs/keras-facts.md §4):
 *   depthwise_kernel (kh, kw, c_in, dm), pointwise_kernel (1, 1, c_in·dm, filters), bias (filters,):
 *   kh·kw·c_in·dm (depthwise) + c_in·dm·filters (pointwise) + filters (bias).
 * MACs (validate/cost.ts): per output position, kh·kw·c_in·dm (depthwise) + c_in·dm·filters (pointwise), the
 * depthwise step computed at the strided output positions only (as Keras's separable_conv2d does).
 */
export const separableConv2d = defineLayer({
  kind: 'SeparableConv2D',
  category: 'Convolution',
  description: 'A cheaper Conv2D: filters each channel on its own, then mixes channels with 1×1 filters.',
  shapeRule: "(batch, h, w, c) → (batch, ⌈(h−k+1)/s⌉ or ⌈h/s⌉ for 'same', …, filters)",
  inputs: { min: 1, max: 1 },
  params: {
    filters: p.int({ default: 32, min: 1, always: true, help: 'Number of output channels of the pointwise (1×1) step.' }),
    kernel_size: kernelSizeSpec(2, 3),
    strides: stridesSpec(2),
    padding: p.padding(),
    dilation_rate: dilationSpec(2),
    depth_multiplier: p.int({ default: 1, min: 1, help: 'Depthwise filters per input channel.' }),
    activation: p.activation(),
    use_bias: p.bool({ default: true, help: 'Add a learned bias to each output channel.' }),
  },
  outputShape: ([x], q) => convShape(x, q, 2, () => q.filters),
  weightShapes: ([x], q) => {
    const c = x[3] as number;
    const dm = q.depth_multiplier;
    return [
      { name: 'depthwise_kernel', shape: [...tuple(q, 'kernel_size'), c, dm], trainable: true },
      ...convWeightShapes([1, 1, c * dm, q.filters], q.filters, q.use_bias, 'pointwise_kernel'),
    ];
  },
  macs: ([x], q) => {
    const [kh, kw] = tuple(q, 'kernel_size');
    const cdm = (x[3] as number) * q.depth_multiplier;
    return convMacs(x, q, 2, kh * kw * cdm + cdm * q.filters);
  },
  keyParams: convKeyParams,
  kerasClass: 'SeparableConv2D',
  tfjsFactory: 'separableConv2d',
  inputSpec: ([x]) => ({ ndim: 4, axes: { 3: x[3] } }),
  wasmGradient: 'Conv2DBackpropFilter',
  keras: {
    positional: ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'depth_multiplier', 'activation', 'use_bias'],
    required: ['filters', 'kernel_size'],
    initializers: { depthwise_initializer: GLOROT_UNIFORM, pointwise_initializer: GLOROT_UNIFORM, bias_initializer: ZEROS },
    unwrittenByTfjs: { depth_multiplier: { weight: 'depthwise_kernel', axis: 3 } },
    aliases: ['SeparableConvolution2D'],
  },
  trainingIssue: dilationTrainingIssue,
});
