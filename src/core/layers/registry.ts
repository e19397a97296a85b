/**
 * Every layer kind Layerlab offers, one file each. Adding a kind = one file + one line here.
 * Kinds tfjs 4.22 cannot build (or builds wrongly) are left out; the palette's note names them.
 */
import type { LayerDef } from './define';
import type { Params } from '../graph/types';
import { input } from './input';
import { dense } from './dense';
import { multiHeadAttention } from './multiHeadAttention';
import { attention } from './attention';
import { additiveAttention } from './additiveAttention';
import { activation } from './activation';
import { dropout } from './dropout';
import { flatten } from './flatten';
import { reshape } from './reshape';
import { permute } from './permute';
import { repeatVector } from './repeatVector';
import { embedding } from './embedding';
import { masking } from './masking';
import { conv1d } from './conv1d';
import { conv2d } from './conv2d';
import { conv3d } from './conv3d';
import { separableConv2d } from './separableConv2d';
import { depthwiseConv2d } from './depthwiseConv2d';
import { conv2dTranspose } from './conv2dTranspose';
import { conv1dTranspose } from './conv1dTranspose';
import { upSampling2d } from './upSampling2d';
import { zeroPadding2d } from './zeroPadding2d';
import { cropping2d } from './cropping2d';
import { upSampling1d } from './upSampling1d';
import { upSampling3d } from './upSampling3d';
import { zeroPadding1d } from './zeroPadding1d';
import { zeroPadding3d } from './zeroPadding3d';
import { cropping1d } from './cropping1d';
import { cropping3d } from './cropping3d';
import { maxPooling1d } from './maxPooling1d';
import { maxPooling2d } from './maxPooling2d';
import { maxPooling3d } from './maxPooling3d';
import { averagePooling1d } from './averagePooling1d';
import { averagePooling2d } from './averagePooling2d';
import { averagePooling3d } from './averagePooling3d';
import { globalMaxPooling1d } from './globalMaxPooling1d';
import { globalMaxPooling2d } from './globalMaxPooling2d';
import { globalAveragePooling1d } from './globalAveragePooling1d';
import { globalAveragePooling2d } from './globalAveragePooling2d';
import { globalMaxPooling3d } from './globalMaxPooling3d';
import { globalAveragePooling3d } from './globalAveragePooling3d';
import { batchNormalization } from './batchNormalization';
import { layerNormalization } from './layerNormalization';
import { concatenate } from './concatenate';
import { add } from './add';
import { multiply } from './multiply';
import { average } from './average';
import { maximum } from './maximum';
import { minimum } from './minimum';
import { dot } from './dot';
import { simpleRnn } from './simpleRnn';
import { lstm } from './lstm';
import { gru } from './gru';
import { bidirectional } from './bidirectional';
import { timeDistributed } from './timeDistributed';
import { reLU } from './reLU';
import { leakyReLU } from './leakyReLU';
import { pReLU } from './pReLU';
import { eLU } from './eLU';
import { softmax } from './softmax';
import { thresholdedReLU } from './thresholdedReLU';
import { gaussianNoise } from './gaussianNoise';
import { gaussianDropout } from './gaussianDropout';
import { alphaDropout } from './alphaDropout';
import { spatialDropout1d } from './spatialDropout1d';
import { spatialDropout2d } from './spatialDropout2d';
import { spatialDropout3d } from './spatialDropout3d';
import { rescaling } from './rescaling';
import { groupNormalization } from './groupNormalization';
import { unitNormalization } from './unitNormalization';
import { normalization } from './normalization';
import { identity } from './identity';
import { subtract } from './subtract';
import { resizing } from './resizing';
import { centerCrop } from './centerCrop';
import { opaque } from './opaque';

