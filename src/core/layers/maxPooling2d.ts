import { windowPooling } from './shared/pooling';

/**
 * Max pooling over (batch, height, width, channels).
 * Shape (Keras `compute_pooling_output_shape`, tfjs-layers pooling.ts `Pooling2D.computeOutputShape`):
 *   h' = conv_output_length(h, ph, padding, sh) with strides defaulting to pool_size; channels kept.
 * No weights.
 */
export const maxPooling2d = windowPooling({ kind: 'MaxPooling2D', rank: 2, mode: 'max', tfjsFactory: 'maxPooling2d' });
