/**
 * What the convolution kinds share (Conv1D, Conv2D, Conv3D, SeparableConv2D, DepthwiseConv2D,
 * Conv2DTranspose): parameter schemas, the spatial output-shape rule and the node text. Each kind's
 * own file declares it with these.
 */
import type { Shape } from '../../graph/types';
import { convOutputLength, expectKnown, expectRank, formatPair, product, ShapeError, sizeOf, tuple, type WeightSpec } from '../define';
import { p, type IntTupleSpec } from '../params';
import { note, num, step, tracing } from '../trace';

const AXES = ['length', 'height and width', 'depth, height and width'];
const FORMS = ['(batch, steps, channels)', '(batch, height, width, channels)', '(batch, depth, height, width, channels)'];

/** The arguments the convolution rules read (every convolution kind has these; filters, dilation_rate and activation most). */
export interface ConvArgs {
  readonly kernel_size: readonly number[];
  readonly strides: readonly number[];
  readonly padding: string;
  readonly dilation_rate?: readonly number[];
  readonly filters?: number;
  readonly activation?: string;
}

/** The input form of a rank-`r` convolution, e.g. '(batch, height, width, channels)'. */
export const convForm = (r: number): string => FORMS[r - 1];

/** kernel_size of a rank-`r` convolution (Keras: required, an int or `r` ints). */
export const kernelSizeSpec = (r: number, dflt: number, always = true): IntTupleSpec =>
  p.intTuple({ length: r, default: Array(r).fill(dflt), min: 1, always, help: `Size of the convolution window (${AXES[r - 1]}).` });

/** strides of a rank-`r` convolution (Keras default 1 on every axis). */
export const stridesSpec = (r: number): IntTupleSpec =>
  p.intTuple({ length: r, default: Array(r).fill(1), min: 1, help: `Step of the window (${AXES[r - 1]}); > 1 cannot be combined with dilation_rate > 1.` });

/** dilation_rate of a rank-`r` convolution (Keras default 1). */
export const dilationSpec = (r: number): IntTupleSpec =>
  p.intTuple({
    length: r,
    default: Array(r).fill(1),
    min: 1,
    help: 'Spacing between kernel taps (atrous convolution); > 1 widens the window without more weights. tfjs 4.22 builds it but has no gradient for it, so such a model cannot train in the browser.',
  });

/**
 * Checks Keras's rule that strides and dilation_rate are not both > 1 (keras/src/layers/convolutional/
 * base_conv.py `BaseConv.__init__`; tfjs-core conv2d asserts "Either strides or dilations must be 1").
 * @throws ShapeError 'param/conflict'.
 */
export function checkStridesDilation(q: { readonly strides: readonly number[]; readonly dilation_rate: readonly number[] }): void {
  const s = tuple(q, 'strides');
  const d = tuple(q, 'dilation_rate');
  if (Math.max(...s) > 1 && Math.max(...d) > 1)
    throw new ShapeError(
      'param/conflict',
      `has strides ${formatPair(s)} and dilation_rate ${formatPair(d)}: Keras and tfjs refuse strides > 1 together with dilation_rate > 1; set one of them to 1`,
    );
}

/** The training issue of a dilated convolution (tfjs-core gradients/Conv2D_grad.ts, Conv3D_grad.ts, DepthwiseConv2dNative_grad.ts). */
export const dilationTrainingIssue = (q: { readonly dilation_rate: readonly number[] }): string | null =>
  tuple(q, 'dilation_rate').some((d) => d > 1)
    ? 'tfjs 4.22 has no gradient for dilation_rate > 1 ("dilation rates greater than 1 are not yet supported in gradients"), so this model cannot train in the browser; Keras trains it'
    : null;

/**
 * Output shape of a rank-`r` convolution or pooling window over a channels-last input, keeping the
 * channel axis as `channels` (filters, or the input's own channels for pooling).
 * Source: Keras `compute_conv_output_shape` (keras/src/ops/operation_utils.py) and tfjs-layers
 * convolutional.ts `Conv.computeOutputShape` / pooling.ts: each spatial axis is
 * `conv_output_length(n, k, padding, s, d)` (define.ts `convOutputLength`).
 * @throws ShapeError 'shape/rank' for a wrong rank, `tooLarge` when a window does not fit.
 */