/** In palette order within each category. */
export const LAYER_DEFS: readonly LayerDef[] = [
  input,
  dense,
  activation,
  dropout,
  flatten,
  reshape,
  permute,
  repeatVector,
  embedding,
  multiHeadAttention,
  attention,
  additiveAttention,
  masking,
  identity,
  conv1d,
  conv2d,
  conv3d,
  separableConv2d,
  depthwiseConv2d,
  conv2dTranspose,
  conv1dTranspose,
  upSampling2d,
  upSampling1d,
  upSampling3d,
  zeroPadding2d,
  zeroPadding1d,
  zeroPadding3d,
  cropping2d,
  cropping1d,
  cropping3d,
  maxPooling1d,
  maxPooling2d,
  maxPooling3d,
  averagePooling1d,
  averagePooling2d,
  averagePooling3d,
  globalMaxPooling1d,
  globalMaxPooling2d,
  globalMaxPooling3d,
  globalAveragePooling1d,
  globalAveragePooling2d,
  globalAveragePooling3d,
  batchNormalization,
  layerNormalization,
  groupNormalization,
  unitNormalization,
  concatenate,
  add,
  subtract,
  multiply,
  average,
  maximum,
  minimum,
  dot,
  simpleRnn,
  lstm,
  gru,
  bidirectional,
  timeDistributed,
  reLU,
  leakyReLU,
  pReLU,
  eLU,
  softmax,
  thresholdedReLU,
  gaussianNoise,
  gaussianDropout,
  alphaDropout,
  spatialDropout1d,
  spatialDropout2d,
  spatialDropout3d,
  rescaling,
  normalization,
  resizing,
  centerCrop,
];

/**
 * Kinds the importer makes but the palette never offers (and tests that go through every offered kind leave
 * out): Opaque, a layer of a file Layerlab cannot run (opaque.ts).
 */
export const IMPORT_ONLY_DEFS: readonly LayerDef[] = [opaque];

const byKind = new Map([...LAYER_DEFS, ...IMPORT_ONLY_DEFS].map((d) => [d.kind, d]));

/** The definition of a layer kind, or undefined for an unknown kind. */
export const layerDef = (kind: string): LayerDef | undefined => byKind.get(kind);

/** The Keras class of a node: its definition's `classOf` (an opaque node's file class) or `kerasClass`; the kind when unknown. */
export function kerasClassOf(node: { readonly kind: string; readonly params: Params }): string {
  const def = byKind.get(node.kind);
  return def ? (def.classOf?.(node.params) ?? def.kerasClass) : node.kind;
}

/**
 * True when a node is built from Layerlab's custom tfjs class rather than tfjs's own: its kind has no tfjs class
 * (`LayerDef.customLayer`) or tfjs cannot run these parameter values (`LayerDef.customWhen`: Conv1D causal).
 * False for an unknown kind.
 */
export function usesCustomLayer(node: { readonly kind: string; readonly params: Params }): boolean {
  const def = byKind.get(node.kind);
  return !!def && (!!def.customLayer || !!def.customWhen?.(node.params));
}

/**
 * The names of a node's output tensors, first the main one: `['output', 'state_h', 'state_c']` for an LSTM with
 * return_state (`LayerDef.multiOutput`), `['output']` for every layer with one output, an unknown kind, or
 * parameters its definition cannot read. Edge `output` k reads the k-th.
 */
export function outputNamesOf(node: { readonly kind: string; readonly params: Params }): readonly string[] {
  const m = byKind.get(node.kind)?.multiOutput;
  if (!m) return ONE_OUTPUT;
  try {
    const names = m.names(node.params);
    return names.length ? names : ONE_OUTPUT;
  } catch {
    return ONE_OUTPUT;
  }
}
const ONE_OUTPUT: readonly string[] = Object.freeze(['output']);

/** Categories in palette order. */
export const CATEGORIES = [
  'Input',
  'Core',
  'Convolution',
  'Pooling',
  'Normalization',
  'Merge',
  'Recurrent',
  'Activation',
  'Regularization',
  'Preprocessing',
] as const;
