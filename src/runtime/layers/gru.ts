/**
 * GRU with Keras's reset_after=True (Keras 3's default), as a tfjs custom layer. tfjs 4.22's GRUCell throws "GRUCell
 * does not support reset_after parameter set to true" when it is made (tfjs-layers src/layers/recurrent.ts). This
 * class extends tfjs's own GRU (taken from tfjs's serialization map, so every other argument, return_sequences,
 * return_state, go_backwards, initial states, masks, dropout, initializers, regularizers and constraints are tfjs's)
 * and replaces it in that map under the same class name, so a model JSON with a reset_after GRU loads and runs.
 * reset_after=False runs tfjs's own cell unchanged.
 *
 * With reset_after=True the layer's cell is `ResetAfterGRUCell`: weights as Keras 3 builds them
 * (keras/src/layers/rnn/gru.py `GRUCell.build`): kernel (d, 3u), recurrent_kernel (u, 3u), bias (2, 3u) — row 0 the
 * input bias, row 1 the recurrent bias —, columns in the gate order [z (update), r (reset), h (candidate)]. One step
 * (`GRUCell.call`, implementation 2, the one Keras uses by default):
 *   x·W + b_in = [x_z, x_r, x_h],  h_{t−1}·U + b_rec = [r_z, r_r, r_h]
 *   z = σ(x_z + r_z),  r = σ(x_r + r_r),  hh = tanh(x_h + r ⊙ r_h),  h_t = z ⊙ h_{t−1} + (1 − z) ⊙ hh
 * (σ = recurrent_activation, tanh = activation). With reset_after=False the reset gate multiplies h_{t−1} before its
 * product with U_h instead, and there is one bias (3u,).
 *
 * This file is self-contained (it imports only tfjs): Layerlab ships it, with the other files of this folder, as
 * the `layerlab-layers.ts` module generated TypeScript imports.
 */
import * as tf from '@tensorflow/tfjs';

/** A tfjs activation object (tfjs-layers src/activations.ts `Activation`). */
interface TfjsGruActivation {
  apply(x: tf.Tensor): tf.Tensor;
}

/** The fields of tfjs's GRUCell this class reads and writes (tfjs-layers src/layers/recurrent.ts `GRUCell`). */
interface TfjsGruCellFields {
  readonly units: number;
  readonly useBias: boolean;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly activation: TfjsGruActivation;
  readonly recurrentActivation: TfjsGruActivation;
  readonly kernelInitializer: unknown;
  readonly recurrentInitializer: unknown;
  readonly biasInitializer: unknown;
  readonly kernelRegularizer?: unknown;
  readonly recurrentRegularizer?: unknown;
  readonly biasRegularizer?: unknown;
  readonly kernelConstraint?: unknown;
  readonly recurrentConstraint?: unknown;
  readonly biasConstraint?: unknown;
  kernel: tf.LayerVariable;
  recurrentKernel: tf.LayerVariable;
  bias: tf.LayerVariable | null;
  dropoutMask: tf.Tensor[] | null;
  recurrentDropoutMask: tf.Tensor[] | null;
  built: boolean;
}

/** A layer class as tfjs registers it: constructed from its config, with the static `fromConfig` every Layer inherits. */
type GruLayerConstructor = (new (args: Record<string, unknown>) => tf.layers.Layer) & tf.serialization.SerializableConstructor<tf.layers.Layer>;

/** `addWeight`, protected in tfjs's typings (tfjs-layers engine/topology.ts `Layer.addWeight`). */
type GruAddWeight = (
  name: string,
  shape: number[],
  dtype: tf.DataType | undefined,
  initializer: unknown,
  regularizer: unknown,
  trainable: boolean,
  constraint: unknown,
) => tf.LayerVariable;

const gruClasses = tf.serialization.SerializationMap.getMap().classNameMap;
/** tfjs's own GRU and GRUCell classes, as registered when tfjs loaded (before this module replaces GRU). */
const TfjsGRU = gruClasses['GRU'][0] as unknown as GruLayerConstructor;
const TfjsGRUCell = gruClasses['GRUCell'][0] as unknown as GruLayerConstructor;

/** The constructor arguments: tfjs's `GRULayerArgs` (camelCase Keras arguments), resetAfter true allowed. */
export type GRUArgs = Record<string, unknown> & { units: number; resetAfter?: boolean };

/**
 * The cell of a GRU with reset_after=True: Keras 3's `GRUCell` equations and weight layout (see the file comment).
 * Input of one step: [x (batch, d), h (batch, u)] → [h', h'], each (batch, u).
 */
