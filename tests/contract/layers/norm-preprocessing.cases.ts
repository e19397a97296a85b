/**
 * Layerlab's custom layers for GroupNormalization, UnitNormalization, Resizing, CenterCrop, Identity and Subtract
 * (src/runtime/layers/): the tfjs side of each case is the custom class the runtime builds, so the table checks the
 * core's shapes, counts and refusals against the class (and the Keras oracle checks both against Keras 3).
 */
import { bad, ok, type KindTable } from './types';

export const NORM_PREPROCESSING: Readonly<Record<string, KindTable>> = {
  GroupNormalization: {
    valid: [
      ok({ groups: 2 }, [null, 4]),
      ok({ groups: 4 }, [null, 5, 8]),
      ok({ groups: -1, center: false }, [null, 3, 3, 6]),
      ok({ groups: 1, scale: false, epsilon: 0.01 }, [null, 2, 2, 2, 4]),
      ok({}, [null, 3, 64]),
    ],
    invalid: [
      bad('channels the groups do not divide', { groups: 3 }, [[null, 4]], /do not split into 3 equal groups/, 'param/invalid'),
      bad('more groups than channels', { groups: 8 }, [[null, 4]], /cannot be more than the number of channels/, 'param/invalid'),
      bad('0 groups', { groups: 0 }, [[null, 4]], /groups must be a positive whole number or −1/, 'param/invalid'),
    ],
  },
  UnitNormalization: {
    valid: [ok({}, [null, 4]), ok({ axis: [1, 2] }, [null, 3, 4]), ok({ axis: [-2] }, [null, 2, 3, 4]), ok({ axis: [3, 1, 2] }, [null, 2, 2, 3])],
    invalid: [
      bad('an axis past the rank', { axis: [3] }, [[null, 4]], { run: /axis \[3\] is out of range for an input of rank 2/ }, 'shape/bad-axis'),
      bad('the batch axis (the class would normalize across the batch)', { axis: [0] }, [[null, 4]], [null, 4], 'shape/bad-axis'),
      bad('one axis named twice', { axis: [1, -1] }, [[null, 4]], [null, 4], 'shape/bad-axis'),
    ],
  },
  Normalization: {
    valid: [
      ok({}, [null, 4]),
      ok({ axis: 1 }, [null, 3, 4]),
      ok({ axis: -2, invert: true }, [null, 2, 3, 4]),
      ok({}, [null, 5, 5, 3]),
      ok({ axis: null }, [null, 1]),
      ok({ axis: null, invert: true }, [null, 4, 3]),
    ],
    invalid: [
      bad('an axis past the rank', { axis: 3 }, [[null, 4]], /axis 3 is out of range for an input of rank 2/, 'shape/bad-axis'),
      bad('the batch axis', { axis: 0 }, [[null, 4]], /axis 0 is out of range for an input of rank 2/, 'shape/bad-axis'),
    ],
  },
  Resizing: {
    valid: [
      ok({ height: 4, width: 6 }, [null, 8, 8, 3]),
      ok({ height: 5, width: 5, interpolation: 'nearest' }, [null, 3, 7, 2]),
      ok({ height: 4, width: 2, crop_to_aspect_ratio: true }, [null, 6, 6, 1]),
      ok({ height: 8, width: 8 }, [null, 8, 8, 1]),
    ],
    invalid: [
      bad('a rank-3 input', { height: 4, width: 4 }, [[null, 8, 3]], /Resizing expects images of shape \(batch, height, width, channels\)/, 'shape/rank'),
    ],
  },
  CenterCrop: {
    valid: [
      ok({ height: 2, width: 3 }, [null, 4, 5, 3]),
      ok({ height: 4, width: 4 }, [null, 4, 4, 1]),
      ok({ height: 6, width: 4 }, [null, 3, 8, 2]),
      ok({ height: 3, width: 3 }, [null, 2, 2, 1]),
    ],
    invalid: [
      bad(
        'a rank-5 input',
        { height: 2, width: 2 },
        [[null, 2, 4, 4, 3]],
        /CenterCrop expects images of shape \(batch, height, width, channels\)/,
        'shape/rank',
      ),
    ],
  },
  Identity: {
    valid: [ok({}, [null, 4]), ok({}, [null, 2, 3]), ok({}, [null, 2, 2, 2, 2])],
    invalid: [],
    noInvalid: 'Identity takes any single tensor: no parameter and no input shape is wrong for it (a second input is refused when connecting)',
  },
  Subtract: {
    valid: [ok({}, [null, 3], [null, 3]), ok({}, [null, 4, 3], [null, 1, 3]), ok({}, [null, 4, 3], [null, 3]), ok({}, [null, 2, 2, 2], [null, 2, 2, 2])],
    invalid: [
      bad(
        'sizes that do not broadcast',
        {},
        [
          [null, 4],
          [null, 3],
        ],
        /Subtract: inputs of shapes \[4\] and \[3\] cannot be broadcast together/,
        'shape/broadcast',
      ),
    ],
  },
};
