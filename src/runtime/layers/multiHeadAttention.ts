/**
 * Keras MultiHeadAttention as a tfjs custom layer (tfjs 4.22 has no attention layer).
 *
 * Inputs: query (B, …T, dq), value (B, …S, dv) and optionally key (B, …S, dk) — key = value when absent —, given
 * to `apply` as the list [query, value] or [query, value, key] (Keras calls it positionally, `mha(query, value,
 * key)`); one tensor (or a list of one) is self-attention, query = value = key. Each is projected per head: query and key to (…, num_heads, key_dim), value to (…, num_heads,
 * value_dim); scores = (query / √key_dim)·keyᵀ over all position axes jointly (Keras's attention_axes None: every
 * axis between batch and features), softmax over the key positions, dropout while training, times value; the
 * heads are projected by the output kernel to output_shape (default dq). Output: (B, …T, output_shape or dq).
 * Keras's call arguments, which this class takes in its config: `useCausalMask` (Keras `use_causal_mask`: query
 * position i attends to key positions j ≤ i only; Keras `_compute_causal_mask` builds the lower-triangular (T, S)
 * mask from one position axis, and its Softmax with a mask (keras/src/layers/activations/softmax.py, Keras 3.15)
 * puts −1e9 in the masked scores before the softmax and zeroes the masked weights after it) and
 * `returnAttentionScores` (Keras `return_attention_scores`: the layer returns [output, scores], the scores being the
 * attention weights after the softmax and before dropout, (B, N, …T, …S) — Keras `_compute_attention`).
 * Weights, in Keras's order and shapes (Keras `layer.weights`): query/kernel (dq, N, K), query/bias (N, K),
 * key/kernel (dk, N, K), key/bias (N, K), value/kernel (dv, N, V), value/bias (N, V),
 * attention_output/kernel (N, V, O), attention_output/bias (O); no biases without use_bias.
 * Computed with reshape, transpose and 2-D / 3-D matMul (which tfjs-backend-wasm has, with gradients), never
 * einsum. Source: Keras keras/src/layers/attention/multi_head_attention.py (`build`, `_compute_attention`).
 *
 * This file is self-contained (it imports only tfjs): Layerlab ships it in `layerlab-layers.ts`.
 */
import * as tf from '@tensorflow/tfjs';

/** A tfjs initializer (what `tf.initializers.zeros()` returns). */
type Init = ReturnType<typeof tf.initializers.zeros>;

/** An initializer from a config value: an initializer, a name ('glorotUniform', 'zeros') or `{ className, config }`. */
function initializerOf(v: unknown, fallback: Init, what: string): Init {
  if (v === undefined || v === null) return fallback;
  if (v instanceof tf.serialization.Serializable) return v as Init;
  const o = typeof v === 'string' ? { className: v, config: {} } : (v as { className?: unknown; class_name?: unknown; config?: unknown });
  const raw = o.className ?? o.class_name;
  const name = (typeof raw === 'string' ? raw : '').replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
  const key = Object.keys(tf.initializers).find((k) => k.toLowerCase() === name.toLowerCase());
  if (!key) throw new Error(`${what} names no initializer tfjs knows (got ${JSON.stringify(name)})`);
  const make = (tf.initializers as unknown as Record<string, (c: object) => Init>)[key];
  return make((o.config as object | undefined) ?? {});
}

/** `{ className, config }`, as tfjs serializes an initializer in a layer config. */
const serialized = (i: Init): tf.serialization.ConfigDict => ({ className: i.getClassName(), config: i.getConfig() });

/** Keras MultiHeadAttention's arguments (camelCase) plus tfjs's common layer arguments. */
export interface MultiHeadAttentionArgs extends NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]> {
  /** Number of heads N ≥ 1. */
  readonly numHeads: number;
  /** Size K of each query and key head ≥ 1. */
  readonly keyDim: number;
  /** Size V of each value head; null or absent: keyDim. */
  readonly valueDim?: number | null;
  /** Fraction of the attention weights dropped while training, 0 ≤ dropout < 1. */
  readonly dropout?: number;
  /** Biases on the four projections (default true). */
  readonly useBias?: boolean;
  /** Size of the output's last axis (an int, or a one-entry list as Keras 3 writes it); null or absent: the query's. */
  readonly outputShape?: number | readonly number[] | null;
  /** Keras attention_axes: only null or every axis between batch and features is supported. */
  readonly attentionAxes?: readonly number[] | number | null;
  readonly kernelInitializer?: unknown;
  readonly biasInitializer?: unknown;
  /** Seed of the dropout. */
  readonly seed?: number;
  /** Keras's call argument use_causal_mask: each query position attends to key positions up to its own (default false). */
  readonly useCausalMask?: boolean;
  /** Keras's call argument return_attention_scores: return [output, attention scores (B, N, …T, …S)] (default false). */
  readonly returnAttentionScores?: boolean;
}

