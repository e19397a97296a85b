/**
 * Python (Keras 3) for the layer kinds of issue #3: wrappers, tuples of tuples, names Keras 3 lacks, and
 * arguments whose Keras default tfjs refuses. (The TypeScript of the same graphs is run against tfjs in
 * tests/contract/codegen.contract.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { generatePython, generateTypeScript } from '../../src/codegen';
import { DEFAULT_TRAINING } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { imageBlocks, sequenceMix, textRnn } from '../contract/layers/graphs';
import { written } from '../helpers/codegen';

const py = (g: ReturnType<typeof textRnn>, form: 'sequential' | 'functional' = 'functional') => written(generatePython(g, DEFAULT_TRAINING, form));

describe('Python for the new kinds', () => {
  it('wrappers take the wrapped layer first; GRU names reset_after=False', () => {
    const code = py(textRnn(), 'sequential');
    expect(code).toContain('layers.TimeDistributed(layers.Dense(2, activation="tanh"), name="per_step")');
    expect(code).toContain('layers.Bidirectional(layers.LSTM(2, return_sequences=True), name="bi_lstm")');
    expect(code).toMatch(/layers\.Bidirectional\(\n\s+layers\.GRU\(3, return_sequences=True, reset_after=False\),\n\s+merge_mode="sum",/);
    expect(code).toMatch(/layers\.GRU\(\n\s+3,\n\s+dropout=0\.1,\n\s+return_sequences=True,\n\s+reset_after=False,/);
  });

  it('ThresholdedReLU is written as ReLU(threshold=θ) with a comment, as Keras 3 has no such class', () => {
    const code = py(imageBlocks());
    expect(code).toContain(
      '# Keras 3 has no ThresholdedReLU layer: ReLU(threshold=θ) computes the same function.\nthresh = layers.ReLU(threshold=0.1, name="thresh")(image)',
    );
    expect(code).not.toContain('ThresholdedReLU(');
    // theta at its default is still written: ReLU's own threshold default is 0.
    const g = buildGraph('t', (b) => void b.add('ThresholdedReLU', {}, 't', [b.add('Input', { shape: [3] }, 'x')]));
    expect(py(g, 'sequential')).toContain('layers.ReLU(threshold=1, name="t")');
  });

  it('tuples of tuples, Keras 3 argument names and nullable values', () => {
    const code = py(imageBlocks());
    expect(code).toContain('layers.ZeroPadding2D(padding=((1, 2), (0, 1)), name="pad")');
    expect(code).toContain('layers.Cropping2D(cropping=((1, 2), (0, 1)), name="crop")');
    expect(code).toContain('layers.LeakyReLU(negative_slope=0.1, name="leaky")');
    expect(code).toContain('layers.PReLU(shared_axes=(1, 2), name="prelu")');
    expect(code).toContain('layers.ReLU(max_value=6, name="relu6")');
    expect(code).toContain('layers.Softmax(name="probs")');
  });

  it('Reshape keeps its −1 in Python; TypeScript gets it resolved, with a comment', () => {
    expect(py(sequenceMix())).toContain('layers.Reshape((2, 5, -1), name="grid")');
    const ts = generateTypeScript(sequenceMix(), DEFAULT_TRAINING, 'functional');
    expect(ts.ok && ts.code).toContain(
      "// target_shape (2, 5, -1) is written with the −1 resolved: tfjs 4.22 leaves a −1 unknown when it builds a model.\nconst grid = tf.layers.reshape({ targetShape: [2, 5, 2], name: 'grid' })",
    );
  });

  it('TypeScript builds the wrapped layer inside the wrapper', () => {
    const ts = generateTypeScript(textRnn(), DEFAULT_TRAINING, 'sequential');
    expect(ts.ok && ts.code).toContain("tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2, activation: 'tanh' }), name: 'per_step' })");
    expect(ts.ok && ts.code).toContain("layer: tf.layers.gru({ units: 3, recurrentActivation: 'sigmoid', returnSequences: true })");
  });
});
