/**
 * Templates: the seed models (docs/keras-facts.md §8) and the model zoo (zoo.ts), built from the layer registry.
 */
import type { Graph } from '../graph/types';
import { buildGraph } from './build';
import { TEMPLATE_INFO, type TemplateId, type TemplateInfo } from './catalog';

export { TEMPLATE_INFO, type TemplateId, type TemplateInfo } from './catalog';
import {
  siamese,
  inceptionModule,
  lenet5,
  mnistConvnet,
  mnistMlp,
  mobilenet,
  resnet50,
  residualBlock,
  smallUnet,
  textClassifier,
  variableLengthText,
  encoderDecoder,
  transformerText,
  vitSmall,
  twoHeaded,
  vgg16,
} from './zoo';
import { applicationGraph } from './applications';
import { autoLayout } from '../graph/layout';

/** A template (catalog.ts: id, group, title, blurb) with the function that builds its graph. */
export interface Template extends TemplateInfo {
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

/** The builder of each template in TEMPLATE_INFO (a missing or extra id is a compile error). */
const BUILDERS: Readonly<Record<TemplateId, () => Graph>> = {
  'dense-input-dim-1': denseInputDim1,
  'product-classifier': productClassifier,
  'purchase-predictor': purchasePredictor,
  siamese,
  'residual-block': residualBlock,
  'two-headed': twoHeaded,
  'text-classifier': textClassifier,
  'variable-length-text': variableLengthText,
  'encoder-decoder': encoderDecoder,
  'transformer-text': transformerText,
  'vision-transformer': vitSmall,
  lenet5,
  'mnist-mlp': mnistMlp,
  'mnist-convnet': mnistConvnet,
  'inception-module': inceptionModule,
  'small-unet': smallUnet,
  mobilenet,
  'mobilenet-v2': () => autoLayout(applicationGraph('MobileNetV2')),
  resnet50,
  vgg16,
};

/** Every template with its builder, in gallery order (names and blurbs: templates/catalog.ts). */
export const TEMPLATES: readonly Template[] = TEMPLATE_INFO.map((t) => ({ ...t, build: BUILDERS[t.id] }));

/** A template by id, or undefined. */
export const templateById = (id: string): Template | undefined => TEMPLATES.find((t) => t.id === id);
