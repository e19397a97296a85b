import { defineLayer } from './define';
import { p } from './params';
import { qvk, scoreAttentionShape } from './shared/attention';

/**
 * Attention, dot-product (Luong-style) attention (Keras keras/src/layers/attention/attention.py): called on a
 * list [query (B, Tq, dim), value (B, Tv, dv)] or [query, value, key (B, Tv, dim)] (key = value when absent).
 * scores = query·keyᵀ (score_mode 'dot', times `scale` when use_scale) or concat_score_weight ·
 * Σ tanh(scale·(query + key)) over the features ('concat'); softmax over the key positions; dropout while
 * training; times value.
 * Output shape (Keras `compute_output_shape`): (*query.shape[:-1], value.shape[-1]) = (B, Tq, dv).
 * Weights: `scale` (a scalar) when use_scale, then `concat_score_weight` (a scalar) when score_mode is 'concat'
 * (Keras `build`, initialized to ones; the config names no initializer).
 * MACs (validate/cost.ts): Tq·Tv·dim for the scores ('dot') plus Tq·Tv·dv for scores·value.
 * One input connected: self-attention, Keras called on it twice (query = value = key; LayerDef.selfCall).
 * Keras's InputSpec: none. Not modelled: the Keras masks of the inputs, use_causal_mask and
 * return_attention_scores (call arguments).
 */
export const attention = defineLayer({
  kind: 'Attention',
  category: 'Core',
  description: 'Dot-product attention: each query position takes a softmax-weighted average of the value positions.',
  shapeRule: '[query (batch, Tq, dim), value (batch, Tv, dv)(, key (batch, Tv, dim))] → (batch, Tq, dv); one input: self-attention',
  inputs: { min: 1, max: 3 },
  params: {
    use_scale: p.bool({ default: false, help: 'Multiply the scores by a learned scalar (one weight).' }),
    score_mode: p.choice({
      default: 'dot',
      options: ['dot', 'concat'],
      help: "'dot': query·key; 'concat': the sum over features of tanh(query + key), times a learned scalar.",
    }),
    dropout: p.rate({ default: 0, help: 'Fraction of the attention weights dropped while training.' }),
  },
  outputShape: (inputs) => scoreAttentionShape(inputs, 'compares the query'),
  weightShapes: (_inputs, q) => [
    ...(q.use_scale ? [{ name: 'scale', shape: [], trainable: true }] : []),
    ...(q.score_mode === 'concat' ? [{ name: 'concat_score_weight', shape: [], trainable: true }] : []),
  ],
  macs: (inputs, q) => {
    const { q: query, v } = qvk(inputs);
    if (query[1] === null || v[1] === null) return null;
    return query[1] * v[1] * ((q.score_mode === 'dot' ? (query[2] as number) : 0) + (v[2] as number));
  },
  keyParams: (q) => [q.score_mode, q.use_scale ? 'scaled' : null].filter(Boolean).join(' · '),
  kerasClass: 'Attention',
  tfjsFactory: 'attention',
  customLayer: true,
  selfCall: true,
  inputSpec: null,
  keras: { module: 'keras.layers' },
});
