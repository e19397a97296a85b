/** Activation layers, regularization and preprocessing. */
import { bad, ok, type KindTable } from './types';

/** The same table for the rate-based noise layers. */
const rate = (): KindTable => ({
  valid: [ok({ rate: 0.5 }, [null, 4]), ok({ rate: 0 }, [null, 3, 2]), ok({ rate: 0.1 }, [null, 2, 2, 3])],
  invalid: [bad('rate 1 (Keras refuses; tfjs builds it)', { rate: 1 }, [[null, 4]], [null, 4], 'param/invalid')],
});

export const ACTIVATION: Readonly<Record<string, KindTable>> = {
  ReLU: {
    valid: [ok({}, [null, 4]), ok({ max_value: 6 }, [null, 3, 2]), ok({ max_value: 0.5 }, [null, 2, 2, 2])],
    invalid: [bad('a negative max_value (Keras refuses; tfjs builds it)', { max_value: -1 }, [[null, 4]], [null, 4], 'param/invalid')],
  },
  LeakyReLU: {
    valid: [ok({}, [null, 4]), ok({ negative_slope: 0.01 }, [null, 3, 2]), ok({ negative_slope: 0 }, [null, 2, 2, 2])],
    invalid: [bad('a negative slope (Keras refuses; tfjs builds it)', { negative_slope: -0.1 }, [[null, 4]], [null, 4], 'param/invalid')],
  },
  PReLU: {
    valid: [ok({}, [null, 4]), ok({ shared_axes: [1, 2] }, [null, 3, 4, 2]), ok({ shared_axes: [1] }, [null, 3, 2]), ok({ shared_axes: [2] }, [null, 3, 2])],
    invalid: [
      bad(
        'a shared axis past the rank (tfjs makes alpha [4, , 1])',
        { shared_axes: [3] },
        [[null, 4]],
        { declared: [null, 4], ran: [4, 1, 4] },
        'shape/bad-axis',
      ),
      bad('a repeated shared axis', { shared_axes: [1, 1] }, [[null, 3, 4]], [null, 3, 4], 'param/invalid'),
    ],
  },
  ELU: {
    valid: [ok({}, [null, 4]), ok({}, [null, 3, 2]), ok({ alpha: 1 }, [null, 2, 2, 2])],
    invalid: [bad('alpha other than 1', { alpha: 0.5 }, [[null, 4]], /Non-default alpha value \(0.5\) is not supported/, 'param/invalid')],
  },
  Softmax: {
    valid: [ok({}, [null, 4]), ok({ axis: -1 }, [null, 3, 4]), ok({ axis: 2 }, [null, 3, 4])],
    invalid: [
      bad('softmax along a middle axis', { axis: 1 }, [[null, 3, 4]], { run: /Softmax along a non-last dimension is not yet supported/ }, 'shape/bad-axis'),
      bad('softmax along the batch axis', { axis: 0 }, [[null, 4]], { run: /Softmax along a non-last dimension is not yet supported/ }, 'shape/bad-axis'),
    ],
  },
  ThresholdedReLU: {
    valid: [ok({}, [null, 4]), ok({ theta: 0 }, [null, 3, 2]), ok({ theta: 2.5 }, [null, 2, 2, 2])],
    invalid: [bad('a negative theta (Keras 2 refuses; tfjs builds it)', { theta: -1 }, [[null, 4]], [null, 4], 'param/invalid')],
  },
  GaussianNoise: {
    valid: [ok({ stddev: 0.1 }, [null, 4]), ok({ stddev: 0 }, [null, 3, 2]), ok({ stddev: 1 }, [null, 2, 2, 2])],
    invalid: [bad('a negative stddev (tfjs builds it)', { stddev: -1 }, [[null, 4]], [null, 4], 'param/invalid')],
  },
  GaussianDropout: rate(),
  AlphaDropout: rate(),
  SpatialDropout1D: {
    valid: [ok({ rate: 0.5 }, [null, 4, 3]), ok({ rate: 0 }, [null, 1, 2]), ok({ rate: 0.2 }, [null, 6, 1])],
    invalid: [bad('a rank-2 input', { rate: 0.5 }, [[null, 4]], /expected ndim=3, found ndim=2/, 'shape/rank')],
  },
  SpatialDropout2D: {
    valid: [ok({ rate: 0.5 }, [null, 4, 4, 3]), ok({ rate: 0 }, [null, 1, 2, 1]), ok({ rate: 0.2 }, [null, 6, 5, 2])],
    invalid: [
      bad('a rank-3 input', { rate: 0.5 }, [[null, 4, 3]], /expected ndim=4, found ndim=3/, 'shape/rank'),
      bad('a rate of 1 (Keras refuses it)', { rate: 1 }, [[null, 4, 4, 3]], /rate must be ≥ 0 and < 1/, 'param/invalid'),
    ],
  },
  SpatialDropout3D: {
    valid: [ok({ rate: 0.5 }, [null, 2, 4, 4, 3]), ok({ rate: 0 }, [null, 1, 1, 2, 1]), ok({ rate: 0.2 }, [null, 3, 6, 5, 2])],
    invalid: [bad('a rank-4 input', { rate: 0.5 }, [[null, 4, 4, 3]], /expected ndim=5, found ndim=4/, 'shape/rank')],
  },
  Rescaling: {
    valid: [ok({}, [null, 4]), ok({ scale: 1 / 127.5, offset: -1 }, [null, 3, 3, 3]), ok({ scale: 2 }, [null, 5, 2])],
    invalid: [bad('no scale (tfjs builds it)', { scale: null }, [[null, 4]], [null, 4], 'param/invalid')],
  },
};
