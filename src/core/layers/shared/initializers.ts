/**
 * Keras initializers as Keras's `get_config()` writes them (keras/src/initializers/*.py), for the kinds'
 * `keras.initializers` (LayerDef): the export writes them out because tfjs's defaults differ from Keras's
 * (tfjs-layers initializers.ts: a Dense kernel defaults to glorotNormal there, glorot_uniform in Keras).
 */
import type { KerasInitializer } from '../define';

export const GLOROT_UNIFORM: KerasInitializer = { class_name: 'GlorotUniform', config: { seed: null } };
export const ORTHOGONAL: KerasInitializer = { class_name: 'Orthogonal', config: { gain: 1, seed: null } };
export const ZEROS: KerasInitializer = { class_name: 'Zeros', config: {} };
export const ONES: KerasInitializer = { class_name: 'Ones', config: {} };
export const RANDOM_UNIFORM: KerasInitializer = { class_name: 'RandomUniform', config: { minval: -0.05, maxval: 0.05, seed: null } };
