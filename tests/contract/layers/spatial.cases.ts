/**
 * The 1-D and 3-D spatial kinds tfjs 4.22 lacks, built by Layerlab's custom layers (src/runtime/layers/spatial.ts,
 * conv1dTranspose.ts): Cropping1D/3D, ZeroPadding1D/3D, UpSampling1D/3D, GlobalAveragePooling3D,
 * GlobalMaxPooling3D, Conv1DTranspose. Output lengths as Keras 3 computes them (the Keras oracle checks the same
 * graphs in Keras); the invalid cases record what the custom class does.
 */
import { bad, ok, type KindTable } from './types';

export const SPATIAL: Readonly<Record<string, KindTable>> = {
  Cropping1D: {
    valid: [ok({}, [null, 5, 2]), ok({ cropping: [0, 2] }, [null, 4, 3]), ok({ cropping: [1, 0] }, [null, 2, 1]), ok({}, [null, 3, 4])],
    invalid: [
      bad('a crop that leaves no steps', { cropping: [2, 2] }, [[null, 4, 2]], /leaves nothing/, 'shape/too-small'),
      bad('Cropping1D on an image', {}, [[null, 4, 4, 1]], /expected ndim=3, found ndim=4/, 'shape/rank'),
    ],
  },
  Cropping3D: {
    valid: [ok({}, [null, 3, 4, 5, 2]), ok({ cropping: [0, 1, 1, 0, 2, 2] }, [null, 2, 3, 5, 1]), ok({ cropping: [0, 0, 0, 0, 0, 0] }, [null, 1, 1, 1, 3])],
    invalid: [
      bad('a crop that leaves no width', { cropping: [0, 0, 0, 0, 1, 1] }, [[null, 3, 3, 2, 1]], /leaves nothing/, 'shape/too-small'),
      bad('Cropping3D on an image', {}, [[null, 4, 4, 1]], /expected ndim=5, found ndim=4/, 'shape/rank'),
    ],
  },
  ZeroPadding1D: {
    valid: [ok({}, [null, 3, 2]), ok({ padding: [0, 2] }, [null, 1, 3]), ok({ padding: [3, 1] }, [null, 4, 1])],
    invalid: [bad('ZeroPadding1D on an image', {}, [[null, 3, 3, 1]], /expected ndim=3, found ndim=4/, 'shape/rank')],
  },
  ZeroPadding3D: {
    valid: [ok({}, [null, 2, 2, 2, 1]), ok({ padding: [0, 1, 2, 0, 1, 1] }, [null, 1, 2, 3, 2]), ok({ padding: [0, 0, 0, 0, 0, 0] }, [null, 2, 3, 1, 1])],
    invalid: [bad('ZeroPadding3D on a sequence', {}, [[null, 3, 3]], /expected ndim=5, found ndim=3/, 'shape/rank')],
  },
  UpSampling1D: {
    valid: [ok({}, [null, 3, 2]), ok({ size: 3 }, [null, 2, 1]), ok({ size: 1 }, [null, 4, 3]), ok({}, [null, 1, 5])],
    invalid: [bad('UpSampling1D on an image', {}, [[null, 3, 3, 1]], /expected ndim=3, found ndim=4/, 'shape/rank')],
  },
  UpSampling3D: {
    valid: [ok({}, [null, 1, 2, 3, 2]), ok({ size: [1, 2, 3] }, [null, 2, 2, 2, 1]), ok({ size: [3, 1, 1] }, [null, 2, 1, 1, 3])],
    invalid: [bad('UpSampling3D on an image', {}, [[null, 3, 3, 1]], /expected ndim=5, found ndim=4/, 'shape/rank')],
  },
  GlobalAveragePooling3D: {
    valid: [ok({}, [null, 2, 3, 4, 5]), ok({ keepdims: true }, [null, 2, 2, 2, 3]), ok({}, [null, 1, 1, 1, 1])],
    invalid: [bad('GlobalAveragePooling3D on an image', {}, [[null, 3, 3, 1]], /expected ndim=5, found ndim=4/, 'shape/rank')],
  },
  GlobalMaxPooling3D: {
    valid: [ok({}, [null, 2, 3, 4, 5]), ok({ keepdims: true }, [null, 2, 2, 2, 3]), ok({}, [null, 1, 1, 1, 1])],
    invalid: [bad('GlobalMaxPooling3D on a sequence', {}, [[null, 3, 3]], /expected ndim=5, found ndim=3/, 'shape/rank')],
  },
  Conv1DTranspose: {
    valid: [
      ok({ filters: 2, kernel_size: [3], strides: [2] }, [null, 5, 1]),
      ok({ filters: 3, kernel_size: [3], strides: [2], padding: 'same' }, [null, 5, 2]),
      ok({ filters: 2, kernel_size: [2], strides: [3] }, [null, 4, 2]),
      ok({ filters: 1, kernel_size: [4], use_bias: false }, [null, 3, 2]),
      ok({ filters: 2, kernel_size: [3], strides: [2], output_padding: [1] }, [null, 4, 1]),
      ok({ filters: 2, kernel_size: [4], strides: [2], padding: 'same', output_padding: [0] }, [null, 4, 3]),
      ok({ filters: 2, kernel_size: [3], dilation_rate: [2], activation: 'relu' }, [null, 5, 2]),
    ],
    invalid: [
      bad(
        'output_padding not below strides',
        { filters: 2, kernel_size: [3], strides: [2], output_padding: [2] },
        [[null, 4, 1]],
        /outputPadding must be < strides/,
        'param/conflict',
      ),
      bad(
        'strides 2 with dilation_rate 2',
        { filters: 2, kernel_size: [3], strides: [2], dilation_rate: [2] },
        [[null, 4, 1]],
        /strides > 1 cannot be combined with dilationRate > 1/,
        'param/conflict',
      ),
      bad(
        "an empty output ('same', even kernel, output_padding 0, one step)",
        { filters: 1, kernel_size: [2], padding: 'same', output_padding: [0] },
        [[null, 1, 1]],
        [null, 0, 1],
        'shape/too-small',
      ),
      bad('Conv1DTranspose on an image', { filters: 2 }, [[null, 4, 4, 1]], /expects an input of rank 3/, 'shape/rank'),
    ],
  },
};
