/**
 * The model zoo: well-known architectures built from the layer registry (not imported files).
 * Full-size Keras Applications use 224×224×3 inputs and the 1,000-class top, so their totals equal
 * the published ones (docs/keras-facts.md §7).
 */
import type { Graph } from '../graph/types';
import { buildGraph, type GraphBuilder } from './build';

/** VGG16 (Simonyan & Zisserman 2014; keras/src/applications/vgg16.py): 138,357,544 parameters. */
export const vgg16 = (): Graph =>
  buildGraph('vgg16', (b) => {
    let x = b.add('Input', { shape: [224, 224, 3] }, 'input_1');
    const blocks: [number, number][] = [
      [64, 2],
      [128, 2],
      [256, 3],
      [512, 3],
      [512, 3],
    ];
    blocks.forEach(([filters, convs], i) => {
      for (let c = 1; c <= convs; c++)
        x = b.add('Conv2D', { filters, kernel_size: [3, 3], padding: 'same', activation: 'relu' }, `block${i + 1}_conv${c}`, [x]);
      x = b.add('MaxPooling2D', { pool_size: [2, 2], strides: [2, 2] }, `block${i + 1}_pool`, [x]);
    });
    x = b.add('Flatten', {}, 'flatten', [x]);
    x = b.add('Dense', { units: 4096, activation: 'relu' }, 'fc1', [x]);
    x = b.add('Dense', { units: 4096, activation: 'relu' }, 'fc2', [x]);
    b.add('Dense', { units: 1000, activation: 'softmax' }, 'predictions', [x]);
  });

/** The Keras MNIST MLP example (keras/examples mnist_mlp.py): 784 → 512 → 512 → 10, 669,706 parameters. */
export const mnistMlp = (): Graph =>
  buildGraph('mnist_mlp', (b) => {
    let x = b.add('Input', { shape: [784] }, 'pixels');
    x = b.add('Dense', { units: 512, activation: 'relu' }, 'dense', [x]);
    x = b.add('Dropout', { rate: 0.2 }, 'dropout', [x]);
    x = b.add('Dense', { units: 512, activation: 'relu' }, 'dense_1', [x]);
    x = b.add('Dropout', { rate: 0.2 }, 'dropout_1', [x]);
    b.add('Dense', { units: 10, activation: 'softmax' }, 'dense_2', [x]);
  });

/** The Keras MNIST convnet example (keras-io simple_mnist_convnet): 34,826 parameters. */
export const mnistConvnet = (): Graph =>
  buildGraph('mnist_convnet', (b) => {
    let x = b.add('Input', { shape: [28, 28, 1] }, 'image');
    x = b.add('Conv2D', { filters: 32, kernel_size: [3, 3], activation: 'relu' }, 'conv2d', [x]);
    x = b.add('MaxPooling2D', { pool_size: [2, 2] }, 'max_pooling2d', [x]);
    x = b.add('Conv2D', { filters: 64, kernel_size: [3, 3], activation: 'relu' }, 'conv2d_1', [x]);
    x = b.add('MaxPooling2D', { pool_size: [2, 2] }, 'max_pooling2d_1', [x]);
    x = b.add('Flatten', {}, 'flatten', [x]);
    x = b.add('Dropout', { rate: 0.5 }, 'dropout', [x]);
    b.add('Dense', { units: 10, activation: 'softmax' }, 'dense', [x]);
  });

/** An Inception-style module (Szegedy et al. 2014): four parallel branches joined by Concatenate. */
export const inceptionModule = (): Graph =>
  buildGraph('inception_module', (b) => {
    const x = b.add('Input', { shape: [32, 32, 64] }, 'features');
    const conv = (f: number, k: number, name: string, from: string) =>
      b.add('Conv2D', { filters: f, kernel_size: [k, k], padding: 'same', activation: 'relu' }, name, [from]);
    const b1 = conv(64, 1, 'branch1x1', x);
    const b3 = conv(96, 3, 'branch3x3', conv(64, 1, 'branch3x3_reduce', x));
    const b5 = conv(32, 5, 'branch5x5', conv(16, 1, 'branch5x5_reduce', x));
    const bp = conv(32, 1, 'branch_pool_proj', b.add('MaxPooling2D', { pool_size: [3, 3], strides: [1, 1], padding: 'same' }, 'branch_pool', [x]));
    const cat = b.add('Concatenate', { axis: -1 }, 'mixed', [b1, b3, b5, bp]);
    const f = b.add('Flatten', {}, 'flatten', [cat]);
    b.add('Dense', { units: 10, activation: 'softmax' }, 'predictions', [f]);
  });

