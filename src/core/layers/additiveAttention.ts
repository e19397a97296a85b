import { defineLayer } from './define';
import { p } from './params';
import { qvk, scoreAttentionShape } from './shared/attention';

/**
 * AdditiveAttention, Bahdanau-style attention (Keras keras/src/layers/attention/additive_attention.py): called
 * on a list [query (B, Tq, dim), value (B, Tv, dv)] or [query, value, key (B, Tv, dim)] (key = value when absent).
 * scores = Σ over features of scale · tanh(query + key) (scale 1 without use_scale); softmax over the key
 * positions; dropout while training; times value.
 * Output shape (Keras `Attention.compute_output_shape`): (B, Tq, dv).
 * Weights: `scale` of shape (dim,) when use_scale (Keras `build`: glorot_uniform; the config names no initializer).
 * MACs (validate/cost.ts): Tq·Tv·dim (the scale times each tanh) plus Tq·Tv·dv for scores·value.
 * One input connected: self-attention, Keras called on it twice (query = value = key; LayerDef.selfCall).
 * Keras's InputSpec: none. Not modelled: the Keras masks of the inputs, use_causal_mask and
 * return_attention_scores (call arguments).
 */
export const additiveAttention = defineLayer({
  kind: 'AdditiveAttention',
  category: 'Core',
  description: 'Additive (Bahdanau) attention: scores from tanh(query + key), then a softmax-weighted average of the values.',
  shapeRule: '[query (batch, Tq, dim), value (batch, Tv, dv)(, key (batch, Tv, dim))] → (batch, Tq, dv); one input: self-attention',
  inputs: { min: 1, max: 3 },
  params: {
    use_scale: p.bool({ default: true, help: 'Weight each feature of tanh(query + key) by a learned scale (dim weights).' }),
    dropout: p.rate({ default: 0, help: 'Fraction of the attention weights dropped while training.' }),
  },
  outputShape: (inputs) => scoreAttentionShape(inputs, 'adds the query'),
  weightShapes: ([query], q) => (q.use_scale ? [{ name: 'scale', shape: [query[2] as number], trainable: true }] : []),
  macs: (inputs, q) => {
    const { q: query, v } = qvk(inputs);
    if (query[1] === null || v[1] === null) return null;
    return query[1] * v[1] * ((q.use_scale ? (query[2] as number) : 0) + (v[2] as number));
  },
  keyParams: (q) => (q.use_scale ? 'scaled' : 'unscaled'),
  kerasClass: 'AdditiveAttention',
  tfjsFactory: 'additiveAttention',
  customLayer: true,
  selfCall: true,
  inputSpec: null,
  keras: { module: 'keras.layers' },
});
