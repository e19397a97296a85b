/**
 * Graphs that use every layer kind of issue #3, for the code generation contract (the generated
 * TypeScript runs against tfjs) and the Python checks. Each trains on tfjs's cpu backend: no dilation,
 * BatchNormalization with center and scale, ThresholdedReLU only where no weights come before it.
 */
import type { Graph } from '../../../src/core';
import { buildGraph } from '../../../src/core/templates/build';

/** A Sequential text model: Embedding, masking, wrapped and stacked recurrent layers, normalization. */
export const textRnn = (): Graph =>
  buildGraph('text_rnn', (b) => {
    let x = b.add('Input', { shape: [8] }, 'tokens');
    x = b.add('Embedding', { input_dim: 20, output_dim: 4, mask_zero: true }, 'embed', [x]);
    x = b.add('Bidirectional', { layer: 'GRU', units: 3, return_sequences: true, merge_mode: 'sum' }, 'bi_gru', [x]);
    x = b.add('TimeDistributed', { layer: 'Dense', units: 2, activation: 'tanh' }, 'per_step', [x]);
    x = b.add('Bidirectional', { layer: 'LSTM', units: 2, return_sequences: true }, 'bi_lstm', [x]);
    x = b.add('SimpleRNN', { units: 3, return_sequences: true, go_backwards: true }, 'rnn', [x]);
    x = b.add('GRU', { units: 3, return_sequences: true, dropout: 0.1 }, 'gru', [x]);
    x = b.add('LSTM', { units: 4, recurrent_activation: 'hard_sigmoid' }, 'lstm', [x]);
    x = b.add('BatchNormalization', { momentum: 0.9 }, 'bn', [x]);
    x = b.add('LayerNormalization', {}, 'ln', [x]);
    b.add('Dense', { units: 3, activation: 'softmax' }, 'label', [x]);
  });

/**
 * A text model with GRUs at Keras 3's default reset_after=True (Layerlab's GRU class, src/runtime/layers/gru.ts):
 * masked, wrapped in Bidirectional and stacked, with dropout.
 */
export const gruResetAfter = (): Graph =>
  buildGraph('gru_reset_after', (b) => {
    let x = b.add('Input', { shape: [7] }, 'tokens');
    x = b.add('Embedding', { input_dim: 20, output_dim: 4, mask_zero: true }, 'embed', [x]);
    x = b.add('Bidirectional', { layer: 'GRU', units: 3, reset_after: true, return_sequences: true }, 'bi_gru', [x]);
    x = b.add('GRU', { units: 4, reset_after: true, dropout: 0.1, recurrent_dropout: 0.1 }, 'gru', [x]);
    b.add('Dense', { units: 3, activation: 'softmax' }, 'label', [x]);
  });

/** A Functional image model: preprocessing, every 2-D convolution kind, activations, element-wise merges, pooling. */
export const imageBlocks = (): Graph =>
  buildGraph('image_blocks', (b) => {
    let x = b.add('Input', { shape: [8, 8, 3] }, 'image');
    x = b.add('ThresholdedReLU', { theta: 0.1 }, 'thresh', [x]);
    x = b.add('Rescaling', { scale: 2, offset: -1 }, 'rescale', [x]);
    x = b.add('Conv2D', { filters: 4, kernel_size: [3, 3], padding: 'same' }, 'conv', [x]);
    x = b.add('ReLU', { max_value: 6 }, 'relu6', [x]);
    const sep = b.add('SeparableConv2D', { filters: 4, kernel_size: [3, 3], padding: 'same', depth_multiplier: 2 }, 'sep', [x]);
    let dw = b.add('DepthwiseConv2D', { kernel_size: [3, 3], padding: 'same' }, 'dw', [x]);
    dw = b.add('PReLU', { shared_axes: [1, 2] }, 'prelu', [dw]);
    const sum = b.add('Add', {}, 'sum', [sep, dw, x]);
    const prod = b.add('Multiply', {}, 'prod', [sum, b.add('LeakyReLU', { negative_slope: 0.1 }, 'leaky', [x])]);
    const avg = b.add('Average', {}, 'avg', [prod, b.add('ELU', {}, 'elu', [sum])]);
    const hi = b.add('Maximum', {}, 'hi', [avg, sum]);
    x = b.add('Minimum', {}, 'lo', [hi, prod]);
    x = b.add('ZeroPadding2D', { padding: [1, 2, 0, 1] }, 'pad', [x]);
    x = b.add('Cropping2D', { cropping: [1, 2, 0, 1] }, 'crop', [x]);
    x = b.add('MaxPooling2D', {}, 'pool', [x]);
    x = b.add('SpatialDropout2D', { rate: 0.25 }, 'sdrop2d', [x]);
    x = b.add('Conv2DTranspose', { filters: 2, kernel_size: [3, 3], strides: [2, 2], padding: 'same' }, 'up_conv', [x]);
    x = b.add('UpSampling2D', { size: [1, 2], interpolation: 'bilinear' }, 'upsample', [x]);
    x = b.add('AveragePooling2D', { pool_size: [2, 2] }, 'avg_pool', [x]);
    const g1 = b.add('GlobalAveragePooling2D', {}, 'gap', [x]);
    const g2 = b.add('GlobalMaxPooling2D', {}, 'gmp', [x]);
    x = b.add('Concatenate', {}, 'pooled', [g1, g2]);
    x = b.add('GaussianNoise', { stddev: 0.1 }, 'noise', [x]);
    x = b.add('Dense', { units: 3 }, 'scores', [x]);
    b.add('Softmax', {}, 'probs', [x]);
  });