const bnEps = { epsilon: 1.001e-5 };

/**
 * ResNet50 (He et al. 2015) as keras/src/applications/resnet.py builds it: 224×224×3, 1,000 classes,
 * 25,636,712 parameters (53,120 of them BatchNormalization moving statistics).
 */
export const resnet50 = (): Graph =>
  buildGraph('resnet50', (b) => {
    let x = b.add('Input', { shape: [224, 224, 3] }, 'input_1');
    x = b.add('ZeroPadding2D', { padding: [3, 3, 3, 3] }, 'conv1_pad', [x]);
    x = b.add('Conv2D', { filters: 64, kernel_size: [7, 7], strides: [2, 2] }, 'conv1_conv', [x]);
    x = b.add('BatchNormalization', bnEps, 'conv1_bn', [x]);
    x = b.add('Activation', { activation: 'relu' }, 'conv1_relu', [x]);
    x = b.add('ZeroPadding2D', { padding: [1, 1, 1, 1] }, 'pool1_pad', [x]);
    x = b.add('MaxPooling2D', { pool_size: [3, 3], strides: [2, 2] }, 'pool1_pool', [x]);
    const block = (input: string, filters: number, stride: number, shortcutConv: boolean, name: string): string => {
      let shortcut = input;
      if (shortcutConv) {
        shortcut = b.add('Conv2D', { filters: 4 * filters, kernel_size: [1, 1], strides: [stride, stride] }, `${name}_0_conv`, [input]);
        shortcut = b.add('BatchNormalization', bnEps, `${name}_0_bn`, [shortcut]);
      }
      let y = b.add('Conv2D', { filters, kernel_size: [1, 1], strides: [stride, stride] }, `${name}_1_conv`, [input]);
      y = b.add('BatchNormalization', bnEps, `${name}_1_bn`, [y]);
      y = b.add('Activation', { activation: 'relu' }, `${name}_1_relu`, [y]);
      y = b.add('Conv2D', { filters, kernel_size: [3, 3], padding: 'same' }, `${name}_2_conv`, [y]);
      y = b.add('BatchNormalization', bnEps, `${name}_2_bn`, [y]);
      y = b.add('Activation', { activation: 'relu' }, `${name}_2_relu`, [y]);
      y = b.add('Conv2D', { filters: 4 * filters, kernel_size: [1, 1] }, `${name}_3_conv`, [y]);
      y = b.add('BatchNormalization', bnEps, `${name}_3_bn`, [y]);
      const sum = b.add('Add', {}, `${name}_add`, [shortcut, y]);
      return b.add('Activation', { activation: 'relu' }, `${name}_out`, [sum]);
    };
    const stages: [number, number, number, string][] = [
      [64, 3, 1, 'conv2'],
      [128, 4, 2, 'conv3'],
      [256, 6, 2, 'conv4'],
      [512, 3, 2, 'conv5'],
    ];
    for (const [filters, blocks, stride, name] of stages) {
      x = block(x, filters, stride, true, `${name}_block1`);
      for (let i = 2; i <= blocks; i++) x = block(x, filters, 1, false, `${name}_block${i}`);
    }
    x = b.add('GlobalAveragePooling2D', {}, 'avg_pool', [x]);
    b.add('Dense', { units: 1000, activation: 'softmax' }, 'predictions', [x]);
  });

/**
 * MobileNet v1 (Howard et al. 2017), alpha 1.0, depth multiplier 1, 224×224×3, 1,000 classes, as
 * keras/src/applications/mobilenet.py builds it (the top written with Reshape, as Keras 2 did):
 * 4,253,864 parameters (21,888 non-trainable).
 */
