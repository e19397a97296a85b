import { GLOROT_UNIFORM, ZEROS } from './shared/initializers';
import { defineLayer, tuple } from './define';
import { p } from './params';
import { num } from './trace';
import { convKeyParams, convMacs, convWeightShapes, convShape, kernelSizeSpec, stridesSpec } from './shared/conv';

/**
 * Depthwise 2-D convolution: each input channel is convolved with its own depth_multiplier filters;
 * channels are not mixed.
 * Shape (Keras `compute_conv_output_shape` in base_depthwise_conv.py, tfjs-layers
 * convolutional_depthwise.ts `DepthwiseConv2D.computeOutputShape`): h', w' as Conv2D; channels → c_in·dm.
 * Weights (docs/keras-facts.md §4, keras/src/layers/convolutional/base_depthwise_conv.py `build`): kernel (kh, kw,
 *   c_in, dm), bias (c_in·dm,): kh·kw·c_in·dm + c_in·dm.
 * MACs (validate/cost.ts): kh·kw·c_in·dm per output position (each output channel sees one input channel).
 * dilation_rate is not offered: tfjs 4.22 ignores it (it passes no dilation to the kernel and leaves it
 * out of the output shape), so the model would differ from Keras's.
 */
export const depthwiseConv2d = defineLayer({
  kind: 'DepthwiseConv2D',
  category: 'Convolution',
  description: 'Filters each channel on its own (no channel mixing); depth_multiplier filters per channel.',
  shapeRule: "(batch, h, w, c) → (batch, ⌈(h−k+1)/s⌉ or ⌈h/s⌉ for 'same', …, c·depth_multiplier)",
  inputs: { min: 1, max: 1 },
  params: {
    kernel_size: kernelSizeSpec(2, 3),
    strides: stridesSpec(2),
    padding: p.padding(),
    depth_multiplier: p.int({ default: 1, min: 1, help: 'Filters per input channel; output channels = input channels × depth_multiplier.' }),
    activation: p.activation(),
    use_bias: p.bool({ default: true, help: 'Add a learned bias to each output channel.' }),
  },
  outputShape: ([x], q) =>
    convShape(
      x,
      q,
      2,
      (c) => c * q.depth_multiplier,
      (c) => `${num(c)} input channels × depth_multiplier ${q.depth_multiplier}`,
    ),
  // Keras 3 names the kernel `kernel` (base_depthwise_conv.py `build`); tfjs 4.22 and Keras 2 `depthwise_kernel`.
  weightShapes: ([x], q) =>
    convWeightShapes([...tuple(q, 'kernel_size'), x[3] as number, q.depth_multiplier], (x[3] as number) * q.depth_multiplier, q.use_bias),
  macs: ([x], q) => {
    const [kh, kw] = tuple(q, 'kernel_size');
    return convMacs(x, q, 2, kh * kw * (x[3] as number) * q.depth_multiplier);
  },
  keyParams: (q) => [convKeyParams(q), q.depth_multiplier !== 1 ? `×${q.depth_multiplier}` : null].filter(Boolean).join(' · '),
  kerasClass: 'DepthwiseConv2D',
  tfjsFactory: 'depthwiseConv2d',
  inputSpec: null,
  fixedWhenBuilt: 'rank',
  wasmGradient: 'DepthwiseConv2dNativeBackpropInput',
  keras: {
    positional: ['kernel_size', 'strides', 'padding', 'depth_multiplier', 'data_format', 'dilation_rate', 'activation', 'use_bias'],
    required: ['kernel_size'],
    initializers: { depthwise_initializer: GLOROT_UNIFORM, bias_initializer: ZEROS },
  },
});