/** A Functional sequence model with two inputs: Dot, shapes, 1-D and 3-D convolution and pooling, dropout kinds. */
export const sequenceMix = (): Graph =>
  buildGraph('sequence_mix', (b) => {
    const q = b.add('Input', { shape: [6, 4] }, 'queries');
    const k = b.add('Input', { shape: [6, 4] }, 'keys');
    const vol = b.add('Input', { shape: [4, 4, 4, 1] }, 'volume');
    let att = b.add('Dot', { axes: [2, 2] }, 'scores', [q, k]);
    att = b.add('Softmax', { axis: -1 }, 'weights', [att]);
    att = b.add('Permute', { dims: [2, 1] }, 'transposed', [att]);
    att = b.add('Masking', { mask_value: -1 }, 'mask', [att]);
    let s = b.add('Conv1D', { filters: 4, kernel_size: [3], padding: 'same', activation: 'relu' }, 'conv1d', [att]);
    s = b.add('SpatialDropout1D', { rate: 0.2 }, 'sdrop', [s]);
    s = b.add('MaxPooling1D', { pool_size: [2] }, 'max1d', [s]);
    s = b.add('AveragePooling1D', { pool_size: [1] }, 'avg1d', [s]);
    const s1 = b.add('GlobalMaxPooling1D', {}, 'gmax1d', [s]);
    const s2 = b.add('GlobalAveragePooling1D', {}, 'gavg1d', [s]);
    let v = b.add('Conv3D', { filters: 2, kernel_size: [2, 2, 2], padding: 'same' }, 'conv3d', [vol]);
    v = b.add('SpatialDropout3D', { rate: 0.25 }, 'sdrop3d', [v]);
    v = b.add('MaxPooling3D', {}, 'max3d', [v]);
    v = b.add('AveragePooling3D', { pool_size: [2, 2, 2], padding: 'same' }, 'avg3d', [v]);
    v = b.add('Reshape', { target_shape: [-1] }, 'flat_vol', [v]);
    let x = b.add('Concatenate', {}, 'joined', [s1, s2, v]);
    x = b.add('Activation', { activation: 'selu' }, 'selu', [x]);
    x = b.add('AlphaDropout', { rate: 0.1 }, 'alpha_drop', [x]);
    x = b.add('RepeatVector', { n: 2 }, 'repeat', [x]);
    x = b.add('Reshape', { target_shape: [2, 5, -1] }, 'grid', [x]);
    x = b.add('GaussianDropout', { rate: 0.1 }, 'gdrop', [x]);
    x = b.add('Flatten', {}, 'flat', [x]);
    b.add('Dense', { units: 1, activation: 'sigmoid' }, 'match', [x]);
    b.add('Dense', { units: 2 }, 'offset', [s1]);
  });

/**
 * Layerlab's custom layers of normalization, preprocessing and merging: Resizing (bilinear, and nearest with
 * crop_to_aspect_ratio), CenterCrop (cropping, and resizing a smaller image), GroupNormalization (2 groups, and −1:
 * one per channel), UnitNormalization (one axis and two), Identity, Subtract; Normalization first (7 adapted values).
 */
export const normPreprocessing = (): Graph =>
  buildGraph('norm_preprocessing', (b) => {
    let x = b.add('Input', { shape: [6, 8, 3] }, 'photo');
    x = b.add('Normalization', {}, 'normalize', [x]);
    x = b.add('Resizing', { height: 5, width: 6 }, 'resize', [x]);
    const near = b.add('Resizing', { height: 4, width: 4, interpolation: 'nearest', crop_to_aspect_ratio: true }, 'resize_nearest', [x]);
    let c = b.add('CenterCrop', { height: 4, width: 4 }, 'crop', [x]);
    c = b.add('Conv2D', { filters: 4, kernel_size: [3, 3], padding: 'same' }, 'conv_crop', [c]);
    c = b.add('GroupNormalization', { groups: 2 }, 'group_norm', [c]);
    let n = b.add('Conv2D', { filters: 4, kernel_size: [1, 1] }, 'conv_near', [near]);
    n = b.add('GroupNormalization', { groups: -1, center: false }, 'instance_norm', [n]);
    let d = b.add('Subtract', {}, 'diff', [c, n]);
    d = b.add('Identity', {}, 'same', [d]);
    const maps = b.add('UnitNormalization', { axis: [1, 2] }, 'unit_maps', [d]);
    let up = b.add('CenterCrop', { height: 6, width: 6 }, 'crop_up', [maps]);
    up = b.add('Flatten', {}, 'flat', [up]);
    up = b.add('UnitNormalization', {}, 'unit', [up]);
    b.add('Dense', { units: 3, activation: 'softmax' }, 'label', [up]);
  });

