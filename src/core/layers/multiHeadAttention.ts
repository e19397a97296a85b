import { defineLayer, formatShape, ShapeError, type WeightSpec } from './define';
import { p } from './params';
import { checkAttentionInputs, checkKeyValuePositions, positions, qvk } from './shared/attention';
import { GLOROT_UNIFORM, ZEROS } from './shared/initializers';
import { axisName, note, num, step, tracing } from './trace';

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
 * Call arguments (ParamSpec `call`): use_causal_mask (each query position attends to key positions up to its
 * own; one position axis each, T and S may differ) and return_attention_scores (a second output, the weights after the
 * softmax: `multiOutput`). Keras's InputSpec: none. Not modelled: attention_mask (a mask tensor as a further
 * input), use_gate, sliding_window; the Keras masks of the inputs.
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
    use_causal_mask: p.bool({
      default: false,
      call: true,
      help: 'A call argument: each query position attends only to key positions up to its own (a decoder, or a language model); query and value need one position axis each.',
    }),
    return_attention_scores: p.bool({
      default: false,
      call: true,
      help: 'A call argument: also return the attention weights (batch, num_heads, T, S) after the softmax, as a second output with its own handle.',
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
    // Keras's _compute_causal_mask reads one position axis (shape[1]) of each and builds a lower-triangular (T, S)
    // mask, T and S may differ (query position i attends to key positions j ≤ i; Keras 3.15 runs T ≠ S in both its
    // fused and its einsum path).
    if (q.use_causal_mask && (query.length !== 3 || v.length !== 3))
      throw new ShapeError(
        'shape/bad-axis',
        `use_causal_mask needs one position axis in query and value, (batch, positions, features) (a lower-triangular (T, S) mask, Keras's _compute_causal_mask), but gets query ${formatShape(query)} and value ${formatShape(v)}`,
      );
    if (tracing()) {
      for (let a = 1; a < query.length - 1; a++) step(axisName(query.length, a), 'query positions T, kept', query[a]);
      step('last axis', q.output_shape === null ? "the query's features dq (output_shape empty)" : 'output_shape', q.output_shape ?? query[query.length - 1]);
    }
    return [...query.slice(0, -1), q.output_shape ?? query[query.length - 1]];
  },
  // The attention weights (keras `_compute_attention`: softmax of the scores before dropout), with attention
  // over every position axis: (batch, num_heads, query positions…, key positions…).
  multiOutput: {
    param: 'return_attention_scores',
    names: (q) => (q.return_attention_scores ? ['output', 'attention_scores'] : ['output']),
    shapes: (inputs, q) => {
      if (!q.return_attention_scores) return [];
      const { q: query, v } = qvk(inputs);
      const shape = [query[0], q.num_heads, ...query.slice(1, -1), ...v.slice(1, -1)];
      if (tracing())
        note(
          `attention_scores: (batch, num_heads, query positions, key positions) = (${shape.map(num).join(', ')}) (softmax over the key positions: each query's weights sum to 1)`,
        );
      return [shape];
    },
  },
  weightShapes: (inputs, q) => {
    const { q: query, v, k } = qvk(inputs);
    const [dq, dv, dk] = [query, v, k].map((x) => x[x.length - 1] as number);
    const n = q.num_heads;
    const kd = q.key_dim;
    const vd = q.value_dim ?? kd;
    const o = q.output_shape ?? dq;
    const dense = (name: string, kernel: number[], bias: number[]): WeightSpec[] => [
      { name: `${name}/kernel`, shape: kernel, trainable: true },
      ...(q.use_bias ? [{ name: `${name}/bias`, shape: bias, trainable: true }] : []),
    ];
    return [
      ...dense('query', [dq, n, kd], [n, kd]),
      ...dense('key', [dk, n, kd], [n, kd]),
      ...dense('value', [dv, n, vd], [n, vd]),
      ...dense('attention_output', [n, vd, o], [o]),
    ];
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
  keras: {
    required: ['num_heads', 'key_dim'],
    initializers: { kernel_initializer: GLOROT_UNIFORM, bias_initializer: ZEROS },
    module: 'keras.layers',
  },
});