export const mobilenet = (): Graph =>
  buildGraph('mobilenet_1.00_224', (b) => {
    let x = b.add('Input', { shape: [224, 224, 3] }, 'input_1');
    x = b.add('ZeroPadding2D', { padding: [0, 1, 0, 1] }, 'conv1_pad', [x]);
    x = b.add('Conv2D', { filters: 32, kernel_size: [3, 3], strides: [2, 2], use_bias: false }, 'conv1', [x]);
    x = b.add('BatchNormalization', {}, 'conv1_bn', [x]);
    x = b.add('ReLU', { max_value: 6 }, 'conv1_relu', [x]);
    const blocks: [number, number][] = [
      [64, 1],
      [128, 2],
      [128, 1],
      [256, 2],
      [256, 1],
      [512, 2],
      [512, 1],
      [512, 1],
      [512, 1],
      [512, 1],
      [512, 1],
      [1024, 2],
      [1024, 1],
    ];
    blocks.forEach(([filters, stride], i) => {
      const id = i + 1;
      if (stride === 2) x = b.add('ZeroPadding2D', { padding: [0, 1, 0, 1] }, `conv_pad_${id}`, [x]);
      x = b.add(
        'DepthwiseConv2D',
        { kernel_size: [3, 3], strides: [stride, stride], padding: stride === 1 ? 'same' : 'valid', use_bias: false },
        `conv_dw_${id}`,
        [x],
      );
      x = b.add('BatchNormalization', {}, `conv_dw_${id}_bn`, [x]);
      x = b.add('ReLU', { max_value: 6 }, `conv_dw_${id}_relu`, [x]);
      x = b.add('Conv2D', { filters, kernel_size: [1, 1], padding: 'same', use_bias: false }, `conv_pw_${id}`, [x]);
      x = b.add('BatchNormalization', {}, `conv_pw_${id}_bn`, [x]);
      x = b.add('ReLU', { max_value: 6 }, `conv_pw_${id}_relu`, [x]);
    });
    x = b.add('GlobalAveragePooling2D', {}, 'global_average_pooling2d', [x]);
    x = b.add('Reshape', { target_shape: [1, 1, 1024] }, 'reshape_1', [x]);
    x = b.add('Dropout', { rate: 0.001 }, 'dropout', [x]);
    x = b.add('Conv2D', { filters: 1000, kernel_size: [1, 1], padding: 'same' }, 'conv_preds', [x]);
    x = b.add('Reshape', { target_shape: [1000] }, 'reshape_2', [x]);
    b.add('Activation', { activation: 'softmax' }, 'act_softmax', [x]);
  });

/** LeNet-5 (LeCun et al. 1998) on 32×32 grey images, average pooling and tanh as in the paper: 61,706 parameters. */
export const lenet5 = (): Graph =>
  buildGraph('lenet5', (b) => {
    let x = b.add('Input', { shape: [32, 32, 1] }, 'image');
    x = b.add('Conv2D', { filters: 6, kernel_size: [5, 5], activation: 'tanh' }, 'c1', [x]);
    x = b.add('AveragePooling2D', { pool_size: [2, 2] }, 's2', [x]);
    x = b.add('Conv2D', { filters: 16, kernel_size: [5, 5], activation: 'tanh' }, 'c3', [x]);
    x = b.add('AveragePooling2D', { pool_size: [2, 2] }, 's4', [x]);
    x = b.add('Flatten', {}, 'flatten', [x]);
    x = b.add('Dense', { units: 120, activation: 'tanh' }, 'c5', [x]);
    x = b.add('Dense', { units: 84, activation: 'tanh' }, 'f6', [x]);
    b.add('Dense', { units: 10, activation: 'softmax' }, 'output', [x]);
  });

