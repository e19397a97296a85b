/**
 * Code for layers with several outputs (issue 10): Python unpacks them as Keras's RNN guide writes it, TypeScript
 * destructures the array tfjs's `apply` returns; readers use the variable of the output their edge reads; recurrent
 * layers get their initial states; MultiHeadAttention's call arguments go in the Python call and in the TypeScript
 * config; the model's outputs are `analysis.outputTensors`, with one label array each. The TypeScript of the same
 * graphs runs in tfjs in tests/contract/codegen.contract.test.ts; the Python ran in Keras 3 (see the report of
 * this change).
 */
import { describe, expect, it } from 'vitest';
import { analyze, DEFAULT_TRAINING, type Graph } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { generatePython, generateTypeScript } from '../../src/codegen';
import { written } from '../helpers/codegen';
import { attentionScores, sequenceAndStates, sharedStates, statesRead } from '../helpers/multiOutputGraphs';
import { tpl } from '../helpers/templates';

const py = (g: Graph, settings = DEFAULT_TRAINING) => written(generatePython(g, settings, 'functional'));
const ts = (g: Graph, settings = DEFAULT_TRAINING) => written(generateTypeScript(g, settings, 'functional'));
/** The model-building part of a program: from its first line starting with `from` up to the summary call. */
const modelPart = (code: string, from: string, end: string) => code.slice(code.indexOf(from), code.indexOf(end));

/** The MultiHeadAttention of the issue: self-attention with both call arguments, its output read by a Dense. */
const causalMha = (): Graph =>
  buildGraph('attn', (b) => {
    const x = b.add('Input', { shape: [8, 16] }, 'tokens');
    const m = b.add('MultiHeadAttention', { num_heads: 2, key_dim: 16, use_causal_mask: true, return_attention_scores: true }, 'mha', [x]);
    b.add('Dense', { units: 3, activation: 'softmax' }, 'out', [m]);
  });

describe('the encoder-decoder template (Keras RNN guide)', () => {
  const g = tpl('encoder-decoder');

  it('Python unpacks the encoder and starts the decoder from its states', () => {
    expect(modelPart(py(g), 'encoder_input = ', 'model.summary()')).toBe(
      [
        'encoder_input = keras.Input(shape=(None,), name="encoder_input")',
        'decoder_input = keras.Input(shape=(None,), name="decoder_input")',
        '',
        'encoder_embedding = layers.Embedding(1000, 64, name="encoder_embedding")(encoder_input)',
        'encoder_output, encoder_state_h, encoder_state_c = layers.LSTM(',
        '    64,',
        '    return_state=True,',
        '    name="encoder",',
        ')(encoder_embedding)',
        'decoder_embedding = layers.Embedding(2000, 64, name="decoder_embedding")(decoder_input)',
        'decoder = layers.LSTM(64, name="decoder")(',
        '    decoder_embedding, initial_state=[encoder_state_h, encoder_state_c]',
        ')',
        'dense = layers.Dense(10, name="dense")(decoder)',
        '',
        'model = keras.Model(',
        '    inputs=[encoder_input, decoder_input],',
        '    outputs=dense,',
        '    name="encoder_decoder",',
        ')',
        '',
      ].join('\n'),
    );
  });

  it('TypeScript destructures the states it reads and applies the decoder to [sequence, ...states]', () => {
    expect(modelPart(ts(g), 'const encoderInput = ', 'model.summary();')).toBe(
      [
        "const encoderInput = tf.input({ shape: [null], name: 'encoder_input' });",
        "const decoderInput = tf.input({ shape: [null], name: 'decoder_input' });",
        '',
        '// Each layer is created, then applied to the tensor(s) it reads.',
        'const encoderEmbedding = tf.layers',
        "  .embedding({ inputDim: 1000, outputDim: 64, name: 'encoder_embedding' })",
        '  .apply(encoderInput) as tf.SymbolicTensor;',
        // The encoder's own output is read by nothing: a hole, so the program has no unused variable.
        'const [, encoderStateH, encoderStateC] = tf.layers',
        "  .lstm({ units: 64, recurrentActivation: 'sigmoid', returnState: true, name: 'encoder' })",
        '  .apply(encoderEmbedding) as tf.SymbolicTensor[];',
        'const decoderEmbedding = tf.layers',
        "  .embedding({ inputDim: 2000, outputDim: 64, name: 'decoder_embedding' })",
        '  .apply(decoderInput) as tf.SymbolicTensor;',
        "// 'decoder' starts from the initial states encoderStateH, encoderStateC (Keras: initial_state=[...]).",
        'const decoder = tf.layers',
        "  .lstm({ units: 64, recurrentActivation: 'sigmoid', name: 'decoder' })",
        '  .apply([decoderEmbedding, encoderStateH, encoderStateC]) as tf.SymbolicTensor;',
        "const dense = tf.layers.dense({ units: 10, name: 'dense' }).apply(decoder) as tf.SymbolicTensor;",
        '',
        'const model = tf.model({',
        "  name: 'encoder_decoder',",
        '  inputs: [encoderInput, decoderInput],',
        '  outputs: dense,',
        '});',
        '',
      ].join('\n'),
    );
  });

  it('the Code panel says why Functional in both languages', () => {
    for (const code of [py(g), ts(g)]) expect(code).toMatch(/2 inputs \('encoder_input', 'decoder_input'\)/);
  });
});

