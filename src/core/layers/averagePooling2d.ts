import { windowPooling } from './shared/pooling';

/**
 * Average pooling over (batch, height, width, channels).
 * Shape (Keras `compute_pooling_output_shape` in keras/src/ops/operation_utils.py, tfjs-layers pooling.ts
 * `Pooling2D.computeOutputShape`): each spatial axis = conv_output_length(n, pool_size, padding, strides),
 * strides defaulting to pool_size; channels kept. No weights.
 */
export const averagePooling2d = windowPooling({ kind: 'AveragePooling2D', rank: 2, mode: 'average', tfjsFactory: 'averagePooling2d' });
