/** What the recurrent kinds share (SimpleRNN, LSTM, GRU): parameter schemas, shape and weight rules. */
import type { Shape } from '../../graph/types';
import { expectKnown, expectRank, formatShape, ShapeError, type WeightSpec } from '../define';
import { p } from '../params';
import { note, num, step, tracing } from '../trace';
import { GLOROT_UNIFORM, ORTHOGONAL, ZEROS } from './initializers';

const leading = () => ({
  units: p.int({ default: 32, min: 1, always: true, help: 'Size of the hidden state = length of each output vector.' }),
  activation: p.activation({ default: 'tanh', help: 'Activation of the candidate state and output (Keras default tanh).' }),
});
const gate = () => ({
  recurrent_activation: {
    ...p.activation({
      default: 'sigmoid',
      help: 'Activation of the gates (Keras default sigmoid; tfjs would default to hard_sigmoid, so generated code names it).',
    }),
    tfjsDefault: 'hard_sigmoid',
  },
});
const trailing = () => ({
  use_bias: p.bool({ default: true, help: 'Add learned biases.' }),
  dropout: p.rate({ default: 0, help: 'Fraction of the inputs dropped at each step while training.' }),
  recurrent_dropout: p.rate({ default: 0, help: 'Fraction of the recurrent state dropped at each step while training.' }),
  return_sequences: p.bool({
    default: false,
    help: 'Output the state of every step (batch, steps, units), e.g. to stack another RNN; otherwise only the last (batch, units).',
  }),
  return_state: p.bool({
    default: false,
    help: 'Also return the final state as further outputs (LSTM: state_h and state_c; GRU and SimpleRNN: the state), e.g. to start a decoder. Each output gets its own handle; the model becomes Functional.',
  }),
  go_backwards: p.bool({ default: false, help: 'Read the sequence from the end to the start.' }),
});
type Leading = ReturnType<typeof leading>;
type Trailing = ReturnType<typeof trailing>;

/** units, activation, …: the parameters every recurrent kind has, in Keras's signature order (recurrent_activation when `gated`). */
export function rnnParams(gated: false): Leading & Trailing;
export function rnnParams(gated: true): Leading & ReturnType<typeof gate> & Trailing;
export function rnnParams(gated: boolean): Leading & Partial<ReturnType<typeof gate>> & Trailing {
  return { ...leading(), ...(gated ? gate() : {}), ...trailing() };
}

/** The arguments the recurrent rules read. */
export interface RnnArgs {
  readonly units: number;
  readonly use_bias: boolean;
  readonly return_sequences: boolean;
  readonly go_backwards: boolean;
  /** Absent on a wrapped layer (Bidirectional offers no return_state). */
  readonly return_state?: boolean;
}

/**
 * Output shape of a recurrent layer over (batch, steps, features): its first output.
 * Source: Keras keras/src/layers/rnn/rnn.py `RNN.compute_output_shape`, tfjs-layers recurrent.ts
 * `RNN.computeOutputShape`: return_sequences → (batch, steps, units), else (batch, units).
 * `states`: the initial states it is called with (`initial_state`, inputs 2…), each (batch, units); a layer with
 * `stateCount` states takes all of them or none (Keras's `RNN.call` builds one state per cell state).
 * @throws ShapeError for a rank other than 3, unknown features, or initial states of the wrong number or shape.
 */
