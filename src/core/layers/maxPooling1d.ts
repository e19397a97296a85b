import { windowPooling } from './shared/pooling';

/**
 * Max pooling over (batch, steps, channels).
 * Shape (Keras `compute_pooling_output_shape` in keras/src/ops/operation_utils.py, tfjs-layers pooling.ts
 * `Pooling1D.computeOutputShape`): each spatial axis = conv_output_length(n, pool_size, padding, strides),
 * strides defaulting to pool_size; channels kept. No weights.
 */
export const maxPooling1d = windowPooling({ kind: 'MaxPooling1D', rank: 1, mode: 'max', tfjsFactory: 'maxPooling1d' });
