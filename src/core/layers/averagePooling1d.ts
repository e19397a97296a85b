import { windowPooling } from './shared/pooling';

/**
 * Average pooling over (batch, steps, channels).
 * Shape (Keras `compute_pooling_output_shape` in keras/src/ops/operation_utils.py, tfjs-layers pooling.ts
 * `Pooling1D.computeOutputShape`): each spatial axis = conv_output_length(n, pool_size, padding, strides),
 * strides defaulting to pool_size; channels kept. No weights.
 */
export const averagePooling1d = windowPooling({ kind: 'AveragePooling1D', rank: 1, mode: 'average', tfjsFactory: 'averagePooling1d' });
