import { globalPooling } from './shared/pooling';

/**
 * Global max pooling of a volume: (batch, d, h, w, c) → (batch, c), or (batch, 1, 1, 1, c) with keepdims.
 * Shape (Keras keras/src/layers/pooling/base_global_pooling.py `compute_output_shape`; `call` in
 * global_max_pooling3d.py is `ops.max(x, axis=[1, 2, 3], keepdims)`). InputSpec ndim=5. No weights.
 * tfjs 4.22 has no such layer: Layerlab's runtime defines it (runtime/layers/spatial.ts).
 */
export const globalMaxPooling3d = globalPooling({
  kind: 'GlobalMaxPooling3D',
  rank: 3,
  mode: 'max',
  tfjsFactory: 'globalMaxPooling3d',
  keepdims: true,
  customLayer: true,
});
