import { GLOROT_UNIFORM, ZEROS } from './shared/initializers';
import { deconvOutputLength, defineLayer, expectKnown, expectRank, sizeOf, tuple } from './define';
import type { Shape } from '../graph/types';
import { p } from './params';
import { num, step, tracing } from './trace';

/**
 * Records one axis of a transposed convolution as arithmetic (define.ts `deconvOutputLength`): valid
 * `height: 5 × 2 + max(3 − 2, 0) = 11`, same `height: 5 × 2 = 10 (padding 'same')`; an unknown size stays None.
 */
function deconvStep(axis: string, n: number | null, k: number, padding: string, s: number, out: number | null): void {
  if (n === null) step(axis, 'an unknown size stays unknown', null);
  else if (padding === 'same') step(axis, `${num(n)} × ${s}`, out, "padding 'same'");
  else step(axis, `${num(n)} × ${s} + max(${k} − ${s}, 0)`, out);
}
import { convForm, convKeyParams, convWeightShapes, kernelSizeSpec, stridesSpec, CONV_TRANSPOSE_POSITIONAL } from './shared/conv';

/**
 * Transposed 2-D convolution ("deconvolution"): grows height and width, e.g. in decoders.
 * Shape (Keras `compute_conv_transpose_output_shape` / `deconv_output_length` without output_padding,
 * tfjs-layers convolutional.ts `Conv2DTranspose.computeOutputShape` / conv_utils.ts `deconvLength`):
 *   valid: h' = h·s + max(k − s, 0); same: h' = h·s; channels → filters.
 * Weights (docs/keras-facts.md §4, keras/src/layers/convolutional/base_conv_transpose.py `build`): kernel (kh, kw,
 *   filters, c_in) — output channels before input channels —, bias (filters,): kh·kw·filters·c_in + filters.
 * MACs (validate/cost.ts), counted per INPUT position: h·w·kh·kw·c_in·filters. A transposed convolution
 * multiplies every input value by every kernel tap and adds the products into the output window (the
 * gradient of a Conv2D with respect to its input), so that is the work done whatever the padding; per output
 * position the count would vary with the stride (each output value receives about kh·kw/(sh·sw) taps) and,
 * with padding 'same', the products that land in the cropped border would be missed. The convention of
 * tf.profiler (tensorflow/python/profiler/internal/flops_registry.py `_conv_2d_backprop_input_flops`:
 * 2·out_elements·kernel_elements / (out_depth·stride²) = 2·h·w·kh·kw·c_in·filters for 'same') and of fvcore
 * (fvcore/nn/jit_handles.py `conv_flop_count`, transposed: the input's spatial size).
 * dilation_rate and output_padding are not offered: tfjs 4.22's Conv2DTranspose has neither.
 */
export const conv2dTranspose = defineLayer({
  kind: 'Conv2DTranspose',
  category: 'Convolution',
  description: 'The reverse of a strided Conv2D: spreads each pixel over a window, growing the image.',
  shapeRule: "(batch, h, w, c) → (batch, h·s + max(k−s, 0), or h·s for 'same', …, filters)",
  inputs: { min: 1, max: 1 },
  params: {
    filters: p.int({ default: 32, min: 1, always: true, help: 'Number of filters = output channels.' }),
    kernel_size: kernelSizeSpec(2, 3),
    strides: stridesSpec(2),
    padding: p.padding(),
    activation: p.activation(),
    use_bias: p.bool({ default: true, help: 'Add a learned bias to each filter.' }),
  },
  outputShape: ([x], q) => {
    expectRank(x, 4, convForm(2));
    expectKnown(x, [3], 'number of input channels');
    const k = tuple(q, 'kernel_size');
    const s = tuple(q, 'strides');
    const out: Shape = [x[0], deconvOutputLength(x[1], k[0], q.padding, s[0]), deconvOutputLength(x[2], k[1], q.padding, s[1]), q.filters];
    if (tracing()) {
      ['height', 'width'].forEach((axis, i) => deconvStep(axis, x[i + 1], k[i], q.padding, s[i], out[i + 1]));
      step('channels', 'filters', q.filters);
    }
    return out;
  },
  weightShapes: ([x], q) => convWeightShapes([...tuple(q, 'kernel_size'), q.filters, x[3] as number], q.filters, q.use_bias),
  macs: ([x], q) => {
    const positions = sizeOf(x, 1, 3);
    const [kh, kw] = tuple(q, 'kernel_size');
    return positions === null ? null : positions * kh * kw * (x[3] as number) * q.filters;
  },
  keyParams: convKeyParams,
  kerasClass: 'Conv2DTranspose',
  tfjsFactory: 'conv2dTranspose',
  inputSpec: ([x]) => ({ ndim: 4, axes: { 3: x[3] } }),
  wasmGradient: 'Conv2DBackpropFilter',
  keras: {
    positional: CONV_TRANSPOSE_POSITIONAL,
    required: ['filters', 'kernel_size'],
    initializers: { kernel_initializer: GLOROT_UNIFORM, bias_initializer: ZEROS },
    aliases: ['Convolution2DTranspose'],
  },
});
