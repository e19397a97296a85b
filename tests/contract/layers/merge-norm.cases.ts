/** Normalization (BatchNormalization, LayerNormalization) and merging (Concatenate, Add, Multiply, Average, Maximum, Minimum, Dot). */
import { bad, ok, type KindTable } from './types';

/** The same table for every element-wise merge: equal shapes, several inputs, broadcasting of 1s and of ranks. */
const elementwise = (): KindTable => ({
  valid: [
    ok({}, [null, 3], [null, 3]),
    ok({}, [null, 2, 3], [null, 2, 3], [null, 2, 3]),
    ok({}, [null, 4, 3], [null, 1, 3]),
    ok({}, [null, 4, 3], [null, 3]),
    ok({}, [null, 4, 1], [null, 3]),
    ok({}, [null, 2, 2, 2], [null, 2, 2, 2]),
  ],
  invalid: [
    bad(
      'sizes that do not broadcast',
      {},
      [
        [null, 4],
        [null, 3],
      ],
      /Operands could not be broadcast/,
      'shape/broadcast',
    ),
    bad(
      'a third input that does not broadcast',
      {},
      [
        [null, 2, 3],
        [null, 2, 3],
        [null, 2, 4],
      ],
      /Operands could not be broadcast/,
      'shape/broadcast',
    ),
  ],
});

export const MERGE_NORM: Readonly<Record<string, KindTable>> = {
  BatchNormalization: {
    valid: [ok({}, [null, 4]), ok({ momentum: 0.9, epsilon: 0.01 }, [null, 3, 5]), ok({ center: false }, [null, 4, 4, 3]), ok({ scale: false }, [null, 2, 6])],
    invalid: [bad('a rank-5 input (tfjs normalizes up to rank 4)', {}, [[null, 2, 2, 2, 2]], { run: /not implemented for array of rank 5/ }, 'shape/rank')],
  },
  LayerNormalization: {
    valid: [ok({}, [null, 4]), ok({ axis: 1 }, [null, 3, 5]), ok({ axis: -2 }, [null, 2, 3, 4]), ok({ center: false, epsilon: 0.1 }, [null, 6])],
    invalid: [
      bad('an axis past the rank', { axis: 3 }, [[null, 4]], /Invalid axis: 3/, 'shape/bad-axis'),
      bad('the batch axis', { axis: 0 }, [[null, 4]], /./, 'shape/bad-axis'),
      bad('a rank-5 input (tfjs normalizes up to rank 4)', {}, [[null, 2, 2, 2, 2]], { run: /not implemented for array of rank 5/ }, 'shape/rank'),
    ],
  },
  Concatenate: {
    valid: [
      ok({ axis: -1 }, [null, 3], [null, 4]),
      ok({ axis: -1 }, [null, 2, 3], [null, 2, 4], [null, 2, 1]),
      ok({ axis: 1 }, [null, 2, 3], [null, 5, 3]),
      ok({ axis: 1 }, [null, 1], [null, 2], [null, 3]),
      ok({ axis: 3 }, [null, 4, 4, 3], [null, 4, 4, 5]),
      ok({ axis: 2 }, [null, 2, 6], [null, 2, 3]),
    ],
    invalid: [
      bad(
        'mismatched non-axis sizes',
        { axis: -1 },
        [
          [null, 3, 4],
          [null, 5, 4],
        ],
        /matching shapes except for the concat axis/,
        'shape/concat-mismatch',
      ),
      bad(
        '3 inputs, the third mismatched',
        { axis: 1 },
        [
          [null, 2, 3],
          [null, 2, 3],
          [null, 2, 4],
        ],
        /matching shapes except for the concat axis/,
        'shape/concat-mismatch',
      ),
      bad(
        'different ranks',
        { axis: -1 },
        [
          [null, 3],
          [null, 2, 3],
        ],
        /matching shapes except for the concat axis/,
        'shape/concat-mismatch',
      ),
      bad(
        'the batch axis',
        { axis: 0 },
        [
          [null, 3],
          [null, 3],
        ],
        [null, 3],
        'shape/bad-axis',
      ),
      bad(
        'an axis past the rank',
        { axis: 3 },
        [
          [null, 3, 2],
          [null, 3, 2],
        ],
        [null, 3, 2, null],
        'shape/bad-axis',
      ),
      bad(
        "axis -2 (tfjs declares Keras's shape but runs it on axis -1)",
        { axis: -2 },
        [
          [null, 2, 6],
          [null, 3, 6],
        ],
        [null, 5, 6],
        'shape/bad-axis',
      ),
    ],
  },
  Add: elementwise(),
  Multiply: elementwise(),
  Average: elementwise(),
  Maximum: elementwise(),
  Minimum: elementwise(),
  Dot: {
    valid: [
      ok({ axes: [1, 1] }, [null, 4], [null, 4]),
      ok({ axes: [2, 2] }, [null, 5, 3], [null, 4, 3]),
      ok({ axes: [1, 2] }, [null, 3], [null, 4, 3]),
      ok({ axes: [2, 1] }, [null, 4, 3], [null, 3]),
      ok({ axes: [1, 1], normalize: true }, [null, 4, 3], [null, 4, 5]),
      ok({ axes: [2, 1] }, [null, 4, 3], [null, 3, 5]),
    ],
    invalid: [
      bad(
        'axes of different sizes',
        { axes: [1, 1] },
        [
          [null, 4],
          [null, 3],
        ],
        /Dimension incompatibility: 4 !== 3/,
        'shape/dot-mismatch',
      ),
      bad(
        'a rank-4 input',
        { axes: [3, 3] },
        [
          [null, 2, 2, 3],
          [null, 2, 2, 3],
        ],
        /does not support tensors of 4D or higher rank/,
        'shape/rank',
      ),
      bad(
        'an axis past the rank',
        { axes: [2, 1] },
        [
          [null, 4],
          [null, 4],
        ],
        /Dimension incompatibility/,
        'shape/bad-axis',
      ),
    ],
  },
};