export function rnnShape(x: Shape, q: RnnArgs, states: readonly Shape[] = [], stateCount = 1): Shape {
  expectRank(x, 3, '(batch, steps, features)');
  expectKnown(x, [2], 'number of features (last axis)');
  if (states.length && states.length !== stateCount)
    throw new ShapeError(
      'shape/state',
      `gets ${states.length} initial state${states.length === 1 ? '' : 's'} but takes ${stateCount === 1 ? 'one (its state)' : `${stateCount} (state_h and state_c)`}: connect the sequence first, then ${stateCount === 1 ? 'the state' : 'both states'}, or only the sequence`,
    );
  states.forEach((s, i) => {
    if (s.length !== 2 || (s[1] !== null && s[1] !== q.units))
      throw new ShapeError(
        'shape/state',
        `gets an initial state ${formatShape(s)} as input ${i + 2}, but its state${stateCount > 1 ? `s are` : ' is'} (None, ${q.units}) (units = ${q.units}): feed it the state of a recurrent layer with ${q.units} units`,
      );
  });
  if (tracing()) rnnSteps(x, q.units, q.return_sequences);
  return q.return_sequences ? [x[0], x[1], q.units] : [x[0], q.units];
}

/**
 * Records a recurrent output's axes: with return_sequences `steps: every step's state kept = 10` then
 * `features: units = 32`; without, `features: the last step's state only, units = 32 (return_sequences off: the
 * steps axis goes)`. `units` is the last axis's size (Bidirectional passes its merged size and how it is made).
 */
export function rnnSteps(x: Shape, units: number, returnSequences: boolean, unitsText = 'units', unitsNote?: string): void {
  if (returnSequences) {
    step('steps', "every step's state kept (return_sequences)", x[1]);
    step('features', unitsText, units, unitsNote);
  } else step('features', `the last step's state only, ${unitsText}`, units, `return_sequences off: the steps axis goes${unitsNote ? `; ${unitsNote}` : ''}`);
}

/**
 * The outputs of a recurrent layer (`LayerDef.multiOutput`): with return_state, its output and then its final
 * states, each (batch, units): LSTM's state_h and state_c, GRU's and SimpleRNN's one state.
 * Source: keras/src/layers/rnn/rnn.py `RNN.compute_output_shape` (state_shape = (batch, units) per state),
 * tfjs-layers recurrent.ts `RNN.computeOutputShape` (returnState).
 */
export function rnnOutputs(stateNames: readonly string[]) {
  return {
    param: 'return_state',
    names: (q: RnnArgs): readonly string[] => (q.return_state ? ['output', ...stateNames] : ['output']),
    shapes: ([x]: readonly Shape[], q: RnnArgs): readonly Shape[] => {
      if (!q.return_state) return [];
      if (tracing())
        for (const name of stateNames)
          note(`${name}: the final ${name === 'state_c' ? 'cell state' : 'state'}, (batch, units) = (${num(x[0])}, ${num(q.units)})`);
      return stateNames.map((): Shape => [x[0], q.units]);
    },
  };
}

/** What each recurrent kind's gate axis holds: the blocks of `units` columns of its kernels and bias, in Keras's order. */
export const GATES: Readonly<Record<1 | 3 | 4, string>> = {
  1: 'one block: the state update',
  3: 'update, reset and candidate blocks',
  4: 'input, forget, cell and output gates',
};

/**
 * Weight tensors of a recurrent layer with `gates` gate blocks (SimpleRNN 1, GRU 3, LSTM 4) over d input
 * features, u units, in Keras's order: kernel (d, gates·u), recurrent_kernel (u, gates·u), bias (gates·u,) when
 * use_bias — a GRU with reset_after has two biases, (2, 3·u) (input and recurrent). The count is
 * gates·(d·u + u·u + u) (docs/keras-facts.md §4). Each tensor notes what its gates·u columns hold (GATES).
 * Source: keras/src/layers/rnn/simple_rnn.py, gru.py, lstm.py `…Cell.build`; tfjs-layers recurrent.ts
 * `SimpleRNNCell/GRUCell/LSTMCell.build` (same names and shapes; reset_after false only), Layerlab's
 * runtime/layers/gru.ts `ResetAfterGRUCell.build` (reset_after true, Keras's shapes).
 */
