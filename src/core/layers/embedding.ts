import { RANDOM_UNIFORM } from './shared/initializers';
import { defineLayer, formatShape } from './define';
import { step, tracing } from './trace';
import { p } from './params';

/**
 * Embedding: maps integer ids in [0, input_dim) to learned vectors of size output_dim.
 * Shape (Keras keras/src/layers/core/embedding.py `compute_output_shape`, tfjs-layers embeddings.ts
 * `Embedding.computeOutputShape` without inputLength): (batch, …) → (batch, …, output_dim).
 * Weights (docs/keras-facts.md §4, keras/src/layers/core/embedding.py `build`): embeddings (input_dim, output_dim),
 * trainable: input_dim·output_dim. MACs: none (a table lookup).
 * Inputs are read as integers (tfjs casts them to int32): feed ids, not features.
 */
export const embedding = defineLayer({
  kind: 'Embedding',
  category: 'Core',
  description: 'Looks up a learned vector for each integer id (word, category); the first layer of most text models.',
  shapeRule: '(batch, …) → (batch, …, output_dim)',
  inputs: { min: 1, max: 1 },
  params: {
    input_dim: p.int({ default: 1000, min: 1, always: true, help: 'Vocabulary size: ids run from 0 to input_dim − 1.' }),
    output_dim: p.int({ default: 64, min: 1, always: true, help: 'Length of each embedding vector.' }),
    mask_zero: p.bool({ default: false, help: 'Treat id 0 as padding: later layers that support masking (RNNs) skip those steps.' }),
  },
  outputShape: ([x], q) => {
    if (tracing()) step('last axis', `each id of ${formatShape(x)} becomes a vector of output_dim`, q.output_dim, 'a new axis');
    return [...x, q.output_dim];
  },
  weightShapes: (_x, q) => [{ name: 'embeddings', shape: [q.input_dim, q.output_dim], trainable: true }],
  keyParams: (q) => [`${q.input_dim} → ${q.output_dim}`, q.mask_zero ? 'mask 0' : null].filter(Boolean).join(' · '),
  kerasClass: 'Embedding',
  tfjsFactory: 'embedding',
  inputSpec: null,
  startsMask: (q) => q.mask_zero === true,
  wasmGradient: 'UnsortedSegmentSum',
  keras: {
    positional: ['input_dim', 'output_dim', 'embeddings_initializer', 'embeddings_regularizer', 'embeddings_constraint', 'mask_zero'],
    required: ['input_dim', 'output_dim'],
    initializers: { embeddings_initializer: RANDOM_UNIFORM },
    shapeKeys: {
      // Keras 2's input_length: the sequence length, which must be the input's (null = any).
      input_length: (v, x) => {
        if (!x) return 'ok';
        const len = Array.isArray(v) ? (v as unknown[]) : [v];
        return x.length === len.length + 1 && len.every((d, i) => d === null || d === x[i + 1]) ? 'ok' : 'refuse';
      },
    },
  },
  // With mask_zero, ids equal to 0 are masked: the mask has the input's shape (tfjs embeddings.ts `computeMask`).
  mask: ([x], _m, q) => (q.mask_zero ? x : null),
});