/** The value Keras puts in masked attention scores before the softmax (keras/src/layers/activations/softmax.py `_large_negative_number`, float32). */
export const MASKED_SCORE = -1e9;

/** Keras MultiHeadAttention (keras/src/layers/attention/multi_head_attention.py). */
export class MultiHeadAttention extends tf.layers.Layer {
  static readonly className = 'MultiHeadAttention';
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  /** valueDim as given: null when it defaults to keyDim (written back so, and the file reopens as it was drawn). */
  private readonly valueDimArg: number | null;
  readonly dropout: number;
  readonly useBias: boolean;
  readonly outputDim: number | null;
  readonly attentionAxes: readonly number[] | null;
  readonly kernelInitializer: Init;
  readonly biasInitializer: Init;
  readonly seed?: number;
  readonly useCausalMask: boolean;
  readonly returnAttentionScores: boolean;
  private kernels: tf.LayerVariable[] = [];
  private biases: (tf.LayerVariable | null)[] = [];

  /** @throws Error for heads or sizes below 1, a dropout outside [0, 1), or an output_shape of several axes. */
  constructor(args: MultiHeadAttentionArgs) {
    super(args);
    const positive = (v: unknown, what: string) => {
      if (!(typeof v === 'number' && Number.isInteger(v) && v >= 1))
        throw new Error(`MultiHeadAttention: ${what} must be a whole number ≥ 1, got ${JSON.stringify(v)}`);
      return v;
    };
    this.numHeads = positive(args.numHeads, 'numHeads');
    this.keyDim = positive(args.keyDim, 'keyDim');
    this.valueDim = args.valueDim == null ? this.keyDim : positive(args.valueDim, 'valueDim');
    this.valueDimArg = args.valueDim ?? null;
    this.dropout = args.dropout ?? 0;
    if (!(this.dropout >= 0 && this.dropout < 1)) throw new Error(`MultiHeadAttention: dropout must be ≥ 0 and < 1, got ${JSON.stringify(args.dropout)}`);
    this.useBias = args.useBias ?? true;
    const out = args.outputShape;
    if (Array.isArray(out) && out.length !== 1)
      throw new Error(`MultiHeadAttention: outputShape of ${out.length} axes is not supported, only one size (got ${JSON.stringify(out)})`);
    this.outputDim = out == null ? null : positive(Array.isArray(out) ? out[0] : out, 'outputShape');
    const axes = args.attentionAxes;
    this.attentionAxes = axes == null ? null : typeof axes === 'number' ? [axes] : [...axes];
    this.kernelInitializer = initializerOf(args.kernelInitializer, tf.initializers.glorotUniform({}), 'MultiHeadAttention: kernelInitializer');
    this.biasInitializer = initializerOf(args.biasInitializer, tf.initializers.zeros(), 'MultiHeadAttention: biasInitializer');
    this.seed = args.seed;
    const flag = (v: unknown, what: string): boolean => {
      if (v === undefined || v === null) return false;
      if (typeof v !== 'boolean') throw new Error(`MultiHeadAttention: ${what} must be true or false, got ${JSON.stringify(v)}`);
      return v;
    };
    this.useCausalMask = flag(args.useCausalMask, 'useCausalMask');
    this.returnAttentionScores = flag(args.returnAttentionScores, 'returnAttentionScores');
  }