/** A small U-Net (Ronneberger et al. 2015) for 64×64 segmentation: two down steps, two up steps with skip connections. */
export const smallUnet = (): Graph =>
  buildGraph('small_unet', (b) => {
    const conv = (f: number, name: string, from: string) =>
      b.add('Conv2D', { filters: f, kernel_size: [3, 3], padding: 'same', activation: 'relu' }, name, [from]);
    const x = b.add('Input', { shape: [64, 64, 3] }, 'image');
    const d1 = conv(16, 'down1_conv2', conv(16, 'down1_conv1', x));
    const p1 = b.add('MaxPooling2D', { pool_size: [2, 2] }, 'down1_pool', [d1]);
    const d2 = conv(32, 'down2_conv2', conv(32, 'down2_conv1', p1));
    const p2 = b.add('MaxPooling2D', { pool_size: [2, 2] }, 'down2_pool', [d2]);
    const m = conv(64, 'bottom_conv2', conv(64, 'bottom_conv1', p2));
    const u2 = b.add('Conv2DTranspose', { filters: 32, kernel_size: [2, 2], strides: [2, 2], padding: 'same' }, 'up2_transpose', [m]);
    const c2 = b.add('Concatenate', { axis: -1 }, 'up2_skip', [u2, d2]);
    const e2 = conv(32, 'up2_conv2', conv(32, 'up2_conv1', c2));
    const u1 = b.add('Conv2DTranspose', { filters: 16, kernel_size: [2, 2], strides: [2, 2], padding: 'same' }, 'up1_transpose', [e2]);
    const c1 = b.add('Concatenate', { axis: -1 }, 'up1_skip', [u1, d1]);
    const e1 = conv(16, 'up1_conv2', conv(16, 'up1_conv1', c1));
    b.add('Conv2D', { filters: 1, kernel_size: [1, 1], activation: 'sigmoid' }, 'mask', [e1]);
  });

/** A residual block (He et al. 2015): two 3×3 convolutions whose output is added to the block's input. */
export const residualBlock = (): Graph =>
  buildGraph('residual_block', (b) => {
    const x = b.add('Input', { shape: [32, 32, 16] }, 'features');
    let y = b.add('Conv2D', { filters: 16, kernel_size: [3, 3], padding: 'same' }, 'conv_a', [x]);
    y = b.add('BatchNormalization', {}, 'bn_a', [y]);
    y = b.add('ReLU', {}, 'relu_a', [y]);
    y = b.add('Conv2D', { filters: 16, kernel_size: [3, 3], padding: 'same' }, 'conv_b', [y]);
    y = b.add('BatchNormalization', {}, 'bn_b', [y]);
    const sum = b.add('Add', {}, 'add', [x, y]);
    let z = b.add('ReLU', {}, 'relu_out', [sum]);
    z = b.add('GlobalAveragePooling2D', {}, 'pool', [z]);
    b.add('Dense', { units: 10, activation: 'softmax' }, 'classes', [z]);
  });

/** A two-headed model: one trunk, a classification head (softmax) and a regression head (linear). */
export const twoHeaded = (): Graph =>
  buildGraph('two_headed', (b) => {
    const x = b.add('Input', { shape: [20] }, 'features');
    let t = b.add('Dense', { units: 64, activation: 'relu' }, 'trunk_1', [x]);
    t = b.add('Dense', { units: 32, activation: 'relu' }, 'trunk_2', [t]);
    b.add('Dense', { units: 5, activation: 'softmax' }, 'category', [t]);
    b.add('Dense', { units: 1 }, 'price', [t]);
  });

/** A text classifier: word ids → Embedding → LSTM → Dense sigmoid (e.g. review sentiment). */
export const textClassifier = (): Graph =>
  buildGraph('text_classifier', (b) => {
    let x = b.add('Input', { shape: [100] }, 'word_ids');
    x = b.add('Embedding', { input_dim: 10000, output_dim: 64 }, 'embedding', [x]);
    x = b.add('LSTM', { units: 64 }, 'lstm', [x]);
    x = b.add('Dropout', { rate: 0.3 }, 'dropout', [x]);
    b.add('Dense', { units: 1, activation: 'sigmoid' }, 'positive', [x]);
  });

/**
 * One transformer encoder block (Vaswani et al. 2017, as in Keras's example "Text classification with
 * Transformer", keras.io/examples/nlp/text_classification_with_transformer): self-attention, dropout, a
 * residual Add and LayerNormalization; then a two-layer feed-forward network, dropout, Add and
 * LayerNormalization. `x` is (batch, steps, dim); the block keeps that shape. Returns the block's output id.
 */
