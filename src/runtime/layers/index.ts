/**
 * Layerlab's tfjs custom layers: the Keras layers tfjs 4.22 lacks (core `LayerDef.customLayer`) or cannot run with
 * some arguments (`LayerDef.customWhen`: Conv1D causal, GRU reset_after), by factory
 * name, as `tf.layers` lists its own. Importing this module registers every class for tfjs serialization
 * (so `tf.models.modelFromJSON` and `model.save` know them). Imports tfjs: runtime only (the worker, Node tests).
 */
import type * as tf from '@tensorflow/tfjs';
import { spatialDropout2d, spatialDropout3d } from './spatialDropout';
import { groupNormalization } from './groupNormalization';
import { unitNormalization } from './unitNormalization';
import { normalization } from './normalization';
import { identity } from './identity';
import { subtract } from './subtract';
import { centerCrop, resizing } from './resizing';
import { cropping1d, cropping3d, globalAveragePooling3d, globalMaxPooling3d, upSampling1d, upSampling3d, zeroPadding1d, zeroPadding3d } from './spatial';
import { conv1dTranspose } from './conv1dTranspose';
import { conv1d } from './conv1d';
import { gru } from './gru';
import { multiHeadAttention } from './multiHeadAttention';
import { additiveAttention, attention } from './attention';

/** A custom layer's factory: its Keras arguments in tfjs's camelCase, as `tf.layers.<factory>(args)` takes them. */
export type CustomLayerFactory = (args: never) => tf.layers.Layer;

/** Every custom layer factory by the name core definitions give in `tfjsFactory`. */
export const CUSTOM_LAYERS: Readonly<Record<string, CustomLayerFactory>> = {
  spatialDropout2d,
  spatialDropout3d,
  groupNormalization,
  unitNormalization,
  normalization,
  identity,
  subtract,
  resizing,
  centerCrop,
  cropping1d,
  cropping3d,
  zeroPadding1d,
  zeroPadding3d,
  upSampling1d,
  upSampling3d,
  globalAveragePooling3d,
  globalMaxPooling3d,
  conv1dTranspose,
  conv1d,
  gru,
  multiHeadAttention,
  attention,
  additiveAttention,
};
