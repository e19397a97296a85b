import { defineLayer, noWeights, formatPair } from './define';
import { p } from './params';

/** Keras `keras.Input(shape=…)` / tfjs `tf.input({shape})`: output shape is `[null, …shape]`. */
export const input = defineLayer({
  kind: 'Input',
  category: 'Input',
  description: 'A model input: a tensor of the given shape, with the batch dimension first.',
  shapeRule: 'shape (d1, …, dn) → (batch, d1, …, dn)',
  inputs: { min: 0, max: 0 },
  params: {
    shape: p.shape({
      default: [28, 28, 1],
      maxRank: 5,
      always: true,
      help: 'Shape of one sample, without the batch dimension, e.g. 64, 64, 3 for RGB images.',
    }),
  },
  outputShape: (_inputs, q) => [null, ...q.shape],
  weights: noWeights,
  keyParams: (q) => formatPair(q.shape),
  kerasClass: 'InputLayer',
  tfjsFactory: null,
  inputSpec: null,
});