describe('MultiHeadAttention with use_causal_mask and return_attention_scores', () => {
  it('Python writes the call arguments in the call, not in the constructor, and unpacks both outputs', () => {
    expect(modelPart(py(causalMha()), 'mha_output', 'model = keras.Model(')).toBe(
      [
        'mha_output, mha_attention_scores = layers.MultiHeadAttention(2, 16, name="mha")(',
        '    tokens, tokens, use_causal_mask=True, return_attention_scores=True',
        ')',
        'out = layers.Dense(3, activation="softmax", name="out")(mha_output)',
        '',
        '',
      ].join('\n'),
    );
  });

  it("TypeScript keeps them in the custom class's config and names only the output it reads", () => {
    expect(modelPart(ts(causalMha()), 'const [mhaOutput', 'const model = tf.model(')).toBe(
      [
        'const [mhaOutput] = layerlab',
        "  .multiHeadAttention({ numHeads: 2, keyDim: 16, useCausalMask: true, returnAttentionScores: true, name: 'mha' })",
        '  .apply([tokens, tokens]) as tf.SymbolicTensor[];',
        "const out = tf.layers.dense({ units: 3, activation: 'softmax', name: 'out' }).apply(mhaOutput) as tf.SymbolicTensor;",
        '',
        '',
      ].join('\n'),
    );
  });

  it('a call argument at its default is not written; one output is not unpacked', () => {
    const g = buildGraph('attn', (b) => {
      const x = b.add('Input', { shape: [8, 16] }, 'tokens');
      b.add('MultiHeadAttention', { num_heads: 2, key_dim: 16, use_causal_mask: true }, 'mha', [x]);
    });
    expect(py(g)).toContain('mha = layers.MultiHeadAttention(2, 16, name="mha")(tokens, tokens, use_causal_mask=True)\n');
    expect(py(g)).not.toContain('return_attention_scores');
    expect(ts(g)).toContain(
      "const mha = layerlab\n  .multiHeadAttention({ numHeads: 2, keyDim: 16, useCausalMask: true, name: 'mha' })\n  .apply([tokens, tokens]) as tf.SymbolicTensor;",
    );
  });

  it('each reader gets the variable of the output its edge reads (the scores feed a Flatten)', () => {
    const g = attentionScores();
    expect(py(g)).toContain('flat_scores = layers.Flatten(name="flat_scores")(mha_attention_scores)\n');
    expect(py(g)).toContain('pool = layers.GlobalAveragePooling1D(name="pool")(mha_output)\n');
    expect(ts(g)).toContain('const [mhaOutput, mhaAttentionScores] = layerlab');
    expect(ts(g)).toContain('.apply(mhaAttentionScores) as tf.SymbolicTensor;');
  });
});