function transformerBlock(b: GraphBuilder, x: string, p: { prefix: string; heads: number; keyDim: number; dim: number; ff: number }): string {
  const att = b.add('MultiHeadAttention', { num_heads: p.heads, key_dim: p.keyDim }, `${p.prefix}_attention`, [x]);
  const drop1 = b.add('Dropout', { rate: 0.1 }, `${p.prefix}_attention_dropout`, [att]);
  const res1 = b.add('Add', {}, `${p.prefix}_residual_1`, [x, drop1]);
  const norm1 = b.add('LayerNormalization', { epsilon: 1e-6 }, `${p.prefix}_norm_1`, [res1]);
  let f = b.add('Dense', { units: p.ff, activation: 'relu' }, `${p.prefix}_ffn_1`, [norm1]);
  f = b.add('Dense', { units: p.dim }, `${p.prefix}_ffn_2`, [f]);
  f = b.add('Dropout', { rate: 0.1 }, `${p.prefix}_ffn_dropout`, [f]);
  const res2 = b.add('Add', {}, `${p.prefix}_residual_2`, [norm1, f]);
  return b.add('LayerNormalization', { epsilon: 1e-6 }, `${p.prefix}_norm_2`, [res2]);
}

/**
 * Keras's transformer text classifier (keras.io/examples/nlp/text_classification_with_transformer) on 200 word
 * ids: Embedding(20,000, 32), one transformer block (2 heads, key_dim 32, feed-forward 32), global average
 * pooling and a small head. The example adds a learned position embedding; Layerlab has no layer for a
 * position table, so this one has none (attention then sees the words as a bag). Counts: Embedding 640,000;
 * MultiHeadAttention 3 · (32 · 2 · 32 + 2 · 32) + (2 · 32 · 32 + 32) = 8,416; LayerNormalization 2 · 32 each;
 * Dense 32 · 32 + 32 twice; Dense 32 · 20 + 20; Dense 20 · 2 + 2: 651,358 in all.
 */
export const transformerText = (): Graph =>
  buildGraph('transformer_text_classifier', (b) => {
    let x = b.add('Input', { shape: [200] }, 'word_ids');
    x = b.add('Embedding', { input_dim: 20000, output_dim: 32 }, 'embedding', [x]);
    x = transformerBlock(b, x, { prefix: 'block', heads: 2, keyDim: 32, dim: 32, ff: 32 });
    x = b.add('GlobalAveragePooling1D', {}, 'pool', [x]);
    x = b.add('Dropout', { rate: 0.1 }, 'dropout', [x]);
    x = b.add('Dense', { units: 20, activation: 'relu' }, 'dense', [x]);
    x = b.add('Dropout', { rate: 0.1 }, 'dropout_2', [x]);
    b.add('Dense', { units: 2, activation: 'softmax' }, 'sentiment', [x]);
  });

/**
 * A small Vision Transformer (Dosovitskiy et al. 2021, "An Image is Worth 16x16 Words") for 32×32 RGB images:
 * a strided Conv2D cuts 4×4 patches and embeds each in 64 values (the paper's linear patch projection),
 * Reshape lines the 8×8 patches up as 64 steps, two transformer blocks (4 heads, key_dim 16, feed-forward 128)
 * attend across patches, global average pooling replaces the class token, and a Dense softmax classifies.
 * No position embedding (no layer holds a position table): the attention sees the patches as a set.
 */
export const vitSmall = (): Graph =>
  buildGraph('vision_transformer', (b) => {
    let x = b.add('Input', { shape: [32, 32, 3] }, 'image');
    x = b.add('Conv2D', { filters: 64, kernel_size: [4, 4], strides: [4, 4] }, 'patches', [x]);
    x = b.add('Reshape', { target_shape: [64, 64] }, 'patch_sequence', [x]);
    x = transformerBlock(b, x, { prefix: 'block1', heads: 4, keyDim: 16, dim: 64, ff: 128 });
    x = transformerBlock(b, x, { prefix: 'block2', heads: 4, keyDim: 16, dim: 64, ff: 128 });
    x = b.add('GlobalAveragePooling1D', {}, 'pool', [x]);
    b.add('Dense', { units: 10, activation: 'softmax' }, 'label', [x]);
  });

