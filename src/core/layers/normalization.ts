import type { Shape } from '../graph/types';
import { defineLayer, formatShape, resolveAxis, ShapeError } from './define';
import { p } from './params';
import { passMask } from './shared/mask';

/**
 * The axis Normalization keeps (its statistics are per index of it), resolved; null for `axis` None (one mean and
 * variance over every value). @throws ShapeError.
 */
function keptAxis(x: Shape, axis: number | null): number | null {
  if (axis === null) return null;
  const a = resolveAxis(axis, x.length);
  if (a === null)
    throw new ShapeError(
      'shape/bad-axis',
      `axis ${axis} does not name an axis of ${formatShape(x)} other than the batch axis; use 1 to ${x.length - 1} or −1 to −${x.length - 1}`,
    );
  if (x[a] === null)
    throw new ShapeError('shape/unknown-dim', `needs a known size on axis ${axis} (its statistics are per index of it) but got ${formatShape(x)}`);
  return a;
}

/**
 * Normalization: shifts and scales each feature to zero mean and unit variance, y = (x − mean) / max(√variance, ε)
 * (ε = 1e-7), or the inverse when `invert`; the mean and variance are learned from data by `adapt()` and kept as
 * non-trainable weights (mean and variance of the kept axis's size, and the sample count). Shape unchanged.
 * Weights (Keras 3 keras/src/layers/preprocessing/normalization.py `build`, without a given mean and variance):
 * mean (d,), variance (d,), count () (Keras's adapt_mean, adapt_variance and count attributes, named mean, variance
 * and count) — 2d + 1 non-trainable, d = input[axis]; with axis None one mean and variance for every value, mean (),
 * variance (), count () — 3 (Keras `build`: `mean_and_var_shape = ()` when axis is None). A file with a fixed
 * mean and variance (no weights) is refused on import (they are not modelled). No InputSpec. EfficientNet starts
 * with one. tfjs 4.22 has no such layer: Layerlab's runtime defines it (runtime/layers/normalization.ts).
 */
export const normalization = defineLayer({
  kind: 'Normalization',
  category: 'Preprocessing',
  description: 'Shifts and scales each feature to zero mean and unit variance, with statistics learned from data (adapt).',
  shapeRule: 'shape unchanged',
  inputs: { min: 1, max: 1 },
  params: {
    axis: p.int({
      default: -1,
      min: -5,
      max: 5,
      nullable: true,
      tfjsKeepsNull: true,
      nullText: 'every value shares one mean and variance',
      help: 'The axis whose features get their own mean and variance; −1 is the last (channels). Empty (None): one mean and variance for all values.',
    }),
    invert: p.bool({ default: false, help: 'Undo a normalization instead: x · √variance + mean.' }),
  },
  outputShape: ([x], q) => {
    keptAxis(x, q.axis);
    return x;
  },
  weightShapes: ([x], q) => {
    const a = keptAxis(x, q.axis);
    const stats = a === null ? [] : [x[a] as number];
    return [
      { name: 'mean', shape: stats, trainable: false },
      { name: 'variance', shape: stats, trainable: false },
      { name: 'count', shape: [], trainable: false },
    ];
  },
  keyParams: (q) => [q.axis === null ? 'one mean' : q.axis !== -1 ? `axis ${q.axis}` : null, q.invert ? 'invert' : null].filter(Boolean).join(' · '),
  kerasClass: 'Normalization',
  tfjsFactory: 'normalization',
  customLayer: true,
  inputSpec: null,
  keras: {
    positional: ['axis', 'mean', 'variance', 'invert'],
    refuse: (args) =>
      (args.mean ?? null) !== null || (args.variance ?? null) !== null
        ? 'is given a fixed mean and variance; Layerlab models Normalization with statistics learned by adapt() (its weights) only'
        : null,
  },
  mask: passMask,
});
