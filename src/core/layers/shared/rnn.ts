/** What the recurrent kinds share (SimpleRNN, LSTM, GRU): parameter schemas, shape and weight rules. */
import type { Shape } from '../../graph/types';
import { expectKnown, expectRank, type WeightCount } from '../define';
import { p } from '../params';

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
}

/**
 * Output shape of a recurrent layer over (batch, steps, features).
 * Source: Keras keras/src/layers/rnn/rnn.py `RNN.compute_output_shape`, tfjs-layers recurrent.ts
 * `RNN.computeOutputShape`: return_sequences → (batch, steps, units), else (batch, units).
 * return_state is not offered: it makes a layer with several output tensors, which a node's single
 * output cannot carry.
 * @throws ShapeError for a rank other than 3 or unknown features.
 */
export function rnnShape(x: Shape, q: RnnArgs): Shape {
  expectRank(x, 3, '(batch, steps, features)');
  expectKnown(x, [2], 'number of features (last axis)');
  return q.return_sequences ? [x[0], x[1], q.units] : [x[0], q.units];
}

/**
 * Weights of a recurrent layer with `gates` gate blocks (SimpleRNN 1, GRU 3, LSTM 4), d input features, u units:
 * gates·(d·u + u·u + u), the bias only with use_bias.
 * Source: docs/keras-facts.md §4; tfjs-layers recurrent.ts `SimpleRNNCell/GRUCell/LSTMCell.build`
 * (kernel [d, gates·u], recurrent_kernel [u, gates·u], bias [gates·u]); GRU with reset_after = false.
 */
export function rnnWeights(x: Shape, q: RnnArgs, gates: number): WeightCount {
  const d = x[2] as number;
  const u = q.units;
  return { trainable: gates * (d * u + u * u + (q.use_bias ? u : 0)), nonTrainable: 0 };
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
 * Source: the kernels of `rnnWeights` as tfjs-layers recurrent.ts `SimpleRNNCell/GRUCell/LSTMCell.call` uses
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
