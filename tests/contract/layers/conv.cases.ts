/** Convolution kinds: Conv1D/2D/3D, SeparableConv2D, DepthwiseConv2D, Conv2DTranspose, UpSampling2D, ZeroPadding2D, Cropping2D. */
import { bad, ok, type KindTable } from './types';

export const CONV: Readonly<Record<string, KindTable>> = {
  Conv1D: {
    valid: [
      ok({ filters: 4, kernel_size: [3] }, [null, 10, 2]),
      ok({ filters: 2, kernel_size: [3], strides: [2], padding: 'same', activation: 'relu' }, [null, 9, 3]),
      ok({ filters: 3, kernel_size: [2], dilation_rate: [2] }, [null, 9, 1]),
      ok({ filters: 1, kernel_size: [5], use_bias: false }, [null, 5, 1]),
      // Causal (Layerlab's Conv1D class; tfjs's own declares the 'valid' length and cannot run it): ⌈steps / s⌉.
      ok({ filters: 2, kernel_size: [3], padding: 'causal' }, [null, 6, 2]),
      ok({ filters: 2, kernel_size: [4], strides: [3], padding: 'causal' }, [null, 7, 1]),
      ok({ filters: 2, kernel_size: [3], dilation_rate: [2], padding: 'causal' }, [null, 4, 1]),
    ],
    invalid: [
      bad("kernel larger than the input with 'valid'", { filters: 2, kernel_size: [5] }, [[null, 3, 1]], [null, -1, 2], 'shape/kernel-too-large'),
      bad('Conv1D on an image', { filters: 2, kernel_size: [3] }, [[null, 5, 5, 1]], /expected ndim=3, found ndim=4/, 'shape/rank'),
      bad(
        'strides 2 with dilation_rate 2',
        { filters: 2, kernel_size: [3], strides: [2], dilation_rate: [2] },
        [[null, 9, 1]],
        { run: /Either stride(s)? or dilation(s)? must be 1/ },
        'param/conflict',
      ),
    ],
  },
  Conv2D: {
    valid: [
      ok({ filters: 32, kernel_size: [3, 3], activation: 'relu' }, [null, 28, 28, 1]),
      ok({ filters: 4, kernel_size: [3, 3], strides: [2, 2] }, [null, 9, 9, 3]),
      ok({ filters: 4, kernel_size: [3, 5], strides: [2, 2], padding: 'same' }, [null, 9, 8, 3]),
      ok({ filters: 8, kernel_size: [1, 1], use_bias: false }, [null, 5, 5, 16]),
      ok({ filters: 2, kernel_size: [5, 5] }, [null, 5, 5, 2]),
      ok({ filters: 3, kernel_size: [2, 2], strides: [3, 1], padding: 'same', use_bias: false }, [null, 7, 7, 1]),
      ok({ filters: 2, kernel_size: [3, 3], dilation_rate: [2, 2] }, [null, 9, 9, 1]),
      ok({ filters: 2, kernel_size: [3, 2], dilation_rate: [1, 3], padding: 'same' }, [null, 6, 6, 2]),
    ],
    invalid: [
      bad("kernel larger than the input with 'valid'", { filters: 2, kernel_size: [5, 5] }, [[null, 3, 3, 1]], [null, -1, -1, 2], 'shape/kernel-too-large'),
      bad(
        'kernel 4 / stride 2 on a 3×3 input',
        { filters: 2, kernel_size: [4, 4], strides: [2, 2] },
        [[null, 3, 3, 1]],
        [null, 0, 0, 2],
        'shape/kernel-too-large',
      ),
      bad('Conv2D on a rank-2 input', { filters: 2 }, [[null, 8]], /expected ndim=4, found ndim=2/, 'shape/rank'),
      bad(
        'a dilated kernel wider than the input',
        { filters: 2, kernel_size: [3, 3], dilation_rate: [3, 3] },
        [[null, 5, 5, 1]],
        [null, -1, -1, 2],
        'shape/kernel-too-large',
      ),
      bad(
        'strides 2 with dilation_rate 2',
        { filters: 2, kernel_size: [3, 3], strides: [2, 2], dilation_rate: [2, 2] },
        [[null, 9, 9, 1]],
        { run: /Either strides or dilations must be 1/ },
        'param/conflict',
      ),
    ],
  },
  Conv3D: {
    valid: [
      ok({ filters: 4, kernel_size: [2, 3, 3], strides: [1, 2, 2], padding: 'same' }, [null, 4, 5, 5, 3]),
      ok({ filters: 2, kernel_size: [3, 3, 3] }, [null, 5, 5, 5, 1]),
      ok({ filters: 2, kernel_size: [2, 2, 2], dilation_rate: [2, 2, 2], use_bias: false }, [null, 5, 5, 5, 1]),
    ],
    invalid: [
      bad('Conv3D on an image', { filters: 2 }, [[null, 5, 5, 1]], /expected ndim=5, found ndim=4/, 'shape/rank'),
      bad(
        "kernel larger than the input with 'valid'",
        { filters: 2, kernel_size: [5, 5, 5] },
        [[null, 3, 3, 3, 1]],
        [null, -1, -1, -1, 2],
        'shape/kernel-too-large',
      ),
    ],
  },
  SeparableConv2D: {
    valid: [
      ok({ filters: 4, kernel_size: [3, 3], depth_multiplier: 2 }, [null, 5, 5, 3]),
      ok({ filters: 2, kernel_size: [3, 3], strides: [2, 2], padding: 'same' }, [null, 7, 7, 2]),
      ok({ filters: 2, kernel_size: [3, 3], dilation_rate: [2, 2] }, [null, 9, 9, 1]),
      ok({ filters: 3, kernel_size: [1, 2], use_bias: false, activation: 'relu' }, [null, 4, 4, 2]),
    ],
    invalid: [
      bad('SeparableConv2D on a volume', { filters: 2 }, [[null, 3, 3, 3, 3]], /expected ndim=4, found ndim=5/, 'shape/rank'),
      bad("kernel larger than the input with 'valid'", { filters: 2, kernel_size: [5, 5] }, [[null, 3, 3, 1]], [null, -1, -1, 2], 'shape/kernel-too-large'),
    ],
  },
  DepthwiseConv2D: {
    valid: [
      ok({ kernel_size: [3, 3], depth_multiplier: 2 }, [null, 5, 5, 3]),
      ok({ kernel_size: [2, 2], strides: [2, 2], padding: 'same' }, [null, 7, 7, 1]),
      ok({ kernel_size: [3, 1], use_bias: false, activation: 'relu6' }, [null, 6, 6, 4]),
    ],
    invalid: [
      bad('DepthwiseConv2D on a volume (tfjs builds a 4-D output anyway)', { kernel_size: [2, 2] }, [[null, 3, 3, 3, 3]], [null, 2, 2, 3], 'shape/rank'),
      bad('DepthwiseConv2D on a sequence', { kernel_size: [2, 2] }, [[null, 5, 5]], /should have rank 4/, 'shape/rank'),
      bad("kernel larger than the input with 'valid'", { kernel_size: [5, 5] }, [[null, 3, 3, 1]], [null, -1, -1, 1], 'shape/kernel-too-large'),
    ],
  },
  Conv2DTranspose: {
    valid: [
      ok({ filters: 2, kernel_size: [3, 3], strides: [2, 2] }, [null, 5, 5, 1]),
      ok({ filters: 2, kernel_size: [3, 3], strides: [2, 2], padding: 'same' }, [null, 5, 5, 1]),
      ok({ filters: 3, kernel_size: [2, 2], strides: [3, 3] }, [null, 5, 4, 2]),
      ok({ filters: 1, kernel_size: [4, 4], use_bias: false }, [null, 3, 3, 2]),
    ],
    invalid: [bad('Conv2DTranspose on a sequence', { filters: 2 }, [[null, 5, 5]], /expected ndim=4, found ndim=3/, 'shape/rank')],
  },
  UpSampling2D: {
    valid: [ok({}, [null, 3, 4, 2]), ok({ size: [1, 3], interpolation: 'bilinear' }, [null, 3, 3, 1]), ok({ size: [2, 2] }, [null, 1, 1, 5])],
    invalid: [bad('UpSampling2D on a sequence', {}, [[null, 3, 3]], /expected ndim=4, found ndim=3/, 'shape/rank')],
  },
  ZeroPadding2D: {
    valid: [ok({}, [null, 3, 3, 1]), ok({ padding: [1, 2, 0, 3] }, [null, 4, 4, 2]), ok({ padding: [0, 0, 0, 0] }, [null, 2, 5, 3])],
    invalid: [bad('ZeroPadding2D on a sequence', {}, [[null, 3, 3]], /expected ndim=4, found ndim=3/, 'shape/rank')],
  },
  Cropping2D: {
    valid: [ok({}, [null, 3, 3, 1]), ok({ cropping: [1, 2, 0, 1] }, [null, 5, 5, 1]), ok({ cropping: [1, 1, 1, 1] }, [null, 4, 6, 3])],
    invalid: [
      bad('a crop that leaves no rows', { cropping: [2, 2, 1, 1] }, [[null, 4, 4, 1]], [null, 0, 2, 1], 'shape/too-small'),
      bad('Cropping2D on a sequence', { cropping: [1, 1, 1, 1] }, [[null, 3, 3]], /expected ndim=4, found ndim=3/, 'shape/rank'),
    ],
  },
};
