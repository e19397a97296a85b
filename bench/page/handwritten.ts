/**
 * The two seed models written by hand in plain TensorFlow.js, as a tfjs user would (seed 001): the
 * baseline Layerlab's runtime is compared with. No Layerlab code is used to build or train them.
 */
import type * as tfjs from '@tensorflow/tfjs';

type TF = typeof tfjs;

/** Seed 001, Sequential: the product image classifier (822,922 parameters). */
export function productClassifier(tf: TF): tfjs.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [64, 64, 3] }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  model.add(tf.layers.dropout({ rate: 0.5 }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** Seed 001, Functional: the two-input purchase predictor (799,233 parameters). */
export function purchasePredictor(tf: TF): tfjs.LayersModel {
  const image = tf.input({ shape: [64, 64, 3] });
  const text = tf.input({ shape: [100] });
  let x1 = tf.layers.flatten().apply(image) as tfjs.SymbolicTensor;
  x1 = tf.layers.dense({ units: 64, activation: 'relu' }).apply(x1) as tfjs.SymbolicTensor;
  x1 = tf.layers.dropout({ rate: 0.3 }).apply(x1) as tfjs.SymbolicTensor;
  x1 = tf.layers.dense({ units: 32, activation: 'relu' }).apply(x1) as tfjs.SymbolicTensor;
  let x2 = tf.layers.dense({ units: 64, activation: 'relu' }).apply(text) as tfjs.SymbolicTensor;
  x2 = tf.layers.dropout({ rate: 0.3 }).apply(x2) as tfjs.SymbolicTensor;
  x2 = tf.layers.dense({ units: 32, activation: 'relu' }).apply(x2) as tfjs.SymbolicTensor;
  const c = tf.layers.concatenate().apply([x1, x2]) as tfjs.SymbolicTensor;
  const d = tf.layers.dense({ units: 32, activation: 'relu' }).apply(c) as tfjs.SymbolicTensor;
  const out = tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(d) as tfjs.SymbolicTensor;
  const model = tf.model({ inputs: [image, text], outputs: out });
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** Random inputs and labels for n samples of either model (inputs uniform in [0, 1), labels random). */
export function dataFor(tf: TF, template: string, n: number): { xs: tfjs.Tensor | tfjs.Tensor[]; ys: tfjs.Tensor } {
  if (template === 'product-classifier') return { xs: tf.randomUniform([n, 64, 64, 3]), ys: tf.floor(tf.randomUniform([n, 1], 0, 10)) };
  return { xs: [tf.randomUniform([n, 64, 64, 3]), tf.randomUniform([n, 100])], ys: tf.floor(tf.randomUniform([n, 1], 0, 2)) };
}