  /**
   * Query, value and key shapes (key = value when two inputs; all three the same for one: self-attention).
   * @throws Error unless given 1 to 3 shapes of equal rank ≥ 3.
   */
  private static shapes(inputShape: tf.Shape | tf.Shape[]): [tf.Shape, tf.Shape, tf.Shape] {
    const list = Array.isArray(inputShape[0]) ? (inputShape as tf.Shape[]) : [inputShape as tf.Shape];
    if (list.length < 1 || list.length > 3)
      throw new Error('MultiHeadAttention must be called on query, [query], [query, value] or [query, value, key] (1 to 3 tensors)');
    const [q, v = q, k = v] = list;
    for (const s of [q, v, k])
      if (s.length < 3) throw new Error(`MultiHeadAttention expects inputs of rank ≥ 3 (batch, positions…, features), got rank ${s.length}`);
    if (v.length !== q.length || k.length !== q.length) throw new Error('MultiHeadAttention expects query, value and key of the same rank');
    return [q, v, k];
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const [q, v, k] = MultiHeadAttention.shapes(inputShape);
    if (v.slice(1, -1).some((d, i) => d !== null && k[i + 1] !== null && d !== k[i + 1]))
      throw new Error(
        `MultiHeadAttention: all dimensions of value and key except the last must be equal, got value ${JSON.stringify(v)} and key ${JSON.stringify(k)}`,
      );
    if (this.attentionAxes !== null) {
      const rank = q.length;
      const got = this.attentionAxes.map((a) => (a < 0 ? a + rank - 1 : a)).sort((a, b) => a - b);
      if (got.join(',') !== Array.from({ length: rank - 2 }, (_x, i) => i + 1).join(','))
        throw new Error(`MultiHeadAttention: attentionAxes ${JSON.stringify(this.attentionAxes)} is not supported, only every axis between batch and features`);
    }
    if (this.useCausalMask && q.length !== 3)
      throw new Error(
        `MultiHeadAttention: useCausalMask needs one position axis, inputs of rank 3 (batch, positions, features), got query ${JSON.stringify(q)}`,
      );
    const dim = (s: tf.Shape, what: string) => {
      const d = s[s.length - 1];
      if (d === null) throw new Error(`MultiHeadAttention needs a known last axis of the ${what}`);
      return d;
    };
    const [dq, dv, dk] = [dim(q, 'query'), dim(v, 'value'), dim(k, 'key')];
    const n = this.numHeads;
    const out = this.outputDim ?? dq;
    const specs: [string, number[], number[]][] = [
      ['query', [dq, n, this.keyDim], [n, this.keyDim]],
      ['key', [dk, n, this.keyDim], [n, this.keyDim]],
      ['value', [dv, n, this.valueDim], [n, this.valueDim]],
      ['attention_output', [n, this.valueDim, out], [out]],
    ];
    this.kernels = [];
    this.biases = [];
    for (const [name, kernel, bias] of specs) {
      this.kernels.push(this.addWeight(`${name}/kernel`, kernel, 'float32', this.kernelInitializer, undefined, true));
      this.biases.push(this.useBias ? this.addWeight(`${name}/bias`, bias, 'float32', this.biasInitializer, undefined, true) : null);
    }
    this.built = true;
  }

