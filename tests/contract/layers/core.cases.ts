/** Core kinds: Dense, Activation, Dropout, Flatten, Reshape, Permute, RepeatVector, Embedding, Masking. */
import { bad, ok, type KindTable } from './types';

export const CORE: Readonly<Record<string, KindTable>> = {
  Dense: {
    valid: [
      ok({ units: 4, activation: 'relu' }, [null, 8]),
      ok({ units: 3, use_bias: false }, [null, 8]),
      ok({ units: 4 }, [null, 5, 7]),
      ok({ units: 1, activation: 'sigmoid', use_bias: false }, [null, 2, 3, 6]),
      ok({ units: 10, activation: 'softmax' }, [null, 12544]),
    ],
    invalid: [bad('Dense with 0 units', { units: 0 }, [[null, 4]], /units/, 'param/invalid')],
  },
  Activation: {
    valid: [
      ok({ activation: 'relu' }, [null, 4]),
      ok({ activation: 'softmax' }, [null, 3, 5]),
      ok({ activation: 'hard_sigmoid' }, [null, 2, 3, 4]),
      ok({ activation: 'gelu' }, [null, 6]),
    ],
    invalid: [bad('an activation neither knows', { activation: 'silu' }, [[null, 4]], /Unknown activation/, 'param/invalid')],
  },
  Dropout: {
    valid: [ok({ rate: 0.5 }, [null, 10]), ok({ rate: 0 }, [null, 4, 4, 3]), ok({ rate: 0.3 }, [null, 2, 7])],
    invalid: [bad('Dropout with rate 1 (tfjs then drops nothing; Keras refuses)', { rate: 1 }, [[null, 4]], [null, 4], 'param/invalid')],
  },
  Flatten: {
    valid: [ok({}, [null, 4, 5]), ok({}, [null, 6, 6, 3]), ok({}, [null, 2, 3, 4, 5])],
    invalid: [bad('Flatten on a rank-2 input', {}, [[null, 5]], /expected min_ndim=3, found ndim=2/, 'shape/already-flat')],
  },
  Reshape: {
    valid: [
      ok({ target_shape: [-1] }, [null, 3, 4]),
      ok({ target_shape: [2, -1] }, [null, 3, 4]),
      ok({ target_shape: [4, 3] }, [null, 12]),
      ok({ target_shape: [-1, 2, 3] }, [null, 2, 3, 2]),
      ok({ target_shape: [1, 1, -1] }, [null, 5]),
    ],
    invalid: [
      bad(
        'sizes that do not multiply to the input size',
        { target_shape: [5, 2] },
        [[null, 3, 4]],
        { run: /Total size of new array must be unchanged/ },
        'shape/reshape-size',
      ),
      bad('a −1 with no whole size', { target_shape: [-1, 5] }, [[null, 3, 4]], { run: /Total size of new array must be unchanged/ }, 'shape/reshape-size'),
      bad('two −1', { target_shape: [-1, -1] }, [[null, 3, 4]], { run: /Total size of new array must be unchanged/ }, 'param/invalid'),
    ],
  },
  Permute: {
    valid: [
      ok({ dims: [2, 1] }, [null, 3, 4]),
      ok({ dims: [1, 3, 2] }, [null, 2, 3, 4]),
      ok({ dims: [3, 1, 2] }, [null, 2, 3, 4]),
      ok({ dims: [1] }, [null, 5]),
    ],
    invalid: [
      bad('dims for a rank-3 input on a rank-4 one', { dims: [2, 1] }, [[null, 2, 3, 4]], /expected ndim=3, found ndim=4/, 'shape/rank'),
      bad('dims that are not a permutation', { dims: [1, 3] }, [[null, 2, 3]], /Invalid permutation/, 'param/invalid'),
    ],
  },
  RepeatVector: {
    valid: [ok({ n: 3 }, [null, 4]), ok({ n: 1 }, [null, 2]), ok({ n: 5 }, [null, 7])],
    invalid: [bad('RepeatVector on a sequence', { n: 2 }, [[null, 2, 3]], /expected ndim=2, found ndim=3/, 'shape/rank')],
  },
  Embedding: {
    valid: [
      ok({ input_dim: 10, output_dim: 4 }, [null, 5]),
      ok({ input_dim: 100, output_dim: 8, mask_zero: true }, [null, 3]),
      ok({ input_dim: 5, output_dim: 2 }, [null, 2, 3]),
    ],
    invalid: [bad('an empty vocabulary', { input_dim: 0, output_dim: 4 }, [[null, 3]], /inputDim/, 'param/invalid')],
  },
  Masking: {
    valid: [ok({}, [null, 3, 2]), ok({ mask_value: -1 }, [null, 4]), ok({ mask_value: 0.5 }, [null, 2, 3, 4])],
    invalid: [bad('no mask value (tfjs falls back to 0)', { mask_value: null }, [[null, 3, 2]], [null, 3, 2], 'param/invalid')],
  },
};