export class ResetAfterGRUCell extends TfjsGRUCell {
  /** @nocollapse */
  static className = 'GRUCell';

  constructor(args: GRUArgs) {
    // tfjs's GRUCell refuses resetAfter; everything else it reads as for reset_after=False.
    super({ ...args, resetAfter: false });
  }

  private get f(): TfjsGruCellFields {
    return this as unknown as TfjsGruCellFields;
  }

  /** kernel (d, 3u), recurrent_kernel (u, 3u), bias (2, 3u): Keras 3's `GRUCell.build` with reset_after. */
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const d = shape[shape.length - 1] as number;
    const f = this.f;
    const add = (this as unknown as { addWeight: GruAddWeight }).addWeight.bind(this);
    f.kernel = add('kernel', [d, 3 * f.units], undefined, f.kernelInitializer, f.kernelRegularizer, true, f.kernelConstraint);
    f.recurrentKernel = add('recurrent_kernel', [f.units, 3 * f.units], undefined, f.recurrentInitializer, f.recurrentRegularizer, true, f.recurrentConstraint);
    f.bias = f.useBias ? add('bias', [2, 3 * f.units], undefined, f.biasInitializer, f.biasRegularizer, true, f.biasConstraint) : null;
    f.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor[] {
    return tf.tidy(() => {
      const f = this.f;
      if (!Array.isArray(inputs) || inputs.length !== 2)
        throw new Error(`GRUCell expects 2 input tensors (inputs, h), got ${Array.isArray(inputs) ? inputs.length : 1}.`);
      const training = kwargs?.training === true;
      let [x, h] = inputs;
      const hPrev = h;
      // Dropout as tfjs's GRUCell and Keras's implementation 2: one mask of the inputs, one of the state, made once
      // per layer call (the GRU layer disposes them before each call) and only while training.
      if (training && f.dropout > 0 && f.dropout < 1) {
        f.dropoutMask ??= [tf.keep(tf.dropout(tf.onesLike(x), f.dropout))];
        x = tf.mul(x, f.dropoutMask[0]);
      }
      if (training && f.recurrentDropout > 0 && f.recurrentDropout < 1) {
        f.recurrentDropoutMask ??= [tf.keep(tf.dropout(tf.onesLike(h), f.recurrentDropout))];
        h = tf.mul(h, f.recurrentDropoutMask[0]);
      }
      let matrixX = tf.matMul(x, f.kernel.read());
      let matrixInner = tf.matMul(h, f.recurrentKernel.read());
      if (f.bias) {
        const [inputBias, recurrentBias] = tf.unstack(f.bias.read(), 0);
        matrixX = tf.add(matrixX, inputBias);
        matrixInner = tf.add(matrixInner, recurrentBias);
      }
      const [xZ, xR, xH] = tf.split(matrixX, 3, -1);
      const [recZ, recR, recH] = tf.split(matrixInner, 3, -1);
      const z = f.recurrentActivation.apply(tf.add(xZ, recZ));
      const r = f.recurrentActivation.apply(tf.add(xR, recR));
      const hh = f.activation.apply(tf.add(xH, tf.mul(r, recH)));
      // Keras multiplies z by the undropped previous state (gru.py: h = z * h_tm1 + (1 - z) * hh, h_tm1 = states[0]).
      const next = tf.add(tf.mul(z, hPrev), tf.mul(tf.sub(1, z), hh));
      return [next, next];
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), resetAfter: true };
  }
}

/** Keras's GRU in tfjs, with reset_after True or False (see the file comment). */
export class GRU extends TfjsGRU {
  /** @nocollapse */
  static className = 'GRU';

  constructor(args: GRUArgs) {
    // tfjs's GRU makes a tfjs GRUCell from the arguments, which refuses resetAfter: made without it, then replaced.
    super({ ...args, resetAfter: false });
    if (args.resetAfter === true) (this as unknown as { cell: tf.layers.Layer }).cell = new ResetAfterGRUCell(args);
  }
}
tf.serialization.registerClass(GRU);

/**
 * `layerlab.gru({ units, resetAfter: true, … })`: a GRU that also runs reset_after=True (Keras 3's default).
 * Input (batch, steps, d) → (batch, units), or (batch, steps, units) with returnSequences; with returnState also the
 * final state (batch, units). Typed as tfjs's own GRU (an RNN), so `tf.layers.bidirectional({ layer })` takes it.
 * @throws Error as tfjs's GRU does for invalid arguments (units not a positive integer).
 */
export const gru = (args: GRUArgs): ReturnType<typeof tf.layers.gru> => new GRU(args) as unknown as ReturnType<typeof tf.layers.gru>;