  /**
   * (B, …T, output_shape or dq); with returnAttentionScores the list of it and the scores' shape (B, N, …T, …S)
   * (T: the query's position axes, S: the value's).
   */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    const [q, v] = MultiHeadAttention.shapes(inputShape);
    const out = [...q.slice(0, -1), this.outputDim ?? q[q.length - 1]];
    return this.returnAttentionScores ? [out, [q[0], this.numHeads, ...q.slice(1, -1), ...v.slice(1, -1)]] : out;
  }

  /**
   * Keras's causal mask for T query and S key positions, (1, T, S): 1 where key position j ≤ query position i, else
   * 0 (keras `_compute_causal_mask`: row index ≥ column index, the cumulative sums of a (1, T, S) array of ones).
   */
  static causalMask(t: number, s: number): tf.Tensor3D {
    return tf.tidy(() => {
      const rows = tf.reshape(tf.range(0, t, 1, 'int32'), [t, 1]);
      const cols = tf.reshape(tf.range(0, s, 1, 'int32'), [1, s]);
      return tf.reshape(tf.greaterEqual(rows, cols), [1, t, s]);
    });
  }

  /** x (B, …P, d) → (B·P, d) · kernel (d, cols) + bias: the rows of a projection. */
  private project(x: tf.Tensor, i: number, cols: number): tf.Tensor2D {
    const d = x.shape[x.shape.length - 1];
    let y = tf.matMul<tf.Tensor2D>(tf.reshape(x, [-1, d]), tf.reshape(this.kernels[i].read(), [-1, cols]));
    const b = this.biases[i];
    if (b) y = tf.add<tf.Tensor2D>(y, tf.reshape(b.read(), [cols]));
    return y;
  }

  /** (B·P, N·D) → (B·N, P, D): heads next to the batch. */
  private heads(x: tf.Tensor2D, batch: number, positions: number, size: number): tf.Tensor3D {
    return tf.reshape(tf.transpose(tf.reshape(x, [batch, positions, this.numHeads, size]), [0, 2, 1, 3]), [batch * this.numHeads, positions, size]);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    return tf.tidy(() => {
      const list = Array.isArray(inputs) ? inputs : [inputs];
      if (list.length < 1 || list.length > 3)
        throw new Error('MultiHeadAttention must be called on query, [query], [query, value] or [query, value, key] (1 to 3 tensors)');
      const [query, value = query, key = value] = list;
      const batch = query.shape[0];
      const t = query.shape.slice(1, -1).reduce((a, b) => a * b, 1);
      const s = value.shape.slice(1, -1).reduce((a, b) => a * b, 1);
      const n = this.numHeads;
      const [kd, vd] = [this.keyDim, this.valueDim];
      // Keras scales the projected query by 1/√key_dim before the product with the key.
      const q = this.heads(tf.mul(this.project(query, 0, n * kd), 1 / Math.sqrt(kd)), batch, t, kd);
      const k = this.heads(this.project(key, 1, n * kd), batch, s, kd);
      const v = this.heads(this.project(value, 2, n * vd), batch, s, vd);
      let raw: tf.Tensor = tf.matMul(q, k, false, true); // (B·N, T, S)
      // Keras's masked softmax: masked scores become −1e9 before the softmax and their weights 0 after it.
      const mask = this.useCausalMask ? tf.broadcastTo(MultiHeadAttention.causalMask(t, s), [batch * n, t, s]) : null;
      if (mask) raw = tf.where(mask, raw, tf.fill([batch * n, t, s], MASKED_SCORE));
      let scores: tf.Tensor = tf.softmax(raw); // softmax over the key positions
      if (mask) scores = tf.where(mask, scores, tf.zerosLike(scores));
      const weights = kwargs.training === true && this.dropout > 0 ? tf.dropout(scores, this.dropout, undefined, this.seed) : scores;
      const heads = tf.matMul(weights, v); // (B·N, T, V)
      const joined = tf.reshape(tf.transpose(tf.reshape(heads, [batch, n, t, vd]), [0, 2, 1, 3]), [batch * t, n * vd]);
      const out = this.outputDim ?? query.shape[query.shape.length - 1];
      const output = tf.reshape(this.project(joined, 3, out), [...query.shape.slice(0, -1), out]);
      if (!this.returnAttentionScores) return output;
      // The weights before dropout, (B, N, …T, …S), as Keras returns them.
      return [output, tf.reshape(scores, [batch, n, ...query.shape.slice(1, -1), ...value.shape.slice(1, -1)])];
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      ...super.getConfig(),
      numHeads: this.numHeads,
      keyDim: this.keyDim,
      valueDim: this.valueDimArg,
      dropout: this.dropout,
      useBias: this.useBias,
      outputShape: this.outputDim,
      attentionAxes: this.attentionAxes ? [...this.attentionAxes] : null,
      kernelInitializer: serialized(this.kernelInitializer),
      biasInitializer: serialized(this.biasInitializer),
    };
    // Keras's call arguments, written only when on, so a plain layer's config is what it was before they existed.
    if (this.useCausalMask) config.useCausalMask = true;
    if (this.returnAttentionScores) config.returnAttentionScores = true;
    if (this.seed !== undefined) config.seed = this.seed;
    return config;
  }
}

tf.serialization.registerClass(MultiHeadAttention);

/** `layerlab.multiHeadAttention({ numHeads, keyDim, … })`, applied to [query, value] or [query, value, key]. */
export const multiHeadAttention = (args: MultiHeadAttentionArgs): MultiHeadAttention => new MultiHeadAttention(args);
