import { globalPooling } from './shared/pooling';

/**
 * Global max pooling: (batch, …, channels) → (batch, channels).
 * Shape (Keras keras/src/layers/pooling/base_global_pooling.py `compute_output_shape`, tfjs-layers
 * pooling.ts `GlobalPooling1D.computeOutputShape`). No weights.
 */
export const globalMaxPooling1d = globalPooling({ kind: 'GlobalMaxPooling1D', rank: 1, mode: 'max', tfjsFactory: 'globalMaxPooling1d' });