export function rnnWeightShapes(x: Shape, q: RnnArgs & { readonly reset_after?: boolean }, gates: 1 | 3 | 4): WeightSpec[] {
  const d = x[2] as number;
  const u = q.units;
  const note = gates === 1 ? undefined : `${gates * u} = ${gates} gates × ${u} units: ${GATES[gates]}`;
  const w = (name: string, shape: number[]): WeightSpec => ({ name, shape, trainable: true, ...(note && { note }) });
  const bias: WeightSpec = q.reset_after
    ? { ...w('bias', [2, gates * u]), note: `rows: the input and the recurrent bias (reset_after); columns: ${note}` }
    : w('bias', [gates * u]);
  return [w('kernel', [d, gates * u]), w('recurrent_kernel', [u, gates * u]), ...(q.use_bias ? [bias] : [])];
}

/** Node text: '32 · seq · ←' (units, return_sequences, go_backwards). */
export const rnnKeyParams = (q: RnnArgs): string =>
  [q.units, q.return_sequences ? 'seq' : null, q.go_backwards ? '←' : null].filter((v) => v !== null).join(' · ');

/**
 * Multiply-accumulates per sample of a recurrent layer with `gates` gate blocks over (batch, steps, d):
 * steps · gates · (d·u + u·u) — at every step each gate multiplies the input x_t by its kernel (d·u) and the
 * previous state h_{t−1} by its recurrent kernel (u·u); biases, activations and the gates' element-wise
 * products are not counted (validate/cost.ts). Null for an unknown number of steps. The layer runs every step
 * whether or not it returns the sequence. GRU with reset_after = false applies its reset gate to h_{t−1}
 * before the product, which changes no count.
 * Source: the kernels of `rnnWeightShapes` as tfjs-layers recurrent.ts `SimpleRNNCell/GRUCell/LSTMCell.call` uses
 * them: per step one `K.dot` of the input by the kernel [d, gates·u] and of the state by the recurrent
 * kernel [u, gates·u] (GRU splits the latter in two products, same total).
 */
export function rnnMacs(x: Shape, q: RnnArgs, gates: number): number | null {
  const steps = x[1];
  if (steps === null) return null;
  const d = x[2] as number;
  const u = q.units;
  return steps * gates * (d * u + u * u);
}

/**
 * The `keras` record every recurrent kind shares: its positional arguments in the order of Keras 3.15's signature
 * (keras/src/layers/rnn/simple_rnn.py, lstm.py, gru.py `__init__`; checked against tests/fixtures/keras/keras-signatures.json
 * by tests/unit/keras-signature.test.ts), `units` required, and Keras's initializers (glorot_uniform kernel, orthogonal
 * recurrent kernel, zeros bias).
 * - `gated`: recurrent_activation follows activation (LSTM, GRU).
 * - `unitForgetBias`: unit_forget_bias follows the initializers (LSTM).
 * - `seed`: seed follows recurrent_dropout (LSTM, GRU).
 * - `tail`: what follows go_backwards (GRU: stateful, unroll, reset_after).
 */
export function rnnKeras(o: { gated: boolean; unitForgetBias?: boolean; seed: boolean; tail?: readonly string[]; aliases?: readonly string[] }) {
  const positional = [
    'units',
    'activation',
    ...(o.gated ? ['recurrent_activation'] : []),
    'use_bias',
    'kernel_initializer',
    'recurrent_initializer',
    'bias_initializer',
    ...(o.unitForgetBias ? ['unit_forget_bias'] : []),
    'kernel_regularizer',
    'recurrent_regularizer',
    'bias_regularizer',
    'activity_regularizer',
    'kernel_constraint',
    'recurrent_constraint',
    'bias_constraint',
    'dropout',
    'recurrent_dropout',
    ...(o.seed ? ['seed'] : []),
    'return_sequences',
    'return_state',
    'go_backwards',
    ...(o.tail ?? []),
  ];
  return {
    positional,
    required: ['units'],
    initializers: { kernel_initializer: GLOROT_UNIFORM, recurrent_initializer: ORTHOGONAL, bias_initializer: ZEROS },
    ...(o.aliases && { aliases: [...o.aliases] }),
  };
}
