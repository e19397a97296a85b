import { defineLayer, expectRank, noWeights } from './define';
import { step, tracing } from './trace';
import { p } from './params';

/**
 * Permute: reorders the non-batch axes; `dims` lists axes 1…n in their new order.
 * Shape (Keras keras/src/layers/reshaping/permute.py `compute_output_shape`, tfjs-layers core.ts
 * `Permute.computeOutputShape`): out[i] = in[dims[i−1]] for i ≥ 1; the input rank must be len(dims) + 1. No weights.
 */
export const permute = defineLayer({
  kind: 'Permute',
  category: 'Core',
  description: 'Reorders the axes of each sample, e.g. (2, 1) swaps the two axes of a sequence.',
  shapeRule: '(batch, d1, …, dn) → (batch, d_dims[0], …, d_dims[n−1])',
  inputs: { min: 1, max: 1 },
  params: {
    dims: p.intList({
      default: [2, 1],
      min: 1,
      minLength: 1,
      maxLength: 5,
      permutation: true,
      always: true,
      help: 'The axes 1…n in their new order (the batch axis 0 stays first), e.g. 2, 1.',
    }),
  },
  outputShape: ([x], q) => {
    const dims = q.dims;
    expectRank(x, dims.length + 1, `(batch + ${dims.length} axes, as dims lists ${dims.length})`);
    if (tracing()) dims.forEach((d, i) => step(`axis ${i + 1}`, `input axis ${d}`, x[d]));
    return [x[0], ...dims.map((d) => x[d])];
  },
  weights: noWeights,
  keyParams: (q) => `(${q.dims.join(', ')})`,
  kerasClass: 'Permute',
  tfjsFactory: 'permute',
  keras: { required: ['dims'] },
  inputSpec: ([x]) => ({ ndim: x.length }),
});
