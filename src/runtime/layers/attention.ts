/**
 * Keras Attention (dot-product) and AdditiveAttention as tfjs custom layers (tfjs 4.22 has neither).
 *
 * Called on the list [query (B, Tq, dim), value (B, Tv, dv)] or [query, value, key (B, Tv, dim)] — key = value
 * when absent — (one tensor, or a list of one, is self-attention: query = value = key); scores (B, Tq, Tv), softmax over the key positions, dropout while training, times value:
 * output (B, Tq, dv).
 * - Attention, score_mode 'dot': scores = query·keyᵀ, times the scalar `scale` when use_scale; 'concat':
 *   concat_score_weight · Σ_features tanh(scale · (query + key)) (scale 1 without use_scale). Weights, in Keras's
 *   order: scale () when use_scale, then concat_score_weight () when concat; both start at 1.
 * - AdditiveAttention: scores = Σ_features scale · tanh(query + key), `scale` of shape (dim,) when use_scale
 *   (glorot_uniform), else 1.
 * Source: Keras keras/src/layers/attention/attention.py (`build`, `_calculate_scores`, `_apply_scores`) and
 * additive_attention.py. Computed with matMul, tanh, sum and softmax, which tfjs-backend-wasm has with gradients.
 *
 * This file is self-contained (it imports only tfjs): Layerlab ships it in `layerlab-layers.ts`.
 */
import * as tf from '@tensorflow/tfjs';

/** The arguments both kinds share: Keras's, in camelCase, plus tfjs's common layer arguments. */
interface BaseAttentionArgs extends NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]> {
  /** Learn a scale of the scores (Attention: a scalar; AdditiveAttention: one per feature). */
  readonly useScale?: boolean;
  /** Fraction of the attention weights dropped while training, 0 ≤ dropout < 1 (default 0). */
  readonly dropout?: number;
  /** Seed of the dropout. */
  readonly seed?: number;
}

/** Keras Attention's arguments. */
export interface AttentionArgs extends BaseAttentionArgs {
  /** 'dot' (default) or 'concat'. */
  readonly scoreMode?: 'dot' | 'concat';
}

/** Keras AdditiveAttention's arguments (useScale defaults to true there). */
export type AdditiveAttentionArgs = BaseAttentionArgs;

/** What both kinds share: the inputs, the softmax over the key positions, the dropout and the product with the value. */
abstract class BaseDenseAttention extends tf.layers.Layer {
  readonly useScale: boolean;
  readonly dropout: number;
  readonly seed?: number;

  constructor(args: BaseAttentionArgs, useScaleDefault: boolean) {
    super(args);
    this.useScale = args.useScale ?? useScaleDefault;
    this.dropout = args.dropout ?? 0;
    if (!(this.dropout >= 0 && this.dropout < 1)) throw new Error(`${new.target.name}: dropout must be ≥ 0 and < 1, got ${JSON.stringify(args.dropout)}`);
    this.seed = args.seed;
  }

  /** Query, value and key shapes (one shape: self-attention). @throws Error unless given 1 to 3 rank-3 shapes. */
  protected shapes(inputShape: tf.Shape | tf.Shape[]): [tf.Shape, tf.Shape, tf.Shape] {
    const list = Array.isArray(inputShape[0]) ? (inputShape as tf.Shape[]) : [inputShape as tf.Shape];
    if (list.length < 1 || list.length > 3)
      throw new Error(`${this.getClassName()} must be called on query, [query], [query, value] or [query, value, key] (1 to 3 tensors)`);
    const [q, v = q, k = v] = list;
    for (const s of [q, v, k])
      if (s.length !== 3) throw new Error(`${this.getClassName()} expects rank-3 inputs (batch, positions, features), got rank ${s.length}`);
    if (v[1] !== null && k[1] !== null && v[1] !== k[1])
      throw new Error(`${this.getClassName()}: the value and the key must have as many positions, got ${v[1]} and ${k[1]}`);
    return [q, v, k];
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [q, v] = this.shapes(inputShape);
    return [q[0], q[1], v[2]];
  }

  /** Scores (B, Tq, Tv) of query (B, Tq, dim) against key (B, Tv, dim). */
  protected abstract scores(query: tf.Tensor3D, key: tf.Tensor3D): tf.Tensor3D;