/**
 * Layerlab's custom 1-D and 3-D spatial layers: Conv1DTranspose ('same' with strides, dilated, and with
 * output_padding), Cropping1D/3D, ZeroPadding1D/3D, UpSampling1D/3D, GlobalAveragePooling3D and
 * GlobalMaxPooling3D (keepdims). Asymmetric crops and pads, so that a swapped start and end changes a shape.
 */
export const spatialFamily = (): Graph =>
  buildGraph('spatial_family', (b) => {
    const seq = b.add('Input', { shape: [6, 3] }, 'signal');
    const vol = b.add('Input', { shape: [3, 4, 4, 2] }, 'volume');
    let s = b.add('Conv1DTranspose', { filters: 4, kernel_size: [3], strides: [2], padding: 'same', activation: 'relu' }, 'deconv1d', [seq]);
    s = b.add('Conv1DTranspose', { filters: 3, kernel_size: [2], dilation_rate: [2] }, 'deconv1d_dilated', [s]);
    s = b.add('Cropping1D', { cropping: [1, 2] }, 'crop1d', [s]);
    s = b.add('ZeroPadding1D', { padding: [2, 0] }, 'pad1d', [s]);
    s = b.add('UpSampling1D', { size: 2 }, 'up1d', [s]);
    s = b.add('Conv1DTranspose', { filters: 2, kernel_size: [3], strides: [2], output_padding: [1] }, 'deconv1d_op', [s]);
    const s1 = b.add('GlobalMaxPooling1D', {}, 'seq_max', [s]);
    let v = b.add('ZeroPadding3D', { padding: [1, 0, 0, 1, 1, 1] }, 'pad3d', [vol]);
    v = b.add('Cropping3D', { cropping: [0, 1, 1, 1, 2, 0] }, 'crop3d', [v]);
    v = b.add('UpSampling3D', { size: [1, 2, 1] }, 'up3d', [v]);
    v = b.add('Conv3D', { filters: 2, kernel_size: [1, 2, 2] }, 'conv3d_vol', [v]);
    const g1 = b.add('GlobalAveragePooling3D', {}, 'vol_avg', [v]);
    let g2 = b.add('GlobalMaxPooling3D', { keepdims: true }, 'vol_max', [v]);
    g2 = b.add('Flatten', {}, 'vol_max_flat', [g2]);
    const x = b.add('Concatenate', {}, 'joined', [s1, g1, g2]);
    b.add('Dense', { units: 2, activation: 'softmax' }, 'label', [x]);
  });

/**
 * Attention: a small transformer block (self-attention on one input, residual Add, LayerNormalization), then
 * cross-attention over a second input with value_dim, output_shape and a dropout, Attention with a separate key
 * and AdditiveAttention over itself.
 */
export const attentionBlock = (): Graph =>
  buildGraph('attention_block', (b) => {
    const tokens = b.add('Input', { shape: [6] }, 'tokens');
    const memory = b.add('Input', { shape: [5, 6] }, 'memory');
    const embed = b.add('Embedding', { input_dim: 20, output_dim: 8 }, 'embed', [tokens]);
    const attn = b.add('MultiHeadAttention', { num_heads: 2, key_dim: 4 }, 'self_attn', [embed]);
    let x = b.add('Add', {}, 'residual', [embed, attn]);
    x = b.add('LayerNormalization', {}, 'norm', [x]);
    // Keras 3.15 (JAX) needs a dropout when value_dim ≠ key_dim (its fused path fails to reshape; see forward-cases).
    x = b.add('MultiHeadAttention', { num_heads: 2, key_dim: 3, value_dim: 2, output_shape: 8, dropout: 0.1 }, 'cross_attn', [x, memory]);
    x = b.add('Dense', { units: 8, activation: 'relu' }, 'feed_forward', [x]);
    const key = b.add('Dense', { units: 8 }, 'memory_key', [memory]);
    x = b.add('Attention', { use_scale: true }, 'dot_attn', [x, memory, key]);
    x = b.add('AdditiveAttention', {}, 'additive_attn', [x]);
    x = b.add('GlobalAveragePooling1D', {}, 'pool', [x]);
    b.add('Dense', { units: 2, activation: 'softmax' }, 'label', [x]);
  });

export const LAYER_GRAPHS: readonly { id: string; build: () => Graph }[] = [
  { id: 'text-rnn', build: textRnn },
  { id: 'gru-reset-after', build: gruResetAfter },
  { id: 'image-blocks', build: imageBlocks },
  { id: 'sequence-mix', build: sequenceMix },
  { id: 'norm-preprocessing', build: normPreprocessing },
  { id: 'spatial-family', build: spatialFamily },
  { id: 'attention-block', build: attentionBlock },
];
