import { defineLayer, formatShape, ShapeError } from './define';
import { p } from './params';
import { checkAttentionInputs, checkKeyValuePositions, positions, qvk } from './shared/attention';
import { GLOROT_UNIFORM, ZEROS } from './shared/initializers';

/** The attention axes Layerlab models: every axis between the batch and the features (Keras's None), as Keras 3 resolves them. */
const allAxes = (rank: number): number[] => Array.from({ length: rank - 2 }, (_x, i) => i + 1);

/**
 * MultiHeadAttention (Keras keras/src/layers/attention/multi_head_attention.py): query (B, …T, dq), value
 * (B, …S, dv) and an optional key (B, …S, dk) (key = value when absent), called positionally as
 * `MultiHeadAttention(...)(query, value, key)`. Each is projected per head (EinsumDense, `_build_proj_equation`):
 * query and key to (…, num_heads, key_dim), value to (…, num_heads, value_dim); scores = query·key / √key_dim
 * over every position axis (attention_axes None: all axes between batch and features), softmax over the key
 * positions, dropout while training, times value, and the heads projected by the output EinsumDense to
 * output_shape (None: dq).
 * Output shape (Keras `compute_output_shape`): the query's shape with the last axis = output_shape or dq.
 * Weights (Keras's order, `layer.weights`): query kernel (dq, N, K) + bias (N, K), key kernel (dk, N, K) + bias
 * (N, K), value kernel (dv, N, V) + bias (N, V), attention_output kernel (N, V, O) + bias (O); biases when
 * use_bias. Keras: MultiHeadAttention(num_heads=4, key_dim=64) on (None, 100, 256) query and value has 263,168.
 * MACs (validate/cost.ts): the four projections per position (T·dq·N·K + S·dk·N·K + S·dv·N·V + T·N·V·O) plus the
 * products of queries with keys (T·S·N·K) and of scores with values (T·S·N·V); null when a position axis is unknown.
 * One input connected: self-attention, Keras called on it twice (query = value = key; LayerDef.selfCall).
 * Keras's InputSpec: none. Not modelled: attention_mask and use_causal_mask (call arguments),
 * return_attention_scores (a second output), use_gate, sliding_window; the Keras masks of the inputs.
 */
export const multiHeadAttention = defineLayer({
  kind: 'MultiHeadAttention',
  category: 'Core',
  description: 'Multi-head scaled dot-product attention of a query sequence over a value (and key) sequence: the transformer block.',
  shapeRule: 'query (batch, T, dq), value (batch, S, dv)[, key (batch, S, dk)] → (batch, T, output_shape or dq); one input: self-attention',
  inputs: { min: 1, max: 3 },
  params: {
    num_heads: p.int({ default: 2, min: 1, max: 4096, always: true, help: 'Number of attention heads.' }),
    key_dim: p.int({ default: 16, min: 1, max: 65536, always: true, help: 'Size of each head for query and key.' }),
    value_dim: p.int({ default: null, nullable: true, min: 1, max: 65536, help: 'Size of each head for the value; empty means key_dim.' }),
    dropout: p.rate({ default: 0, help: 'Fraction of the attention weights dropped while training.' }),
    use_bias: p.bool({ default: true, help: 'Add a learned bias to every projection (query, key, value, output).' }),
    output_shape: p.int({
      default: null,
      nullable: true,
      min: 1,
      help: "Size of the output's last axis; empty means the query's last axis (the usual residual block).",
    }),
    attention_axes: p.intList({
      default: null,
      nullable: true,
      min: 1,
      minLength: 1,
      maxLength: 6,
      unique: true,
      help: 'Axes attention runs over; empty means every axis between batch and features (the only form Layerlab models).',
    }),
  },
  outputShape: (inputs, q) => {
    checkAttentionInputs(inputs, 3, 8, '(batch, positions…, features)');
    const { q: query, v, k } = qvk(inputs);
    checkKeyValuePositions(v, k);
    if (q.attention_axes !== null) {
      const want = allAxes(query.length);
      const got = [...q.attention_axes].sort((a, b) => a - b);
      if (got.join(',') !== want.join(','))
        throw new ShapeError(
          'shape/bad-axis',
          `attention_axes (${q.attention_axes.join(', ')}): Layerlab models attention over every axis between batch and features only, (${want.join(', ')}) for ${formatShape(query)}; leave it empty`,
        );
    }
    return [...query.slice(0, -1), q.output_shape ?? query[query.length - 1]];
  },
  weights: (inputs, q) => {
    const { q: query, v, k } = qvk(inputs);
    const [dq, dv, dk] = [query, v, k].map((x) => x[x.length - 1] as number);
    const n = q.num_heads;
    const kd = q.key_dim;
    const vd = q.value_dim ?? kd;
    const o = q.output_shape ?? dq;
    const b = q.use_bias ? 1 : 0;
    return { trainable: dq * n * kd + dk * n * kd + dv * n * vd + n * vd * o + b * (2 * n * kd + n * vd + o), nonTrainable: 0 };
  },
  macs: (inputs, q) => {
    const { q: query, v, k } = qvk(inputs);
    const t = positions(query);
    const s = positions(v);
    if (t === null || s === null) return null;
    const [dq, dv, dk] = [query, v, k].map((x) => x[x.length - 1] as number);
    const n = q.num_heads;
    const kd = q.key_dim;
    const vd = q.value_dim ?? kd;
    const o = q.output_shape ?? dq;
    return t * dq * n * kd + s * dk * n * kd + s * dv * n * vd + t * s * n * kd + t * s * n * vd + t * n * vd * o;
  },
  keyParams: (q) =>
    [`${q.num_heads} heads`, `key ${q.key_dim}`, q.value_dim !== null ? `value ${q.value_dim}` : null, q.output_shape !== null ? `out ${q.output_shape}` : null]
      .filter(Boolean)
      .join(' · '),
  kerasClass: 'MultiHeadAttention',
  tfjsFactory: 'multiHeadAttention',
  customLayer: true,
  selfCall: true,
  callForm: 'positional',
  callArgs: ['query', 'value', 'key'],
  inputSpec: null,
  keras: { initializers: { kernel_initializer: GLOROT_UNIFORM, bias_initializer: ZEROS }, module: 'keras.layers' },
});
