/**
 * Attention kinds (MultiHeadAttention, Attention, AdditiveAttention): Layerlab's custom tfjs classes
 * (src/runtime/layers/multiHeadAttention.ts, attention.ts). One input means self-attention (LayerDef.selfCall:
 * the layer is called on it twice). Their forward values are compared with Keras in tests/keras/forward-cases.
 */
import { bad, ok, type KindTable } from './types';

/** Attention and AdditiveAttention share inputs and checks. */
const denseAttention = (params: Record<string, string | boolean>): KindTable => ({
  valid: [
    // First: no weights. Keras's Attention and AdditiveAttention name no initializer in their config (the scale
    // starts at ones / glorot_uniform, fixed), so the contract's initializer check must not see a weight.
    ok({ use_scale: false }, [null, 4, 3]),
    ok(params, [null, 4, 3]),
    ok(params, [null, 4, 3], [null, 6, 3]),
    ok(params, [null, 4, 3], [null, 6, 5], [null, 6, 3]),
    ok(params, [null, 1, 8], [null, 2, 2], [null, 2, 8]),
  ],
  invalid: [
    bad(
      'a query and key of different sizes',
      params,
      [
        [null, 4, 4],
        [null, 5, 6],
      ],
      /query's last axis \(4\) must equal the key's \(6\)/,
      'shape/dot-mismatch',
    ),
    bad(
      'rank-4 inputs',
      params,
      [
        [null, 2, 4, 3],
        [null, 2, 4, 3],
      ],
      /expects rank-3 inputs/,
      'shape/rank',
    ),
    bad(
      'a key and value of different lengths',
      params,
      [
        [null, 4, 3],
        [null, 5, 2],
        [null, 6, 3],
      ],
      /value and the key must have as many positions, got 5 and 6/,
      'shape/dot-mismatch',
    ),
  ],
});

export const ATTENTION: Readonly<Record<string, KindTable>> = {
  MultiHeadAttention: {
    valid: [
      ok({ num_heads: 4, key_dim: 64 }, [null, 100, 256]),
      ok({ num_heads: 2, key_dim: 3 }, [null, 4, 6], [null, 5, 7]),
      ok({ num_heads: 3, key_dim: 2, value_dim: 5, output_shape: 7 }, [null, 4, 6], [null, 3, 5], [null, 3, 8]),
      ok({ num_heads: 1, key_dim: 4, use_bias: false, dropout: 0.1 }, [null, 5, 3]),
      ok({ num_heads: 2, key_dim: 2, attention_axes: [1, 2] }, [null, 2, 3, 4], [null, 3, 2, 5]),
      ok({ num_heads: 2, key_dim: 2, attention_axes: [1] }, [null, 6, 4]),
    ],
    invalid: [
      bad(
        'rank-2 inputs',
        { num_heads: 2, key_dim: 4 },
        [
          [null, 8],
          [null, 8],
        ],
        /rank ≥ 3/,
        'shape/rank',
      ),
      bad(
        'a key and value of different lengths',
        { num_heads: 2, key_dim: 4 },
        [
          [null, 4, 3],
          [null, 5, 3],
          [null, 6, 3],
        ],
        /all dimensions of value and key except the last must be equal/,
        'shape/dot-mismatch',
      ),
      bad(
        'attention over one of two position axes',
        { num_heads: 2, key_dim: 4, attention_axes: [2] },
        [[null, 3, 4, 5]],
        /attentionAxes \[2\] is not supported/,
        'shape/bad-axis',
      ),
      bad('no heads', { num_heads: 0, key_dim: 4 }, [[null, 4, 3]], /numHeads must be a whole number ≥ 1, got 0/, 'param/invalid'),
    ],
  },
  Attention: denseAttention({ use_scale: true, score_mode: 'dot' }),
  AdditiveAttention: denseAttention({ use_scale: true }),
};
