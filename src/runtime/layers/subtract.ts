/**
 * Subtract as a tfjs custom layer (tfjs 4.22 has no such layer): x1 − x2 of exactly two inputs, whose shapes
 * broadcast as Keras's merge layers broadcast them (aligned on the right, sizes of 1 stretch). No weights.
 * Source: Keras keras/src/layers/merging/subtract.py (exactly 2 inputs) on base_merge.py
 * (`_compute_elementwise_op_output_shape`). A Keras mask is passed on as tfjs's own merge layers (Add) pass it
 * with two inputs (tfjs-layers merge.ts `Merge.computeMask`: the first input's, with a leading axis of 1), so a
 * model behaves as it would with Add.
 *
 * This file is self-contained (it imports only tfjs): Layerlab ships it, with the other files of this folder, as
 * the `layerlab-layers.ts` module generated TypeScript imports.
 */
import * as tf from '@tensorflow/tfjs';

/** The arguments of Subtract: tfjs's common layer arguments only (name…), as Keras's. */
export type SubtractArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Keras Subtract: inputs[0] − inputs[1]. */
export class Subtract extends tf.layers.Layer {
  static readonly className = 'Subtract';

  constructor(args: SubtractArgs = {}) {
    super(args);
    this.supportsMasking = true;
  }

  /** Two shapes broadcast: the longer one's leading axes, then per axis the known non-1 size (null when unknown). */
  private static broadcast(a: tf.Shape, b: tf.Shape): tf.Shape {
    if (a.length < b.length) return Subtract.broadcast(b, a);
    const out = a.slice(0, a.length - b.length);
    for (let k = 0; k < b.length; k++) {
      const i = a[a.length - b.length + k];
      const j = b[k];
      if (i === null || j === null) out.push(null);
      else if (i === 1) out.push(j);
      else if (j === 1 || i === j) out.push(i);
      else throw new Error(`Subtract: inputs of shapes [${a.join(', ')}] and [${b.join(', ')}] cannot be broadcast together`);
    }
    return out;
  }

  /** @throws Error unless given exactly two shapes that broadcast (batch axis excluded). */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    if (!Array.isArray(inputShape[0]) || inputShape.length !== 2)
      throw new Error(`A Subtract layer takes exactly 2 inputs, got ${Array.isArray(inputShape[0]) ? inputShape.length : 1}`);
    const [a, b] = inputShape as tf.Shape[];
    return [a[0] ?? b[0], ...Subtract.broadcast(a.slice(1), b.slice(1))];
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    this.computeOutputShape(inputShape);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => this.difference(inputs));
  }

  /** inputs[0] − inputs[1], the lower-rank one first given axes of 1 after the batch axis. */
  private difference(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    if (!Array.isArray(inputs) || inputs.length !== 2)
      throw new Error(`A Subtract layer takes exactly 2 inputs, got ${Array.isArray(inputs) ? inputs.length : 1}`);
    // Keras's merge layers give a lower-rank input axes of 1 after the batch axis (base_merge.py `call`), so that
    // shapes broadcast aligned on the right without the batch axis: (batch, 4) against (batch, 3, 4).
    let [a, b] = inputs;
    while (a.rank < b.rank) a = tf.expandDims(a, 1);
    while (b.rank < a.rank) b = tf.expandDims(b, 1);
    return tf.sub(a, b);
  }

  /** tfjs's merge layers' mask with two inputs (see the file comment): the first input's mask with a leading axis of 1, or none. */
  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    const first = Array.isArray(mask) ? mask[0] : mask;
    // tfjs declares a tensor but its executor and its own layers use null for "no mask".
    return (first ? tf.expandDims(first, 0) : null) as tf.Tensor;
  }
}

tf.serialization.registerClass(Subtract);

/** `layerlab.subtract()`, applied to `[x1, x2]`. */
export const subtract = (args: SubtractArgs = {}): Subtract => new Subtract(args);
