/**
 * Forward-value cases (tests/keras/forward.oracle.test.ts) of the attention kinds: MultiHeadAttention,
 * Attention and AdditiveAttention, each with and without a separate key, every score mode and scale, biases
 * on and off, value_dim and output_shape set, and a query of rank 4 (attention over two position axes).
 */
import type { ForwardCase } from '../forward-types';

export const FORWARD_CASES: ForwardCase[] = [
  // The figure: Keras 3 counts 263,168 parameters (the test compares the core's count with Keras's).
  {
    id: 'MultiHeadAttention(num_heads=4, key_dim=64) on (None, 100, 256)',
    kind: 'MultiHeadAttention',
    params: { num_heads: 4, key_dim: 64 },
    inputs: [
      [null, 100, 256],
      [null, 100, 256],
    ],
  },
  {
    id: 'MultiHeadAttention self (2 heads, key 4)',
    kind: 'MultiHeadAttention',
    params: { num_heads: 2, key_dim: 4 },
    inputs: [
      [null, 5, 6],
      [null, 5, 6],
    ],
  },
  {
    // value_dim ≠ key_dim: Keras 3.15 (JAX) fails in its fused dot_product_attention path ("cannot reshape"),
    // taken when dropout is 0; with a dropout it takes the einsum path (and outside training drops nothing).
    id: 'MultiHeadAttention cross with key, value_dim and output_shape',
    kind: 'MultiHeadAttention',
    params: { num_heads: 3, key_dim: 2, value_dim: 5, output_shape: 7, dropout: 0.1 },
    inputs: [
      [null, 4, 6],
      [null, 3, 5],
      [null, 3, 8],
    ],
  },
  {
    id: 'MultiHeadAttention no bias, value_dim',
    kind: 'MultiHeadAttention',
    params: { num_heads: 2, key_dim: 3, value_dim: 4, use_bias: false, dropout: 0.1 },
    inputs: [
      [null, 3, 4],
      [null, 6, 5],
    ],
  },
  {
    id: 'MultiHeadAttention rank-4 query (attention over 2 axes)',
    kind: 'MultiHeadAttention',
    params: { num_heads: 2, key_dim: 3 },
    inputs: [
      [null, 2, 3, 4],
      [null, 3, 2, 5],
    ],
  },
  {
    id: 'MultiHeadAttention dropout (outside training)',
    kind: 'MultiHeadAttention',
    params: { num_heads: 1, key_dim: 8, dropout: 0.5 },
    inputs: [
      [null, 4, 3],
      [null, 4, 3],
    ],
  },
  {
    id: 'Attention dot',
    kind: 'Attention',
    params: {},
    inputs: [
      [null, 4, 3],
      [null, 5, 3],
    ],
  },
  {
    id: 'Attention dot scaled with key',
    kind: 'Attention',
    params: { use_scale: true },
    inputs: [
      [null, 4, 3],
      [null, 5, 6],
      [null, 5, 3],
    ],
  },
  {
    id: 'Attention concat',
    kind: 'Attention',
    params: { score_mode: 'concat' },
    inputs: [
      [null, 3, 4],
      [null, 5, 4],
    ],
  },
  {
    id: 'Attention concat scaled with key',
    kind: 'Attention',
    params: { score_mode: 'concat', use_scale: true },
    inputs: [
      [null, 3, 4],
      [null, 5, 2],
      [null, 5, 4],
    ],
  },
  {
    id: 'AdditiveAttention scaled',
    kind: 'AdditiveAttention',
    params: {},
    inputs: [
      [null, 4, 3],
      [null, 6, 3],
    ],
  },
  {
    id: 'AdditiveAttention unscaled with key',
    kind: 'AdditiveAttention',
    params: { use_scale: false },
    inputs: [
      [null, 4, 3],
      [null, 6, 2],
      [null, 6, 3],
    ],
  },
];
