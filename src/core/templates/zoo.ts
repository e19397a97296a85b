/**
 * The model zoo: well-known architectures built from the layer registry (not imported files).
 * Full-size Keras Applications use 224×224×3 inputs and the 1,000-class top, so their totals equal
 * the published ones (../shared/reference/keras_applications_params.md).
 */
import type { Graph } from '../graph/types';
import { buildGraph, type GraphBuilder } from './build';

/** VGG16 (Simonyan & Zisserman 2014; keras/src/applications/vgg16.py): 138,357,544 parameters. */
export const vgg16 = (): Graph =>
  buildGraph('vgg16', (b) => {
    let x = b.add('Input', { shape: [224, 224, 3] }, 'input_1');
    const blocks: [number, number][] = [[64, 2], [128, 2], [256, 3], [512, 3], [512, 3]];
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
    const conv = (f: number, k: number, name: string, from: string) => b.add('Conv2D', { filters: f, kernel_size: [k, k], padding: 'same', activation: 'relu' }, name, [from]);
    const b1 = conv(64, 1, 'branch1x1', x);
    const b3 = conv(96, 3, 'branch3x3', conv(64, 1, 'branch3x3_reduce', x));
    const b5 = conv(32, 5, 'branch5x5', conv(16, 1, 'branch5x5_reduce', x));
    const bp = conv(32, 1, 'branch_pool_proj', b.add('MaxPooling2D', { pool_size: [3, 3], strides: [1, 1], padding: 'same' }, 'branch_pool', [x]));
    const cat = b.add('Concatenate', { axis: -1 }, 'mixed', [b1, b3, b5, bp]);
    const f = b.add('Flatten', {}, 'flatten', [cat]);
    b.add('Dense', { units: 10, activation: 'softmax' }, 'predictions', [f]);
  });

export type { GraphBuilder };
