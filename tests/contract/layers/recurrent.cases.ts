/** Recurrent kinds: SimpleRNN, LSTM, GRU, Bidirectional, TimeDistributed. */
import { bad, ok, type KindTable } from './types';

/** The same table for the three recurrent layers. */
const rnn = (gated: boolean): KindTable => ({
  valid: [
    ok({ units: 4 }, [null, 5, 3]),
    ok({ units: 2, return_sequences: true }, [null, 6, 1]),
    ok({ units: 3, use_bias: false, go_backwards: true }, [null, 2, 4]),
    ok({ units: 5, dropout: 0.2, recurrent_dropout: 0.1, activation: 'relu', ...(gated ? { recurrent_activation: 'hard_sigmoid' } : {}) }, [null, 3, 2]),
  ],
  invalid: [bad('a rank-2 input', { units: 2 }, [[null, 3]], /expected ndim=3, found ndim=2/, 'shape/rank')],
});

export const RECURRENT: Readonly<Record<string, KindTable>> = {
  SimpleRNN: rnn(false),
  LSTM: rnn(true),
  GRU: {
    valid: [
      ...rnn(true).valid,
      // reset_after=True (Keras 3's default): Layerlab's GRU class (src/runtime/layers/gru.ts); bias (2, 3·units).
      ok({ units: 2, reset_after: true }, [null, 3, 2]),
      ok({ units: 4, reset_after: true, return_sequences: true }, [null, 5, 3]),
      ok({ units: 3, reset_after: true, use_bias: false, go_backwards: true }, [null, 4, 2]),
      ok({ units: 5, reset_after: true, dropout: 0.2, recurrent_dropout: 0.1, recurrent_activation: 'hard_sigmoid' }, [null, 3, 2]),
    ],
    invalid: rnn(true).invalid,
  },
  Bidirectional: {
    valid: [
      ok({ layer: 'LSTM', units: 3, return_sequences: true }, [null, 5, 2]),
      ok({ layer: 'GRU', units: 3, merge_mode: 'ave' }, [null, 5, 2]),
      ok({ layer: 'GRU', units: 3, reset_after: true, return_sequences: true }, [null, 5, 2]),
      ok({ layer: 'GRU', units: 2, reset_after: true, merge_mode: 'sum', use_bias: false }, [null, 4, 3]),
      ok({ layer: 'SimpleRNN', units: 4, merge_mode: 'sum', use_bias: false }, [null, 3, 3]),
      ok({ layer: 'LSTM', units: 2, merge_mode: 'mul', recurrent_activation: 'hard_sigmoid' }, [null, 4, 1]),
      ok({ layer: 'SimpleRNN', units: 2, recurrent_activation: 'tanh', return_sequences: true }, [null, 4, 1]),
    ],
    invalid: [bad('a rank-2 input', { layer: 'LSTM', units: 2 }, [[null, 3]], /expected ndim=3, found ndim=2/, 'shape/rank')],
  },
  TimeDistributed: {
    valid: [
      ok({ layer: 'Dense', units: 3 }, [null, 5, 2]),
      ok({ layer: 'Dense', units: 3 }, [null, 5, 2, 4]),
      ok({ layer: 'Dense', units: 1, use_bias: false, activation: 'relu' }, [null, 2, 6]),
    ],
    invalid: [bad('a rank-2 input', { layer: 'Dense', units: 2 }, [[null, 3]], /expects an input shape >= 3D/, 'shape/rank')],
  },
};