export function windowShape(
  x: Shape,
  r: number,
  o: { kernel: number[]; strides: number[]; padding: string; dilation?: number[]; channels: number | null; what: 'kernel_size' | 'pool_size' },
): Shape {
  expectRank(x, r + 2, convForm(r));
  const dil = o.dilation ?? new Array<number>(r).fill(1);
  const out = x.slice(1, r + 1).map((n, i) => convOutputLength(n, o.kernel[i], o.padding, o.strides[i], dil[i]));
  if (tracing()) out.forEach((m, i) => note(windowStep(AXIS_NAMES[r - 1][i], x[i + 1], o.kernel[i], o.padding, o.strides[i], dil[i], m)));
  if (out.some((n) => n !== null && n <= 0)) {
    const span = o.kernel.map((k, i) => k + (k - 1) * (dil[i] - 1));
    const spans = dil.some((d) => d > 1) ? ` with dilation_rate ${formatPair(dil)} spans ${formatPair(span)} and` : '';
    throw new ShapeError(
      o.what === 'kernel_size' ? 'shape/kernel-too-large' : 'shape/window-too-large',
      `${o.what} ${formatPair(o.kernel)}${spans} is larger than its input ${formatPair(x.slice(1, r + 1))} with padding 'valid'; use a smaller ${o.what} or padding 'same'`,
    );
  }
  return [x[0], ...out, o.channels];
}

const AXIS_NAMES = [['steps'], ['height', 'width'], ['depth', 'height', 'width']];

/**
 * One axis of a window's output as arithmetic (Keras conv_utils `conv_output_length`, define.ts `convOutputLength`):
 * 'valid' `height: ⌊(64 − 3) / 1⌋ + 1 = 62`; 'same' and 'causal' `⌈64 / 2⌉ = 32`; a dilated window first spans
 * k + (k − 1)(d − 1) inputs. An unknown size stays None (`height: an unknown size stays unknown = None`).
 */
function windowStep(axis: string, n: number | null, k: number, padding: string, s: number, d: number, out: number | null): string {
  if (n === null) return `${axis}: an unknown size stays unknown = None`;
  const span = k + (k - 1) * (d - 1);
  const spanText = d > 1 ? ` (window ${k} dilated by ${d} spans ${k} + ${k - 1} × ${d - 1} = ${span})` : '';
  if (padding === 'same' || padding === 'causal') return `${axis}: ⌈${num(n)} / ${s}⌉ = ${num(out)} (padding '${padding}')`;
  return `${axis}: ⌊(${num(n)} − ${span}) / ${s}⌋ + 1 = ${num(out)}${spanText}`;
}

/**
 * The weight tensors of a convolution in Keras's order: `kernel` of `kernelShape` (Conv: (k…, c_in, filters);
 * transposed: (k…, filters, c_in)), then `bias` (n,) when `useBias`, n the output channels.
 * Source: keras/src/layers/convolutional/base_conv.py, base_conv_transpose.py, base_depthwise_conv.py `build`.
 */
export const convWeightShapes = (kernelShape: readonly number[], n: number, useBias: boolean, kernelName = 'kernel'): WeightSpec[] => [
  { name: kernelName, shape: [...kernelShape], trainable: true },
  ...(useBias ? [{ name: 'bias', shape: [n], trainable: true }] : []),
];

/**
 * Output shape of a rank-`r` convolution: `windowShape` with channels → filters; needs known input channels.
 * When tracing, the channel axis is a step too: `channels: filters = 32`, or for a kind without filters (DepthwiseConv2D)
 * `channels: 3 input channels × depth_multiplier 2 = 6` (`channelsText` gives the arithmetic).
 */
