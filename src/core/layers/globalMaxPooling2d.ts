import { globalPooling } from './shared/pooling';

/**
 * Global max pooling: (batch, …, channels) → (batch, channels).
 * Shape (Keras keras/src/layers/pooling/base_global_pooling.py `compute_output_shape`, tfjs-layers
 * pooling.ts `GlobalPooling2D.computeOutputShape`). No weights.
 */
export const globalMaxPooling2d = globalPooling({ kind: 'GlobalMaxPooling2D', rank: 2, mode: 'max', tfjsFactory: 'globalMaxPooling2d' });