/**
 * A text classifier for reviews of any length (`keras.Input(shape=(None,))`): word ids → Embedding with
 * mask_zero (0 pads a batch of unequal lengths; the mask tells the LSTMs to skip it) → a bidirectional LSTM →
 * a small Dense head. Parameter counts do not depend on the length: Embedding 10,000 × 64 = 640,000;
 * Bidirectional(LSTM(32)) 2 × 4 × 32 × (64 + 32 + 1) = 24,832; Dense 64 × 64 + 64 = 4,160; Dense 65.
 * Shape of Keras's text classification examples (keras.io/examples/nlp/bidirectional_lstm_imdb).
 */
export const variableLengthText = (): Graph =>
  buildGraph('variable_length_text', (b) => {
    let x = b.add('Input', { shape: [null] }, 'word_ids');
    x = b.add('Embedding', { input_dim: 10000, output_dim: 64, mask_zero: true }, 'embedding', [x]);
    x = b.add('Bidirectional', { layer: 'LSTM', units: 32 }, 'bi_lstm', [x]);
    x = b.add('Dense', { units: 64, activation: 'relu' }, 'dense', [x]);
    x = b.add('Dropout', { rate: 0.5 }, 'dropout', [x]);
    b.add('Dense', { units: 1, activation: 'sigmoid' }, 'positive', [x]);
  });

/**
 * The encoder–decoder of Keras's RNN guide (keras.io/guides/working_with_rnns, "RNN state reuse"): the encoder
 * LSTM returns its final states (return_state: output, state_h, state_c) and the decoder LSTM starts from them
 * (`initial_state=[state_h, state_c]`); the encoder's own output is not used. Counts (Keras prints them):
 * Embedding 1,000 × 64 = 64,000 and 2,000 × 64 = 128,000; each LSTM(64) on 64 features 4 × 64 × (64 + 64 + 1) =
 * 33,024; Dense(10) 650; total 258,698.
 */
export const encoderDecoder = (): Graph =>
  buildGraph('encoder_decoder', (b) => {
    const encoderInput = b.add('Input', { shape: [null] }, 'encoder_input');
    const encoderEmbedded = b.add('Embedding', { input_dim: 1000, output_dim: 64 }, 'encoder_embedding', [encoderInput]);
    const encoder = b.add('LSTM', { units: 64, return_state: true }, 'encoder', [encoderEmbedded]);
    const decoderInput = b.add('Input', { shape: [null] }, 'decoder_input');
    const decoderEmbedded = b.add('Embedding', { input_dim: 2000, output_dim: 64 }, 'decoder_embedding', [decoderInput]);
    const decoder = b.add('LSTM', { units: 64 }, 'decoder', [decoderEmbedded, { node: encoder, output: 1 }, { node: encoder, output: 2 }]);
    b.add('Dense', { units: 10 }, 'dense', [decoder]);
  });

/**
 * A siamese network (Bromley et al. 1993): one encoder — two Dense layers, shared — applied to both
 * inputs, so both are embedded with the same weights; their cosine similarity decides "same or not".
 */
export const siamese = (): Graph =>
  buildGraph('siamese', (b) => {
    const left = b.add('Input', { shape: [64] }, 'left');
    const right = b.add('Input', { shape: [64] }, 'right');
    const hidden = b.add('Dense', { units: 32, activation: 'relu' }, 'encoder_hidden', [left]);
    const embed = b.add('Dense', { units: 16 }, 'encoder_embedding', [hidden]);
    const hidden2 = b.call(hidden, [right]);
    const embed2 = b.call(embed, [hidden2]);
    const sim = b.add('Dot', { axes: [1, 1], normalize: true }, 'cosine', [embed, embed2]);
    b.add('Dense', { units: 1, activation: 'sigmoid' }, 'same', [sim]);
  });
