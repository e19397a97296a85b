import { globalPooling } from './shared/pooling';

/**
 * Global average pooling: (batch, …, channels) → (batch, channels).
 * Shape (Keras keras/src/layers/pooling/base_global_pooling.py `compute_output_shape`, tfjs-layers
 * pooling.ts `GlobalPooling1D.computeOutputShape`). No weights.
 */
export const globalAveragePooling1d = globalPooling({ kind: 'GlobalAveragePooling1D', rank: 1, mode: 'average', tfjsFactory: 'globalAveragePooling1d' });
