/**
 * GroupNormalization as a tfjs custom layer (tfjs 4.22 has no such layer).
 *
 * The channels (last axis, C) are split into `groups` groups of C / groups consecutive channels; each sample is
 * normalized within each group with the mean and (population) variance over all its other axes except the batch,
 * then multiplied by gamma and shifted by beta, both of shape (C,):
 *   y = (x − mean) · rsqrt(variance + epsilon) · gamma + beta.
 * Shape unchanged. Weights in Keras's order and names: gamma (if `scale`), then beta (if `center`).
 * Source: Keras keras/src/layers/normalization/group_normalization.py (`build`, `_apply_normalization`:
 * inv = rsqrt(variance + epsilon) · gamma; y = x · inv + (beta − mean · inv)). Channels last only (`axis` −1).
 *
 * This file is self-contained (it imports only tfjs): Layerlab ships it, with the other files of this folder, as
 * the `layerlab-layers.ts` module generated TypeScript imports.
 */
import * as tf from '@tensorflow/tfjs';

/** A tfjs initializer (tf.initializers.zeros() and the like). */
type GroupNormInitializer = ReturnType<typeof tf.initializers.zeros>;

/** The arguments of GroupNormalization: Keras's, in camelCase, plus tfjs's common layer arguments (name, inputShape…). */
export interface GroupNormalizationArgs extends NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]> {
  /** Number of groups (default 32); −1: one group per channel. Must divide the number of channels. */
  readonly groups?: number;
  /** The channels axis: −1 only (Layerlab's layer is channels last). */
  readonly axis?: number;
  /** Added to the variance (default 1e-3). */
  readonly epsilon?: number;
  /** Learn beta (default true). */
  readonly center?: boolean;
  /** Learn gamma (default true). */
  readonly scale?: boolean;
  /** Initializer of beta: an initializer, its name ('zeros') or its serialized form; default zeros. */
  readonly betaInitializer?: GroupNormInitializer | string | tf.serialization.ConfigDict;
  /** Initializer of gamma, as betaInitializer; default ones. */
  readonly gammaInitializer?: GroupNormInitializer | string | tf.serialization.ConfigDict;
}

/** Keras GroupNormalization: normalizes each sample within groups of channels, then scales and shifts per channel. */
export class GroupNormalization extends tf.layers.Layer {
  static readonly className = 'GroupNormalization';
  /** The number of groups; −1 until built, then the channel count (as Keras's `build` sets it). */
  groups: number;
  readonly axis: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: GroupNormInitializer;
  readonly gammaInitializer: GroupNormInitializer;
  private gamma: tf.LayerVariable | null = null;
  private beta: tf.LayerVariable | null = null;

  /** @throws Error for groups 0 or below −1, an axis other than −1, or an initializer tfjs does not know. */
  constructor(args: GroupNormalizationArgs = {}) {
    super(args);
    this.groups = args.groups ?? 32;
    if (!Number.isInteger(this.groups) || (this.groups <= 0 && this.groups !== -1))
      throw new Error(`GroupNormalization: groups must be a positive whole number or −1 (one group per channel), got ${String(args.groups)}`);
    this.axis = args.axis ?? -1;
    if (this.axis !== -1) throw new Error(`GroupNormalization: Layerlab's layer normalizes channels last only (axis −1), got axis ${String(args.axis)}`);
    this.epsilon = args.epsilon ?? 1e-3;
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = GroupNormalization.initializer(args.betaInitializer, 'zeros', 'betaInitializer');
    this.gammaInitializer = GroupNormalization.initializer(args.gammaInitializer, 'ones', 'gammaInitializer');
    this.supportsMasking = true;
  }

  /**
   * An initializer from what a config may hold: an initializer, a name ('zeros', 'glorot_uniform') or a
   * serialized `{ className, config }`; the fallback's when absent.
   * @throws Error naming the argument when tfjs has no such initializer.
   */
  private static initializer(v: unknown, fallback: 'zeros' | 'ones', what: string): GroupNormInitializer {
    if (v === undefined || v === null) return tf.initializers[fallback]();
    if (v instanceof tf.serialization.Serializable) return v as GroupNormInitializer;
    const map = tf.serialization.SerializationMap.getMap().classNameMap;
    let name: unknown = v;
    let config: tf.serialization.ConfigDict = {};
    if (typeof v === 'object') {
      const o = v as { className?: unknown; class_name?: unknown; config?: unknown };
      name = o.className ?? o.class_name;
      if (typeof o.config === 'object' && o.config !== null) config = o.config as tf.serialization.ConfigDict;
    }
    const key = typeof name === 'string' ? name.replace(/(^|_)([a-z])/g, (_m, _u: string, c: string) => c.toUpperCase()) : '';
    const entry = map[key];
    if (!entry) throw new Error(`GroupNormalization: ${what} names no initializer tfjs knows (got ${typeof name === 'string' ? `'${name}'` : typeof name})`);
    return entry[1](entry[0], config) as GroupNormInitializer;
  }

  /**
   * Creates gamma then beta (Keras's order), each of shape (channels,), and sets Keras's InputSpec
   * (ndim = rank, last axis = channels).
   * @throws Error when the channels are unknown, fewer than the groups or not divisible by them.
   */
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[shape.length - 1];
    if (channels === null || channels === undefined)
      throw new Error(`GroupNormalization needs a known number of channels (last axis), got input shape [${shape.join(', ')}]`);
    if (this.groups === -1) this.groups = channels;
    if (channels < this.groups) throw new Error(`GroupNormalization: groups (${this.groups}) cannot be more than the number of channels (${channels})`);
    if (channels % this.groups !== 0)
      throw new Error(`GroupNormalization: the ${channels} channels do not split into ${this.groups} equal groups (groups must divide the channels)`);
    this.inputSpec = [{ ndim: shape.length, axes: { [-1]: channels } }];
    if (this.scale) this.gamma = this.addWeight('gamma', [channels], 'float32', this.gammaInitializer, undefined, true);
    if (this.center) this.beta = this.addWeight('beta', [channels], 'float32', this.betaInitializer, undefined, true);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const channels = x.shape[x.rank - 1];
      const size = channels / this.groups;
      // (batch, …, groups, channels / groups): statistics over every axis but the batch and the group.
      const grouped = tf.reshape(x, [...x.shape.slice(0, -1), this.groups, size]);
      const groupAxis = grouped.rank - 2;
      const axes = Array.from({ length: grouped.rank - 1 }, (_v, i) => i + 1).filter((a) => a !== groupAxis);
      const { mean, variance } = tf.moments(grouped, axes, true);
      const perChannel = [...new Array<number>(grouped.rank - 2).fill(1), this.groups, size];
      let inv = tf.rsqrt(tf.add(variance, this.epsilon));
      if (this.gamma) inv = tf.mul(inv, tf.reshape(this.gamma.read(), perChannel));
      let shift = tf.neg(tf.mul(mean, inv));
      if (this.beta) shift = tf.add(shift, tf.reshape(this.beta.read(), perChannel));
      return tf.reshape(tf.add(tf.mul(grouped, inv), shift), x.shape);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      groups: this.groups,
      axis: this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: { className: this.betaInitializer.getClassName(), config: this.betaInitializer.getConfig() },
      gammaInitializer: { className: this.gammaInitializer.getClassName(), config: this.gammaInitializer.getConfig() },
    };
  }
}

tf.serialization.registerClass(GroupNormalization);

/** `layerlab.groupNormalization({ groups: 8 })`, as `tf.layers.layerNormalization`. */
export const groupNormalization = (args: GroupNormalizationArgs = {}): GroupNormalization => new GroupNormalization(args);