describe('model outputs, shared layers and names', () => {
  it('a recurrent layer reads its state as initial_state; a state read elsewhere is that variable', () => {
    const g = statesRead();
    expect(py(g)).toContain('gru = layers.GRU(4, reset_after=False, name="gru")(\n    enc_output, initial_state=[enc_state_h]\n)\n');
    expect(py(g)).toContain('state_flag = layers.Dense(1, activation="sigmoid", name="state_flag")(enc_state_c)\n');
    expect(ts(g)).toContain('.apply([encOutput, encStateH]) as tf.SymbolicTensor;');
  });

  it('a shared layer with several outputs: each call unpacks its own', () => {
    const g = sharedStates();
    const code = py(g);
    expect(code).toContain('enc_output, enc_state_h, enc_state_c = enc_layer(left)\n');
    expect(code).toContain('enc_output_2, enc_state_h_2, enc_state_c_2 = enc_layer(right)\n');
    expect(code).toContain('cat = layers.Concatenate(name="cat")([enc_state_h, enc_state_h_2])\n');
    const t = ts(g);
    expect(t).toContain('const [, encStateH] = encLayer.apply(left) as tf.SymbolicTensor[];\n');
    expect(t).toContain('const [, encStateH_2, encStateC_2] = encLayer.apply(right) as tf.SymbolicTensor[];\n');
  });

  it('outputs are analysis.outputTensors: a listed { node, output } first, then every output of a layer nothing reads', () => {
    const g = sharedStates();
    const tensors = analyze(g).outputTensors;
    expect(tensors.map((t) => `${g.nodes.find((n) => n.id === t.node)!.name}:${t.output}`)).toEqual(['enc:2', 'same:0', 'summary_rnn:0', 'summary_rnn:1']);
    const code = py(g);
    expect(code).toContain('    outputs=[enc_state_c_2, same, summary_rnn_output, summary_rnn_state],\n');
    // A list longer than a line is split as Black splits it.
    expect(code).toContain(
      '    loss=[\n        "mean_squared_error",\n        "binary_crossentropy",\n        "mean_squared_error",\n        "mean_squared_error",\n    ],\n',
    );
    expect(code).toContain('    metrics=[["mae"], ["accuracy"], ["mae"], ["mae"]],\n');
    // One label array per output tensor, of that tensor's shape, named in its comment.
    expect(code).toContain(
      [
        'y = [',
        '    np.random.randn(num_samples, 4).astype("float32"),  # \'enc\' state_c: random normal targets',
        '    np.random.randint(0, 2, size=(num_samples, 1)).astype("float32"),  # \'same\': random 0 or 1',
        '    np.random.randn(num_samples, 3).astype("float32"),  # \'summary_rnn\' output: random normal targets',
        '    np.random.randn(num_samples, 3).astype("float32"),  # \'summary_rnn\' state: random normal targets',
        ']',
      ].join('\n'),
    );
    const t = ts(g);
    expect(t).toContain('  outputs: [encStateC_2, same, summaryRnnOutput, summaryRnnState],\n');
    expect(t).toContain("  loss: ['meanSquaredError', 'binaryCrossentropy', 'meanSquaredError', 'meanSquaredError'],\n");
    expect(
      t
        .match(/^const ys = \[\n((?: {2}.*\n)*)\];/m)![1]
        .split('\n')
        .filter(Boolean),
    ).toHaveLength(4);
  });

  it('TypeScript metrics have one key per layer name: tfjs names every output of a layer after it (no duplicate key)', () => {
    const t = ts(sharedStates());
    expect(t).toContain("  metrics: { enc: 'mae', same: 'accuracy', summary_rnn: 'mae' },\n");
  });

  it('a loss chosen for a further output by its training name (core trainingOutputs) is what the code compiles', () => {
    const g = sharedStates();
    const settings = { ...DEFAULT_TRAINING, losses: { summary_rnn_state: 'classes' as const } };
    expect(py(g, settings)).toContain(
      '    loss=[\n        "mean_squared_error",\n        "binary_crossentropy",\n        "mean_squared_error",\n        "sparse_categorical_crossentropy",\n    ],\n',
    );
    expect(ts(g, settings)).toContain("'meanSquaredError', 'sparseCategoricalCrossentropy'],");
  });

  it('variables for outputs stay unique next to a layer already named like one', () => {
    const g = buildGraph('clash', (b) => {
      const x = b.add('Input', { shape: [5, 3] }, 'seq');
      const enc = b.add('LSTM', { units: 2, return_state: true }, 'enc', [x]);
      b.add('Dense', { units: 1 }, 'enc_state_h', [{ node: enc, output: 1 }]);
      b.add('Dense', { units: 1 }, 'encStateC', [{ node: enc, output: 2 }]);
    });
    const code = py(g);
    expect(code).toContain('enc_output, enc_state_h, enc_state_c = layers.LSTM(2, return_state=True, name="enc")(\n    seq\n)\n');
    expect(code).toContain('enc_state_h_2 = layers.Dense(1, name="enc_state_h")(enc_state_h)\n');
    expect(code).toContain('enc_state_c_2 = layers.Dense(1, name="encStateC")(enc_state_c)\n');
    const t = ts(g);
    expect(t).toContain('const [, encStateH, encStateC] = tf.layers');
    expect(t).toContain(".dense({ units: 1, name: 'enc_state_h' }).apply(encStateH) as tf.SymbolicTensor;");
    expect(t).toMatch(/const encStateC_2 = tf\.layers[\s\S]*?name: 'encStateC'[\s\S]*?\.apply\(encStateC\)/);
  });

  it('outputs whose losses differ in shape (a sequence next to its states): TypeScript averages each loss per sample', () => {
    const t = ts(sequenceAndStates());
    expect(t).toContain('  outputs: [lstmOutput, lstmStateH, lstmStateC],\n');
    expect(t).toContain('here (batch, 5) and (batch): average each one per sample first');
    expect(t).toContain(
      [
        'model.lossFunctions = model.lossFunctions.map((loss) => (yTrue: tf.Tensor, yPred: tf.Tensor) => {',
        '  const l = loss(yTrue, yPred);',
        '  return l.rank > 1 ? l.mean(Array.from({ length: l.rank - 1 }, (_, i) => i + 1)) : l;',
        '});',
      ].join('\n'),
    );
    // Only where tfjs needs it: outputs whose losses share one shape compile as before.
    for (const g of [sharedStates(), attentionScores(), tpl('encoder-decoder'), tpl('two-headed')]) expect(ts(g)).not.toContain('lossFunctions');
  });
});
