import { convOutputLength, defineLayer, expectRank, formatPair, pair, ShapeError } from './define';
import { p } from './params';

/**
 * 2-D convolution over (batch, height, width, channels) inputs (channels_last).
 * Shape (Keras `compute_conv_output_shape`, tfjs-layers convolutional.ts `Conv.computeOutputShape`):
 *   h' = conv_output_length(h, kh, padding, sh), w' likewise; channels → filters.
 * Weights (../shared/reference/SUMMARY.md §4): kh·kw·c_in·filters + filters.
 */
export const conv2d = defineLayer({
  kind: 'Conv2D',
  category: 'Convolution',
  description: 'Slides filters over an image; each filter makes one output channel.',
  shapeRule: "(batch, h, w, c) → (batch, ⌈(h−k+1)/s⌉ or ⌈h/s⌉ for 'same', …, filters)",
  inputs: { min: 1, max: 1 },
  params: {
    filters: p.int({ default: 32, min: 1, always: true, help: 'Number of filters = output channels.' }),
    kernel_size: p.intTuple({ length: 2, default: [3, 3], min: 1, always: true, help: 'Height and width of the convolution window.' }),
    strides: p.intTuple({ length: 2, default: [1, 1], min: 1, help: 'Step of the window along height and width.' }),
    padding: p.padding(),
    activation: p.activation(),
    use_bias: p.bool({ default: true, help: 'Add a learned bias to each filter.' }),
  },
  outputShape: ([x], q) => {
    expectRank(x, 4, '(batch, height, width, channels)');
    if (x[3] === null) throw new ShapeError('shape/unknown-dim', 'needs a known number of input channels');
    const [kh, kw] = pair(q, 'kernel_size');
    const [sh, sw] = pair(q, 'strides');
    const h = convOutputLength(x[1], kh, q.padding as string, sh);
    const w = convOutputLength(x[2], kw, q.padding as string, sw);
    if ((h !== null && h <= 0) || (w !== null && w <= 0))
      throw new ShapeError(
        'shape/kernel-too-large',
        `kernel_size ${formatPair([kh, kw])} is larger than its input ${formatPair([x[1], x[2]])} with padding 'valid'; use a smaller kernel_size or padding 'same'`,
      );
    return [x[0], h, w, q.filters as number];
  },
  weights: ([x], q) => {
    const [kh, kw] = pair(q, 'kernel_size');
    const f = q.filters as number;
    return { trainable: kh * kw * (x[3] as number) * f + (q.use_bias ? f : 0), nonTrainable: 0 };
  },
  keyParams: (q) => {
    const [sh, sw] = pair(q, 'strides');
    return [
      q.filters,
      formatPair(q.kernel_size as number[]),
      sh !== 1 || sw !== 1 ? `/${sh === sw ? sh : formatPair([sh, sw])}` : null,
      q.padding === 'same' ? 'same' : null,
      q.activation !== 'linear' ? q.activation : null,
    ].filter((v) => v !== null).join(' · ');
  },
  kerasClass: 'Conv2D',
  tfjsFactory: 'conv2d',
});
