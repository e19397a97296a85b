import { windowPooling } from './shared/pooling';

/**
 * Max pooling over (batch, depth, height, width, channels).
 * Shape (Keras `compute_pooling_output_shape` in keras/src/ops/operation_utils.py, tfjs-layers pooling.ts
 * `Pooling3D.computeOutputShape`): each spatial axis = conv_output_length(n, pool_size, padding, strides),
 * strides defaulting to pool_size; channels kept. No weights.
 */
export const maxPooling3d = windowPooling({ kind: 'MaxPooling3D', rank: 3, mode: 'max', tfjsFactory: 'maxPooling3d' });
