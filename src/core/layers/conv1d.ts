import { GLOROT_UNIFORM, ZEROS } from './shared/initializers';
import { defineLayer, tuple } from './define';
import { p } from './params';
import { convMacs, convProductsPerPosition, convKeyParams, convShape, dilationSpec, dilationTrainingIssue, kernelSizeSpec, stridesSpec } from './shared/conv';

/**
 * 1-D convolution over sequences (batch, steps, channels), e.g. text or signals.
 * Shape (Keras `compute_conv_output_shape`, tfjs-layers convolutional.ts `Conv.computeOutputShape`):
 *   steps' = conv_output_length(steps, k, padding, s, d); channels → filters.
 * Weights (keras/src/layers/convolutional/base_conv.py `build`): k·c_in·filters + filters.
 * MACs (validate/cost.ts): k·c_in·filters per output step.
 * 'causal' padding is not offered: tfjs 4.22 throws "The support for CAUSAL padding mode in conv1dWithBias
 * is not implemented yet" when the layer runs.
 */
export const conv1d = defineLayer({
  kind: 'Conv1D',
  category: 'Convolution',
  description: 'Slides filters along a sequence; each filter makes one output channel.',
  shapeRule: "(batch, steps, c) → (batch, ⌈(steps−k+1)/s⌉ or ⌈steps/s⌉ for 'same', filters)",
  inputs: { min: 1, max: 1 },
  params: {
    filters: p.int({ default: 32, min: 1, always: true, help: 'Number of filters = output channels.' }),
    kernel_size: kernelSizeSpec(1, 3),
    strides: stridesSpec(1),
    padding: p.padding(),
    dilation_rate: dilationSpec(1),
    activation: p.activation(),
    use_bias: p.bool({ default: true, help: 'Add a learned bias to each filter.' }),
  },
  outputShape: ([x], q) => convShape(x, q, 1, () => q.filters),
  weights: ([x], q) => {
    const [k] = tuple(q, 'kernel_size');
    const f = q.filters;
    return { trainable: k * (x[2] as number) * f + (q.use_bias ? f : 0), nonTrainable: 0 };
  },
  macs: ([x], q) => convMacs(x, q, 1, convProductsPerPosition(x, q)),
  keyParams: convKeyParams,
  kerasClass: 'Conv1D',
  tfjsFactory: 'conv1d',
  inputSpec: ([x]) => ({ ndim: 3, axes: { 2: x[2] } }),
  wasmGradient: 'Conv2DBackpropFilter',
  keras: {
    initializers: { kernel_initializer: GLOROT_UNIFORM, bias_initializer: ZEROS },
    // Checked on tfjs 4.22 (tests/unit/keras-import-fixes.test.ts): its symbolic shape for strides 2 on 10 steps is 4
    // where Keras gives ⌈10 / 2⌉ = 5, and running the layer throws.
    refuse: (a) =>
      a.padding === 'causal'
        ? '(Conv1D) uses padding=\'causal\', which Layerlab does not offer: tfjs 4.22 cannot run it ("The support for CAUSAL padding mode in conv1dWithBias is not implemented yet") and declares other output lengths than Keras; nothing was changed.'
        : null,
  },
  trainingIssue: dilationTrainingIssue,
});
