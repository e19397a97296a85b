import type { Shape } from '../graph/types';
import { defineLayer, formatShape, noWeights, ShapeError, sizeOf, tuple } from './define';
import { p } from './params';
import { step, tracing } from './trace';

/** Dot's output shape (see `dot`). @throws ShapeError for ranks tfjs refuses, a missing axis or unequal sizes. */
function dotShape([a, b]: readonly Shape[], q: { readonly axes: readonly number[] }): Shape {
  for (const [i, x] of [a, b].entries())
    if (x.length < 2 || x.length > 3)
      throw new ShapeError('shape/rank', `input ${i + 1} has shape ${formatShape(x)} (rank ${x.length}); tfjs 4.22's Dot takes inputs of rank 2 or 3 only`);
  const [ax, bx] = tuple(q, 'axes');
  for (const [i, x, axis] of [
    [1, a, ax],
    [2, b, bx],
  ] as const)
    if (axis >= x.length)
      throw new ShapeError('shape/bad-axis', `axes (${ax}, ${bx}): input ${i} of shape ${formatShape(x)} has no axis ${axis}; use 1 to ${x.length - 1}`);
  // Keras 3 (keras/src/layers/merging/dot.py `build`) and tfjs refuse an unknown size against a known one too
  // (None != 4); two unknown sizes pass.
  if (a[ax] !== b[bx])
    throw new ShapeError(
      'shape/dot-mismatch',
      `multiplies axis ${ax} of ${formatShape(a)} (size ${a[ax] ?? 'None'}) with axis ${bx} of ${formatShape(b)} (size ${b[bx] ?? 'None'}); the two sizes must be equal${a[ax] === null || b[bx] === null ? ' (an unknown size cannot be checked against a known one)' : ''}`,
    );
  const out: Shape = [...a.filter((_d, i) => i !== ax), ...b.filter((_d, i) => i !== bx && i !== 0)];
  if (tracing()) {
    const from = [
      ...a.map((_d, i) => [1, i] as const).filter(([, i]) => i !== ax),
      ...b.map((_d, i) => [2, i] as const).filter(([, i]) => i !== bx && i !== 0),
    ];
    from.slice(1).forEach(([input, i], k) => step(`axis ${k + 1}`, `axis ${i} of input ${input}`, input === 1 ? a[i] : b[i]));
    if (out.length === 1) step('axis 1', `one value per sample: axis ${ax} of input 1 times axis ${bx} of input 2, summed`, 1);
  }
  return out.length === 1 ? [...out, 1] : out;
}

/**
 * Dot: the dot product of two tensors along one axis of each, sample by sample (batch_dot).
 * Shape (Keras keras/src/layers/merging/dot.py `compute_output_shape`, tfjs-layers merge.ts
 * `Dot.computeOutputShape`): drop axes[0] from the first shape, axes[1] and the batch axis from the
 * second, join them; a result of rank 1 gets a trailing 1. The two axes must have equal sizes
 * (`Dot.build` in both). No weights.
 * MACs (validate/cost.ts): the products of the two inputs, a matrix product without weights: each output value
 * sums n = the size of the multiplied axis, so output values · n ((batch, n, d)·(batch, m, d), axes (2, 2):
 * n·m·d; two vectors: d). normalize's L2 normalization is element-wise and not counted.
 * tfjs 4.22 handles inputs of rank 2 and 3 only ("Dot layer does not support tensors of 4D or higher rank yet").
 */
export const dot = defineLayer({
  kind: 'Dot',
  category: 'Merge',
  description: 'Dot product of two tensors along one axis of each, e.g. a similarity score or attention weights.',
  shapeRule: '(batch, n, d) · (batch, m, d), axes (2, 2) → (batch, n, m); (batch, d) · (batch, d) → (batch, 1)',
  inputs: { min: 2, max: 2 },
  params: {
    axes: p.intTuple({
      length: 2,
      default: [1, 1],
      min: 1,
      always: true,
      help: 'The axis of input 1 and the axis of input 2 to multiply along (1 = first after the batch axis).',
    }),
    normalize: p.bool({ default: false, help: 'L2-normalize both inputs along their axis first, so the result is the cosine similarity.' }),
  },
  outputShape: dotShape,
  weights: noWeights,
  macs: ([a, b], q) => {
    const [ax, bx] = tuple(q, 'axes');
    const out = sizeOf(dotShape([a, b], q));
    const n = a[ax] ?? b[bx];
    return out === null || n === null ? null : out * n;
  },
  keyParams: (q) => [`axes ${q.axes.join(', ')}`, q.normalize ? 'cosine' : null].filter(Boolean).join(' · '),
  kerasClass: 'Dot',
  tfjsFactory: 'dot',
  keras: { required: ['axes'] },
  inputSpec: null,
});