export function convShape(x: Shape, q: ConvArgs, r: number, channels: (c: number) => number, channelsText?: (c: number) => string): Shape {
  expectRank(x, r + 2, convForm(r));
  expectKnown(x, [r + 1], 'number of input channels');
  const dilation = q.dilation_rate;
  if (dilation) checkStridesDilation({ strides: q.strides, dilation_rate: dilation });
  const out = windowShape(x, r, {
    kernel: tuple(q, 'kernel_size'),
    strides: tuple(q, 'strides'),
    padding: q.padding,
    dilation: dilation ? [...dilation] : undefined,
    channels: channels(x[r + 1] as number),
    what: 'kernel_size',
  });
  if (tracing()) {
    const c = x[r + 1] as number;
    step(r === 1 ? 'features' : 'channels', channelsText ? channelsText(c) : 'filters', channels(c));
  }
  return out;
}

/**
 * Multiply-accumulates per sample of a rank-`r` convolution whose every output position computes
 * `perPosition` products (validate/cost.ts has the convention): output positions × perPosition, null when a
 * spatial axis is unknown. Output positions are the product of the output's spatial axes (`convShape`);
 * padding and strides change how many there are, dilation only spaces the taps.
 * Source: the multiply-add count of a convolution, D_F·D_F · D_K·D_K·M·N (Howard et al. 2017, MobileNets,
 * §3.1), which tf.profiler counts as 2 FLOPs per product (tensorflow/python/profiler/internal/
 * flops_registry.py `_conv_2d_flops`).
 */
export function convMacs(x: Shape, q: ConvArgs, r: number, perPosition: number): number | null {
  const positions = sizeOf(
    convShape(x, q, r, () => 1),
    1,
    r + 1,
  );
  return positions === null ? null : positions * perPosition;
}

/**
 * Products per output position of a Conv1D/2D/3D: kernel volume · c_in · filters (each output value sums
 * k₁·…·k_r·c_in products, for each of the filters). `x` is the channels-last input of rank r + 2.
 */
export const convProductsPerPosition = (x: Shape, q: { readonly kernel_size: readonly number[]; readonly filters: number }): number =>
  (product(tuple(q, 'kernel_size')) as number) * (x[x.length - 1] as number) * q.filters;

/** Node text of a convolution, e.g. '32 · 3×3 · /2 · same · relu' (filters first when the kind has them). */
export function convKeyParams(q: ConvArgs): string {
  const s = tuple(q, 'strides');
  const d = q.dilation_rate ? [...q.dilation_rate] : [1];
  return [
    q.filters ?? null,
    formatPair(q.kernel_size),
    s.some((v) => v !== 1) ? `/${s.every((v) => v === s[0]) ? s[0] : formatPair(s)}` : null,
    d.some((v) => v !== 1) ? `dil ${d.every((v) => v === d[0]) ? d[0] : formatPair(d)}` : null,
    q.padding === 'same' || q.padding === 'causal' ? q.padding : null,
    q.activation && q.activation !== 'linear' ? q.activation : null,
  ]
    .filter((v) => v !== null)
    .join(' · ');
}

/**
 * Keras 3.15's positional constructor arguments of Conv1D, Conv2D and Conv3D, up to the last the kinds model
 * (keras/src/layers/convolutional/conv2d.py `Conv2D.__init__`; LayerDef `keras.positional`).
 */
export const CONV_POSITIONAL: readonly string[] = [
  'filters',
  'kernel_size',
  'strides',
  'padding',
  'data_format',
  'dilation_rate',
  'groups',
  'activation',
  'use_bias',
];

/**
 * Keras 3.15's positional constructor arguments of Conv1DTranspose and Conv2DTranspose, up to the last the kinds model
 * (keras/src/layers/convolutional/conv2d_transpose.py `Conv2DTranspose.__init__`: output_padding comes before
 * data_format and dilation_rate).
 */
export const CONV_TRANSPOSE_POSITIONAL: readonly string[] = [
  'filters',
  'kernel_size',
  'strides',
  'padding',
  'output_padding',
  'data_format',
  'dilation_rate',
  'activation',
  'use_bias',
];