  /** tanh(query + key) for every (query position, key position): (B, Tq, Tv, dim), query scaled first by `scale`. */
  protected static pairs(query: tf.Tensor3D, key: tf.Tensor3D): tf.Tensor4D {
    return tf.add<tf.Tensor4D>(tf.expandDims(query, 2), tf.expandDims(key, 1));
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const list = (Array.isArray(inputs) ? inputs : [inputs]) as tf.Tensor3D[];
      if (list.length < 1 || list.length > 3)
        throw new Error(`${this.getClassName()} must be called on query, [query], [query, value] or [query, value, key] (1 to 3 tensors)`);
      const [query, value = query, key = value] = list;
      let weights: tf.Tensor = tf.softmax(this.scores(query, key));
      if (kwargs.training === true && this.dropout > 0) weights = tf.dropout(weights, this.dropout, undefined, this.seed);
      return tf.matMul(weights, value);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = { ...super.getConfig(), useScale: this.useScale, dropout: this.dropout };
    if (this.seed !== undefined) config.seed = this.seed;
    return config;
  }
}

/** Keras Attention (keras/src/layers/attention/attention.py): dot-product or concat scores. */
export class Attention extends BaseDenseAttention {
  static readonly className = 'Attention';
  readonly scoreMode: 'dot' | 'concat';
  private scale: tf.LayerVariable | null = null;
  private concatScoreWeight: tf.LayerVariable | null = null;

  /** @throws Error for a score mode other than 'dot' or 'concat', or a dropout outside [0, 1). */
  constructor(args: AttentionArgs = {}) {
    super(args, false);
    this.scoreMode = args.scoreMode ?? 'dot';
    if (this.scoreMode !== 'dot' && this.scoreMode !== 'concat')
      throw new Error(`Attention: scoreMode must be 'dot' or 'concat', got ${JSON.stringify(args.scoreMode)}`);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const [q, , k] = this.shapes(inputShape);
    if (q[2] !== null && k[2] !== null && q[2] !== k[2]) throw new Error(`Attention: the query's last axis (${q[2]}) must equal the key's (${k[2]})`);
    // Keras's order: scale, then concat_score_weight; both scalars starting at 1.
    if (this.useScale) this.scale = this.addWeight('scale', [], 'float32', tf.initializers.ones(), undefined, true);
    if (this.scoreMode === 'concat') this.concatScoreWeight = this.addWeight('concat_score_weight', [], 'float32', tf.initializers.ones(), undefined, true);
    this.built = true;
  }

  protected scores(query: tf.Tensor3D, key: tf.Tensor3D): tf.Tensor3D {
    if (this.scoreMode === 'dot') {
      const s: tf.Tensor3D = tf.matMul(query, key, false, true);
      return this.scale ? tf.mul<tf.Tensor3D>(s, this.scale.read()) : s;
    }
    const pairs = BaseDenseAttention.pairs(query, key);
    const t = tf.tanh(this.scale ? tf.mul(this.scale.read(), pairs) : pairs);
    return tf.mul<tf.Tensor3D>(this.concatScoreWeight!.read(), tf.sum(t, -1));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), scoreMode: this.scoreMode };
  }
}

/** Keras AdditiveAttention (keras/src/layers/attention/additive_attention.py): Bahdanau-style scores. */
export class AdditiveAttention extends BaseDenseAttention {
  static readonly className = 'AdditiveAttention';
  private scale: tf.LayerVariable | null = null;

  /** @throws Error for a dropout outside [0, 1). */
  constructor(args: AdditiveAttentionArgs = {}) {
    super(args, true);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const [q, , k] = this.shapes(inputShape);
    if (q[2] === null) throw new Error('AdditiveAttention needs a known last axis of the query');
    if (k[2] !== null && q[2] !== k[2]) throw new Error(`AdditiveAttention: the query's last axis (${q[2]}) must equal the key's (${k[2]})`);
    if (this.useScale) this.scale = this.addWeight('scale', [q[2]], 'float32', tf.initializers.glorotUniform({}), undefined, true);
    this.built = true;
  }

  protected scores(query: tf.Tensor3D, key: tf.Tensor3D): tf.Tensor3D {
    const t = tf.tanh(BaseDenseAttention.pairs(query, key));
    return tf.sum<tf.Tensor3D>(this.scale ? tf.mul(this.scale.read(), t) : t, -1);
  }
}

tf.serialization.registerClass(Attention);
tf.serialization.registerClass(AdditiveAttention);

/** `layerlab.attention({ useScale, scoreMode, dropout })`, applied to [query, value] or [query, value, key]. */
export const attention = (args: AttentionArgs = {}): Attention => new Attention(args);
/** `layerlab.additiveAttention({ useScale, dropout })`, applied to [query, value] or [query, value, key]. */
export const additiveAttention = (args: AdditiveAttentionArgs = {}): AdditiveAttention => new AdditiveAttention(args);
