/** Pooling kinds: Max/AveragePooling1D/2D/3D, GlobalMax/AveragePooling1D/2D. */
import type { Shape } from '../../../src/core';
import { bad, ok, type KindTable } from './types';

/** The same table for the max and the average variant of a rank-`r` window pooling. */
function windowPooling(r: 1 | 2 | 3): KindTable {
  const x = (n: number, c: number): Shape => [null, ...Array(r).fill(n), c];
  const t = (v: number) => Array(r).fill(v);
  const wrongRank: Shape = r === 2 ? [null, 8, 8] : [null, 4, 4, 4];
  return {
    valid: [
      ok({ pool_size: t(2) }, x(8, 3)),
      ok({ pool_size: t(3), strides: t(2) }, x(9, 1)),
      ok({ pool_size: t(2), padding: 'same' }, x(7, 2)),
      ok({ pool_size: t(2), strides: t(1) }, x(5, 4)),
      ok({ pool_size: [3, ...t(2).slice(1)], padding: 'same' }, x(5, 1)),
    ],
    invalid: [
      bad("pool larger than the input with 'valid'", { pool_size: t(5) }, [x(3, 1)], x(0, 1), 'shape/window-too-large'),
      bad(
        `a rank-${wrongRank.length} input`,
        { pool_size: t(2) },
        [wrongRank],
        new RegExp(`expected ndim=${r + 2}, found ndim=${wrongRank.length}`),
        'shape/rank',
      ),
    ],
  };
}

/** The same table for the max and the average variant of a global pooling. */
function globalPooling(r: 1 | 2): KindTable {
  const wrongRank: Shape = r === 1 ? [null, 4, 4, 2] : [null, 4, 2];
  return {
    valid:
      r === 1
        ? [ok({}, [null, 5, 3]), ok({}, [null, 1, 7]), ok({}, [null, 10, 1])]
        : [ok({}, [null, 5, 5, 3]), ok({}, [null, 1, 2, 7]), ok({}, [null, 4, 3, 1])],
    invalid: [bad(`a rank-${wrongRank.length} input`, {}, [wrongRank], new RegExp(`expected ndim=${r + 2}, found ndim=${wrongRank.length}`), 'shape/rank')],
  };
}

export const POOLING: Readonly<Record<string, KindTable>> = {
  MaxPooling1D: windowPooling(1),
  MaxPooling2D: windowPooling(2),
  MaxPooling3D: windowPooling(3),
  AveragePooling1D: windowPooling(1),
  AveragePooling2D: windowPooling(2),
  AveragePooling3D: windowPooling(3),
  GlobalMaxPooling1D: globalPooling(1),
  GlobalMaxPooling2D: globalPooling(2),
  GlobalAveragePooling1D: globalPooling(1),
  GlobalAveragePooling2D: globalPooling(2),
};
