/**
 * Identity as a tfjs custom layer (tfjs 4.22 has no such layer): returns its input unchanged; shape unchanged,
 * no weights, passes a mask on. Source: Keras keras/src/layers/core/identity.py.
 *
 * This file is self-contained (it imports only tfjs): Layerlab ships it, with the other files of this folder, as
 * the `layerlab-layers.ts` module generated TypeScript imports.
 */
import * as tf from '@tensorflow/tfjs';

/** The arguments of Identity: tfjs's common layer arguments only (name, inputShape…), as Keras's. */
export type IdentityArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Keras Identity: y = x. */
export class Identity extends tf.layers.Layer {
  static readonly className = 'Identity';

  constructor(args: IdentityArgs = {}) {
    super(args);
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  /** The input itself (a new handle on the same values, so that disposing one does not dispose the other). */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.clone(Array.isArray(inputs) ? inputs[0] : inputs);
  }
}

tf.serialization.registerClass(Identity);

/** `layerlab.identity()`. */
export const identity = (args: IdentityArgs = {}): Identity => new Identity(args);
