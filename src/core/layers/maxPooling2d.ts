import { convOutputLength, defineLayer, expectRank, formatPair, pair, ShapeError } from './define';
import { p } from './params';

/**
 * Max pooling over (batch, height, width, channels).
 * Shape (Keras `compute_pooling_output_shape`, tfjs-layers pooling.ts `Pooling2D.computeOutputShape`):
 *   h' = conv_output_length(h, ph, padding, sh) with strides defaulting to pool_size; channels kept.
 * No weights.
 */
export const maxPooling2d = defineLayer({
  kind: 'MaxPooling2D',
  category: 'Pooling',
  description: 'Keeps the largest value in each pool_size window; shrinks height and width.',
  shapeRule: "(batch, h, w, c) → (batch, ⌈(h−p+1)/s⌉ or ⌈h/s⌉ for 'same', …, c)",
  inputs: { min: 1, max: 1 },
  params: {
    pool_size: p.intTuple({ length: 2, default: [2, 2], min: 1, always: true, help: 'Height and width of the pooling window.' }),
    strides: p.intTuple({ length: 2, default: null, min: 1, nullable: true, help: 'Step of the window; empty means equal to pool_size.' }),
    padding: p.padding(),
  },
  outputShape: ([x], q) => {
    expectRank(x, 4, '(batch, height, width, channels)');
    const [ph, pw] = pair(q, 'pool_size');
    const [sh, sw] = q.strides === null ? [ph, pw] : pair(q, 'strides');
    const h = convOutputLength(x[1], ph, q.padding as string, sh);
    const w = convOutputLength(x[2], pw, q.padding as string, sw);
    if ((h !== null && h <= 0) || (w !== null && w <= 0))
      throw new ShapeError(
        'shape/window-too-large',
        `pool_size ${formatPair([ph, pw])} is larger than its input ${formatPair([x[1], x[2]])} with padding 'valid'; use a smaller pool_size or padding 'same'`,
      );
    return [x[0], h, w, x[3]];
  },
  weights: () => ({ trainable: 0, nonTrainable: 0 }),
  keyParams: (q) =>
    [formatPair(q.pool_size as number[]), q.strides !== null ? `/${formatPair(q.strides as number[])}` : null, q.padding === 'same' ? 'same' : null]
      .filter((v) => v !== null)
      .join(' · '),
  kerasClass: 'MaxPooling2D',
  tfjsFactory: 'maxPooling2d',
});
