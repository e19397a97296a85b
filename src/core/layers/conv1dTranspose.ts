import { GLOROT_UNIFORM, ZEROS } from './shared/initializers';
import { defineLayer, expectKnown, expectRank, formatShape, ShapeError, tuple } from './define';
import { p } from './params';
import { num, step, tracing } from './trace';
import { checkStridesDilation, convForm, convKeyParams, convWeightShapes, kernelSizeSpec, stridesSpec, CONV_TRANSPOSE_POSITIONAL } from './shared/conv';

/**
 * Length of one spatial axis of a Keras transposed convolution, output_padding and dilation included.
 * Source: Keras keras/src/backend/common/backend_utils.py `_get_output_shape_given_tf_padding` (what
 * `compute_conv_transpose_output_shape` in keras/src/ops/operation_utils.py calls), with k' = (k − 1)·d + 1:
 *   valid: (n − 1)·s + k' + (output_padding ?? max(k', s) − k')
 *   same:  n·s when output_padding is None, else (n − 1)·s + k' mod 2 + output_padding.
 * `n` null stays null. May return 0 ('same', n = 1, even k', output_padding 0): the caller refuses it.
 */
export function convTransposeOutputLength(n: number | null, k: number, padding: string, s: number, outputPadding: number | null, d = 1): number | null {
  if (n === null) return null;
  const kd = (k - 1) * d + 1;
  if (padding === 'valid') return (n - 1) * s + kd + (outputPadding ?? Math.max(kd, s) - kd);
  return outputPadding === null ? n * s : (n - 1) * s + (kd % 2) + outputPadding;
}

/**
 * Records the steps axis of a transposed 1-D convolution as arithmetic (`convTransposeOutputLength`, same cases):
 * valid `steps: (5 − 1) × 2 + max(3, 2) = 11`, with output_padding `steps: (4 − 1) × 2 + 3 + 1 = 10`; same
 * `steps: 5 × 2 = 10`, or with output_padding `(4 − 1) × 2 + 4 mod 2 + 0 = 6`; a dilated window first spans
 * k' = (k − 1)·d + 1.
 */
function convTransposeStep(n: number | null, k: number, padding: string, s: number, op: number | null, d: number, out: number | null): void {
  if (n === null) return step('steps', 'an unknown size stays unknown', null);
  const kd = (k - 1) * d + 1;
  const span = d > 1 ? `window ${k} dilated by ${d} spans (${k} − 1) × ${d} + 1 = ${kd}` : undefined;
  const head = `(${num(n)} − 1) × ${s}`;
  if (padding === 'valid') return step('steps', op === null ? `${head} + max(${kd}, ${s})` : `${head} + ${kd} + output_padding ${op}`, out, span);
  if (op === null) return step('steps', `${num(n)} × ${s}`, out, "padding 'same'");
  step('steps', `${head} + ${kd} mod 2 + output_padding ${op}`, out, span ? `padding 'same', ${span}` : "padding 'same'");
}

/**
 * Transposed 1-D convolution ("deconvolution"): lengthens sequences, e.g. in a 1-D decoder or an audio generator.
 * Keras keras/src/layers/convolutional/conv1d_transpose.py (base_conv_transpose.py): filters, kernel_size,
 * strides, padding, output_padding (None or < strides), dilation_rate (> 1 only with strides 1), activation,
 * use_bias.
 * Shape: steps' = `convTransposeOutputLength` (Keras `compute_conv_transpose_output_shape`); channels → filters.
 * Weights (base_conv_transpose.py `build`): kernel (k, filters, c_in) — Keras's transposed layout, output
 * channels before input channels — and bias (filters): k·filters·c_in + filters. InputSpec after building:
 * min_ndim 3, axes {−1: c_in}.
 * MACs (validate/cost.ts), counted per INPUT position as for Conv2DTranspose: steps·k·c_in·filters.
 * tfjs 4.22 has no such layer: Layerlab's runtime defines it (runtime/layers/conv1dTranspose.ts).
 */
export const conv1dTranspose = defineLayer({
  kind: 'Conv1DTranspose',
  category: 'Convolution',
  description: 'The reverse of a strided Conv1D: spreads each step over a window, lengthening the sequence.',
  shapeRule: "(batch, steps, c) → (batch, (steps−1)·s + max(k, s), or steps·s for 'same', filters)",
  inputs: { min: 1, max: 1 },
  params: {
    filters: p.int({ default: 32, min: 1, always: true, help: 'Number of filters = output channels.' }),
    kernel_size: kernelSizeSpec(1, 3),
    strides: stridesSpec(1),
    padding: p.padding(),
    output_padding: p.intTuple({
      length: 1,
      default: null,
      min: 0,
      nullable: true,
      nullText: 'None: Keras chooses',
      help: 'Extra steps added at the end of the output, < strides; empty (None) lets Keras choose (output = steps·s for same).',
    }),
    dilation_rate: p.intTuple({
      length: 1,
      default: [1],
      min: 1,
      help: 'Spacing between kernel taps; > 1 widens the window without more weights (only with strides 1).',
    }),
    activation: p.activation(),
    use_bias: p.bool({ default: true, help: 'Add a learned bias to each filter.' }),
  },
  outputShape: ([x], q) => {
    expectRank(x, 3, convForm(1));
    expectKnown(x, [2], 'number of input channels');
    checkStridesDilation(q);
    const [k] = tuple(q, 'kernel_size');
    const [s] = tuple(q, 'strides');
    const [d] = tuple(q, 'dilation_rate');
    const op = q.output_padding === null ? null : q.output_padding[0];
    if (op !== null && op >= s)
      throw new ShapeError('param/conflict', `has output_padding ${op} with strides ${s}: Keras needs output_padding < strides; lower it or leave it empty`);
    const n = convTransposeOutputLength(x[1], k, q.padding, s, op, d);
    if (tracing()) convTransposeStep(x[1], k, q.padding, s, op, d, n);
    if (n !== null && n <= 0)
      throw new ShapeError(
        'shape/too-small',
        `gives an output of ${n} steps for the input ${formatShape(x)} (padding 'same', kernel_size ${k}, output_padding ${op}); use a longer input, output_padding ≥ 1 or an odd kernel_size`,
      );
    if (tracing()) step('features', 'filters', q.filters);
    return [x[0], n, q.filters];
  },
  weightShapes: ([x], q) => convWeightShapes([...tuple(q, 'kernel_size'), q.filters, x[2] as number], q.filters, q.use_bias),
  macs: ([x], q) => {
    const [k] = tuple(q, 'kernel_size');
    return x[1] === null ? null : x[1] * k * (x[2] as number) * q.filters;
  },
  keyParams: convKeyParams,
  kerasClass: 'Conv1DTranspose',
  tfjsFactory: 'conv1dTranspose',
  customLayer: true,
  inputSpec: ([x]) => ({ minNdim: 3, axes: { [-1]: x[2] } }),
  wasmGradient: 'Conv2DBackpropFilter',
  keras: {
    positional: CONV_TRANSPOSE_POSITIONAL,
    required: ['filters', 'kernel_size'],
    initializers: { kernel_initializer: GLOROT_UNIFORM, bias_initializer: ZEROS },
    aliases: ['Convolution1DTranspose'],
  },
});
