/**
 * Templates: the seed models (../shared/seeds/), built from the layer registry.
 */
import type { Graph } from '../graph/types';
import { buildGraph } from './build';
import { siamese, inceptionModule, lenet5, mnistConvnet, mnistMlp, mobilenet, resnet50, residualBlock, smallUnet, textClassifier, twoHeaded, vgg16 } from './zoo';

export interface Template {
  readonly id: string;
  /** 'Seed': the models of the documents Layerlab grew from; 'Zoo': well-known architectures. */
  readonly group: 'Seed models' | 'Model zoo';
  readonly title: string;
  /** One line for the menu: what it shows. */
  readonly blurb: string;
  readonly build: () => Graph;
}

/** Seed 000: `Sequential(); model.add(Dense(2, input_dim=1))` — 4 parameters. */
const denseInputDim1 = (): Graph =>
  buildGraph('sequential', (b) => {
    const x = b.add('Input', { shape: [1] }, 'input_layer');
    b.add('Dense', { units: 2 }, 'dense', [x]);
  });

/** Seed 001, Sequential API: the e-commerce product image classifier — 822,922 parameters. */
const productClassifier = (): Graph =>
  buildGraph('product_image_classifier_sequential', (b) => {
    let x = b.add('Input', { shape: [64, 64, 3] }, 'input_layer');
    x = b.add('Conv2D', { filters: 32, kernel_size: [3, 3], activation: 'relu' }, 'conv1', [x]);
    x = b.add('MaxPooling2D', { pool_size: [2, 2] }, 'pool1', [x]);
    x = b.add('Conv2D', { filters: 64, kernel_size: [3, 3], activation: 'relu' }, 'conv2', [x]);
    x = b.add('MaxPooling2D', { pool_size: [2, 2] }, 'pool2', [x]);
    x = b.add('Flatten', {}, 'flatten', [x]);
    x = b.add('Dense', { units: 64, activation: 'relu' }, 'dense1', [x]);
    x = b.add('Dropout', { rate: 0.5 }, 'dropout1', [x]);
    b.add('Dense', { units: 10, activation: 'softmax' }, 'output_softmax', [x]);
  });

/** Seed 001, Functional API: the multi-input purchase predictor — 799,233 parameters. */
const purchasePredictor = (): Graph =>
  buildGraph('multi_input_purchase_predictor', (b) => {
    const image = b.add('Input', { shape: [64, 64, 3] }, 'image_features_input');
    const text = b.add('Input', { shape: [100] }, 'text_features_input');
    let x1 = b.add('Flatten', {}, 'flatten_image', [image]);
    x1 = b.add('Dense', { units: 64, activation: 'relu' }, 'dense_image_1', [x1]);
    x1 = b.add('Dropout', { rate: 0.3 }, 'dropout_image', [x1]);
    x1 = b.add('Dense', { units: 32, activation: 'relu' }, 'dense_image_2', [x1]);
    let x2 = b.add('Dense', { units: 64, activation: 'relu' }, 'dense_text_1', [text]);
    x2 = b.add('Dropout', { rate: 0.3 }, 'dropout_text', [x2]);
    x2 = b.add('Dense', { units: 32, activation: 'relu' }, 'dense_text_2', [x2]);
    const c = b.add('Concatenate', {}, 'concatenate_branches', [x1, x2]);
    const d = b.add('Dense', { units: 32, activation: 'relu' }, 'dense_combined', [c]);
    b.add('Dense', { units: 1, activation: 'sigmoid' }, 'output_sigmoid', [d]);
  });

export const TEMPLATES: readonly Template[] = [
  { id: 'dense-input-dim-1', group: 'Seed models', title: 'Dense(2, input_dim=1)', blurb: 'The smallest Sequential model: one Dense layer on a 1-value input (4 parameters).', build: denseInputDim1 },
  { id: 'product-classifier', group: 'Seed models', title: 'Product image classifier (CNN)', blurb: 'Sequential CNN: 64×64 RGB images → 10 product categories (822,922 parameters).', build: productClassifier },
  { id: 'purchase-predictor', group: 'Seed models', title: 'Purchase predictor (two inputs)', blurb: 'Functional model: image + text features → purchase probability (799,233 parameters).', build: purchasePredictor },
  { id: 'siamese', group: 'Model zoo', title: 'Siamese network (shared encoder)', blurb: 'Two inputs embedded by one shared encoder (same weights), compared by cosine similarity.', build: siamese },
  { id: 'residual-block', group: 'Model zoo', title: 'Residual block', blurb: 'Two 3×3 convolutions added back to their input with Add (the ResNet idea).', build: residualBlock },
  { id: 'two-headed', group: 'Model zoo', title: 'Two-headed model', blurb: 'One trunk, two outputs: a 5-class softmax head and a price regression head.', build: twoHeaded },
  { id: 'text-classifier', group: 'Model zoo', title: 'Text classifier (Embedding + LSTM)', blurb: 'Word ids → Embedding → LSTM → sigmoid: sentiment of a 100-word review.', build: textClassifier },
  { id: 'lenet5', group: 'Model zoo', title: 'LeNet-5', blurb: 'LeCun 1998: tanh convolutions and average pooling on 32×32 digits (61,706 parameters).', build: lenet5 },
  { id: 'mnist-mlp', group: 'Model zoo', title: 'MNIST MLP', blurb: "Keras's classic multilayer perceptron for 28×28 digits flattened to 784 values.", build: mnistMlp },
  { id: 'mnist-convnet', group: 'Model zoo', title: 'MNIST convnet', blurb: "Keras's simple MNIST convnet: two Conv2D + MaxPooling2D blocks and a Dense head.", build: mnistConvnet },
  { id: 'inception-module', group: 'Model zoo', title: 'Inception-style module', blurb: 'Four parallel branches (1×1, 3×3, 5×5, pooling) joined by Concatenate.', build: inceptionModule },
  { id: 'small-unet', group: 'Model zoo', title: 'Small U-Net', blurb: 'Encoder–decoder with skip connections (Conv2DTranspose + Concatenate) for 64×64 masks.', build: smallUnet },
  { id: 'mobilenet', group: 'Model zoo', title: 'MobileNet (v1, α 1.0)', blurb: 'Keras Applications MobileNet: depthwise separable convolutions, 224×224×3, 1,000 classes (4,253,864 parameters).', build: mobilenet },
  { id: 'resnet50', group: 'Model zoo', title: 'ResNet50', blurb: 'Keras Applications ResNet50: 16 residual blocks, 224×224×3, 1,000 classes (25,636,712 parameters).', build: resnet50 },
  { id: 'vgg16', group: 'Model zoo', title: 'VGG16', blurb: 'Keras Applications VGG16, 224×224×3 input, 1,000-class top (138,357,544 parameters).', build: vgg16 },
];

/** A template by id, or undefined. */
export const templateById = (id: string): Template | undefined => TEMPLATES.find((t) => t.id === id);
