/**
 * Forward-value cases (tests/keras/forward.oracle.test.ts) of layers that return several tensors or take initial
 * states: MultiHeadAttention with the call arguments use_causal_mask and return_attention_scores (Layerlab's custom
 * class; Keras gets them as call keywords, core `kerasCallArgs`), and the recurrent layers (tfjs's own classes) with
 * return_state (output and final states, every one compared) and with initial states (Keras
 * `layer(x, initial_state=[h, c])`, tfjs `layer.apply([x, h, c])`).
 */
import type { ForwardCase } from '../forward-types';

export const FORWARD_CASES: ForwardCase[] = [
  {
    // No dropout: Keras 3.15 takes its fused dot_product_attention(is_causal=True) path.
    id: 'MultiHeadAttention use_causal_mask (2 heads, key 4)',
    kind: 'MultiHeadAttention',
    params: { num_heads: 2, key_dim: 4, use_causal_mask: true },
    inputs: [
      [null, 5, 6],
      [null, 5, 6],
    ],
  },
  {
    // A dropout (not applied outside training) makes Keras take its einsum path: _masked_softmax with the mask.
    id: 'MultiHeadAttention use_causal_mask with key and dropout (masked softmax path)',
    kind: 'MultiHeadAttention',
    params: { num_heads: 3, key_dim: 2, value_dim: 3, dropout: 0.1, use_causal_mask: true },
    inputs: [
      [null, 4, 6],
      [null, 4, 5],
      [null, 4, 7],
    ],
  },
  {
    // Keras's causal mask is (T, S) lower-triangular from the top left: query position i attends to j ≤ i.
    id: 'MultiHeadAttention use_causal_mask, return_attention_scores, T 3 and S 5',
    kind: 'MultiHeadAttention',
    params: { num_heads: 2, key_dim: 2, use_causal_mask: true, return_attention_scores: true },
    inputs: [
      [null, 3, 4],
      [null, 5, 4],
    ],
  },
  {
    id: 'MultiHeadAttention use_causal_mask, T 5 and S 3 (fused path)',
    kind: 'MultiHeadAttention',
    params: { num_heads: 2, key_dim: 2, use_causal_mask: true },
    inputs: [
      [null, 5, 4],
      [null, 3, 4],
    ],
  },
  {
    id: 'MultiHeadAttention return_attention_scores (cross, T 3, S 4)',
    kind: 'MultiHeadAttention',
    params: { num_heads: 2, key_dim: 3, return_attention_scores: true },
    inputs: [
      [null, 3, 6],
      [null, 4, 5],
    ],
  },
  {
    id: 'MultiHeadAttention return_attention_scores and use_causal_mask',
    kind: 'MultiHeadAttention',
    params: { num_heads: 2, key_dim: 3, output_shape: 4, return_attention_scores: true, use_causal_mask: true },
    inputs: [
      [null, 5, 6],
      [null, 5, 6],
    ],
  },
  {
    id: 'MultiHeadAttention return_attention_scores, rank-4 query (scores over 2 axes each)',
    kind: 'MultiHeadAttention',
    params: { num_heads: 2, key_dim: 2, return_attention_scores: true },
    inputs: [
      [null, 2, 3, 4],
      [null, 3, 2, 4],
    ],
  },
  {
    id: 'LSTM return_state (output, state_h, state_c)',
    kind: 'LSTM',
    params: { units: 4, return_state: true },
    inputs: [[null, 5, 3]],
  },
  {
    id: 'LSTM return_state and return_sequences',
    kind: 'LSTM',
    params: { units: 4, return_state: true, return_sequences: true },
    inputs: [[null, 5, 3]],
  },
  {
    id: 'LSTM with initial states [h, c]',
    kind: 'LSTM',
    params: { units: 4 },
    inputs: [
      [null, 5, 3],
      [null, 4],
      [null, 4],
    ],
  },
  {
    id: 'LSTM with initial states, go_backwards, return_state',
    kind: 'LSTM',
    params: { units: 4, go_backwards: true, return_state: true },
    inputs: [
      [null, 5, 3],
      [null, 4],
      [null, 4],
    ],
  },
  {
    id: 'GRU return_state (output, state)',
    kind: 'GRU',
    params: { units: 4, return_state: true, return_sequences: true },
    inputs: [[null, 5, 3]],
  },
  {
    id: 'GRU with an initial state, return_state',
    kind: 'GRU',
    params: { units: 4, return_state: true },
    inputs: [
      [null, 5, 3],
      [null, 4],
    ],
  },
  {
    id: 'SimpleRNN with an initial state, return_state',
    kind: 'SimpleRNN',
    params: { units: 3, return_state: true, return_sequences: true },
    inputs: [
      [null, 4, 2],
      [null, 3],
    ],
  },
];
