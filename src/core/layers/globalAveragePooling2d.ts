import { globalPooling } from './shared/pooling';

/**
 * Global average pooling: (batch, …, channels) → (batch, channels).
 * Shape (Keras keras/src/layers/pooling/base_global_pooling.py `compute_output_shape`, tfjs-layers
 * pooling.ts `GlobalPooling2D.computeOutputShape`). No weights.
 */
export const globalAveragePooling2d = globalPooling({ kind: 'GlobalAveragePooling2D', rank: 2, mode: 'average', tfjsFactory: 'globalAveragePooling2d' });
