/**
 * The runtime with layers that return several tensors (an LSTM / GRU with return_state, MultiHeadAttention with
 * return_attention_scores) and recurrent layers started from initial states: buildModel wires each edge to the
 * output it reads and the model's outputs are the core's output tensors (shapes asked of tfjs), and training makes
 * one label tensor and one loss per output tensor (core `trainingOutputs`), on Node's cpu backend.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, TEMPLATES, trainingOutputs, withTrialSizes, type Graph } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { buildModel, disposeModel } from '../../src/runtime/buildModel';
import { makeDummyData } from '../../src/runtime/dummyData';
import { compileForTargets, trainModel } from '../../src/runtime/train';
import { cpuBackend } from '../helpers/tfjs';

beforeAll(cpuBackend);

/** The encoder–decoder template with every size small: units 4, embeddings of 4 over 20 and 30 tokens. */
function tinyEncoderDecoder(): Graph {
  const g = TEMPLATES.find((t) => t.id === 'encoder-decoder')!.build();
  const small: Record<string, Record<string, number>> = { LSTM: { units: 4 }, Embedding: { output_dim: 4 } };
  return {
    ...g,
    nodes: g.nodes.map((n) => ({
      ...n,
      params: {
        ...n.params,
        ...small[n.kind],
        ...(n.name === 'encoder_embedding' ? { input_dim: 20 } : n.name === 'decoder_embedding' ? { input_dim: 30 } : {}),
      },
    })),
  };
}

/** An LSTM whose three outputs are all model outputs (nothing reads it), and a Dense reading its state_c. */
const lstmStates = (): Graph =>
  buildGraph('lstm_states', (b) => {
    const x = b.add('Input', { shape: [6, 3] }, 'x');
    const lstm = b.add('LSTM', { units: 4, return_state: true }, 'lstm', [x]);
    b.add('Dense', { units: 2, activation: 'softmax' }, 'head', [{ node: lstm, output: 2 }]);
  });

/** The tfjs output shapes of a built model, in order. */
const outputShapes = (m: tf.LayersModel) => m.outputs.map((o) => o.shape);

/** The core's shape of each output tensor, in order. */
const coreShapes = (g: Graph) => {
  const a = analyze(g);
  return a.outputTensors.map((r) => (r.output === 0 ? a.nodes.get(r.node)!.outputShape : a.nodes.get(r.node)!.moreOutputs[r.output - 1]));
};

describe('buildModel', () => {
  it("outputs every output tensor the core lists, with the core's shapes: a return_state LSTM nothing reads outputs its states", () => {
    const g = lstmStates();
    // lstm is read (its state_c), so it is not an output: head only.
    expect(analyze(g).outputTensors.length).toBe(1);
    const free = buildGraph('free_states', (b) => {
      const x = b.add('Input', { shape: [6, 3] }, 'x');
      b.add('GRU', { units: 5, return_state: true, return_sequences: true }, 'gru', [x]);
    });
    for (const graph of [g, free]) {
      const m = buildModel(tf, graph);
      try {
        expect(outputShapes(m)).toEqual(coreShapes(graph));
      } finally {
        disposeModel(tf, m);
      }
    }
    expect(coreShapes(free)).toEqual([
      [null, 6, 5],
      [null, 5],
    ]);
  });

  it('a Dense reading state_c computes on the LSTM state tfjs returns (not its output)', () => {
    const g = lstmStates();
    const m = buildModel(tf, g);
    try {
      const lstm = m.getLayer('lstm');
      const probe = tf.model({ inputs: m.inputs, outputs: lstm.output as tf.SymbolicTensor[] });
      const x = tf.randomNormal([3, 6, 3], 0, 1, 'float32', 4);
      const [, , c] = probe.predict(x) as tf.Tensor[];
      const head = m.getLayer('head');
      const expected = head.apply(c) as tf.Tensor;
      expect(Array.from((m.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from(expected.dataSync()));
    } finally {
      disposeModel(tf, m);
    }
  });

  it.each(['LSTM', 'GRU', 'SimpleRNN'])(
    '%s without return_sequences: its output and its state (one tfjs tensor) both read, or both model outputs, predict runs',
    (kind) => {
      // tfjs 4.22 returns one tensor object for both; its predict disposes it once either's readers are done.
      const g = buildGraph('aliased', (b) => {
        const x = b.add('Input', { shape: [4, 3] }, 'x');
        const rnn = b.add(kind, { units: 2, return_state: true }, 'rnn', [x]);
        b.add('Dense', { units: 1 }, 'from_output', [rnn]);
        b.add('Dense', { units: 1 }, 'from_state', [{ node: rnn, output: 1 }]);
      });
      const free = buildGraph('free', (b) => {
        const x = b.add('Input', { shape: [4, 3] }, 'x');
        b.add(kind, { units: 2, return_state: true }, 'rnn', [x]);
      });
      // The same graph with the RNN's output listed as a model output and its state read by a layer.
      const listed: Graph = { ...g, outputs: [g.nodes[1].id] };
      for (const graph of [g, free, listed]) {
        const m = buildModel(tf, graph);
        try {
          const ys = m.predict(tf.randomNormal([2, 4, 3], 0, 1, 'float32', 3)) as tf.Tensor[];
          expect(ys.map((y) => y.shape.slice(1))).toEqual(coreShapes(graph).map((s) => s!.slice(1)));
          for (const y of ys) expect(y.dataSync().every(Number.isFinite)).toBe(true);
        } finally {
          disposeModel(tf, m);
        }
      }
    },
  );

  it('a recurrent layer given initial states starts from them (tfjs RNN.apply([x, h, c])), also at a second call of a shared layer', () => {
    const g = buildGraph('shared_states', (b) => {
      const x = b.add('Input', { shape: [5, 3] }, 'x');
      const y = b.add('Input', { shape: [7, 3] }, 'y');
      const enc = b.add('LSTM', { units: 4, return_state: true }, 'enc', [x]);
      const dec = b.add('LSTM', { units: 4, return_sequences: true }, 'dec', [y, { node: enc, output: 1 }, { node: enc, output: 2 }]);
      // The decoder again, on the other sequence, with the same states: one tfjs layer, two calls.
      b.call(dec, [x, { node: enc, output: 1 }, { node: enc, output: 2 }]);
    });
    const a = analyze(g);
    expect(a.valid).toBe(true);
    const m = buildModel(tf, g);
    try {
      expect(outputShapes(m)).toEqual(coreShapes(g));
      expect(m.getLayer('dec').inboundNodes.length).toBe(2);
      // The decoder's output with the encoder's states differs from the decoder started from zeros.
      const xs = tf.randomNormal([2, 5, 3], 0, 1, 'float32', 5);
      const ys = tf.randomNormal([2, 7, 3], 0, 1, 'float32', 6);
      const [fromStates] = m.predict([xs, ys]) as tf.Tensor[];
      const fromZeros = m.getLayer('dec').apply(ys) as tf.Tensor;
      const h = (m.getLayer('enc').apply(xs) as tf.Tensor[]).slice(1);
      const started = m.getLayer('dec').apply([ys, ...h]) as tf.Tensor;
      expect(Array.from(fromStates.dataSync())).toEqual(Array.from(started.dataSync()));
      expect(Array.from(fromStates.dataSync())).not.toEqual(Array.from(fromZeros.dataSync()));
    } finally {
      disposeModel(tf, m);
    }
  });

  it('MultiHeadAttention with return_attention_scores and use_causal_mask: a layer reads the scores, another output is the output', () => {
    const g = buildGraph('mha_scores', (b) => {
      const x = b.add('Input', { shape: [4, 6] }, 'x');
      const mha = b.add('MultiHeadAttention', { num_heads: 2, key_dim: 3, return_attention_scores: true, use_causal_mask: true }, 'mha', [x]);
      b.add('Flatten', {}, 'flat', [{ node: mha, output: 1 }]);
      b.add('Dense', { units: 1 }, 'out', [mha]);
    });
    expect(analyze(g).valid).toBe(true);
    const m = buildModel(tf, g);
    try {
      expect(outputShapes(m)).toEqual(coreShapes(g));
      expect(m.getLayer('flat').outputShape).toEqual([null, 2 * 4 * 4]);
      // The scores read by Flatten are causal: above the diagonal, zero.
      const [flat] = m.predict(tf.randomNormal([1, 4, 6], 0, 1, 'float32', 7)) as tf.Tensor[];
      const w = flat.reshape([2, 4, 4]).arraySync() as number[][][];
      for (const head of w) head.forEach((row, i) => row.forEach((v, j) => j > i && expect(v).toBe(0)));
    } finally {
      disposeModel(tf, m);
    }
  });
});

describe('training with several output tensors', () => {
  it('one label tensor per output tensor, shaped by its own shape; further outputs are regression under <layer>_<output> names', () => {
    const g = buildGraph('free_lstm', (b) => {
      const x = b.add('Input', { shape: [6, 3] }, 'x');
      b.add('LSTM', { units: 4, return_state: true, activation: 'sigmoid' }, 'lstm', [x]);
    });
    const a = analyze(g);
    const outs = trainingOutputs(g, a, { lstm_state_h: 'regression' });
    expect(outs.map((o) => [o.name, o.target.kind, o.target.labelShape])).toEqual([
      ['lstm', 'regression', [4]],
      ['lstm_state_h', 'regression', [4]],
      ['lstm_state_c', 'regression', [4]],
    ]);
    const d = makeDummyData(tf, g, 10, a, 'task');
    try {
      expect(d.ys.map((y) => y.shape)).toEqual([
        [10, 4],
        [10, 4],
        [10, 4],
      ]);
      expect(d.names).toEqual(['lstm', 'lstm_state_h', 'lstm_state_c']);
    } finally {
      tf.dispose([...d.xs, ...d.ys]);
    }
  });

  it("outputs whose losses differ in shape (a sequence next to a vector) train with tfjs's total = the sum of each output's mean loss", async () => {
    // tfjs 4.22 adds the outputs' unreduced losses, (batch, steps) + (batch), before the mean: compileForTargets makes
    // each a per-sample loss. The training step's total must equal evaluate's (each output's mean, summed).
    const g = buildGraph('ranks', (b) => {
      const x = b.add('Input', { shape: [5, 3] }, 'x');
      const seq = b.add('LSTM', { units: 4, return_sequences: true, return_state: true }, 'lstm', [x]);
      b.add('Dense', { units: 2 }, 'steps', [seq]);
      b.add('Dense', { units: 1, activation: 'sigmoid' }, 'flag', [{ node: seq, output: 1 }]);
    });
    const a = analyze(g);
    // The LSTM is read, so none of its outputs is a model output: steps (batch, 5, 2) and flag (batch, 1) are.
    expect(trainingOutputs(g, a).map((o) => [o.name, o.target.kind])).toEqual([
      ['steps', 'regression'],
      ['flag', 'binary'],
    ]);
    const m = buildModel(tf, g, a);
    const d = makeDummyData(tf, g, 6, a, 'task');
    const opt = tf.train.sgd(1e-9);
    try {
      compileForTargets(m, d.targets, opt, d.names);
      // Each output's loss as Keras defines it: the mean over every element (samples and positions).
      const [steps, flag] = m.predict(d.xs) as tf.Tensor[];
      const mse = tf.mean(tf.metrics.meanSquaredError(d.ys[0], steps)).dataSync()[0];
      const bce = tf.mean(tf.metrics.binaryCrossentropy(d.ys[1], flag)).dataSync()[0];
      // trainOnBatch reports the losses of the weights before its (here negligible) update: total, then per output.
      const [total, stepsLoss, flagLoss] = (await m.trainOnBatch(d.xs, d.ys)) as number[];
      // Within float32 rounding (1e-5): strings rounded to 5 places differed by one digit at a rounding boundary.
      expect(total).toBeCloseTo(mse + bce, 5);
      expect(stepsLoss).toBeCloseTo(mse, 5);
      expect(flagLoss).toBeCloseTo(bce, 5);
    } finally {
      disposeModel(tf, m);
      opt.dispose();
      tf.dispose([...d.xs, ...d.ys]);
    }
  });

  it('a model whose outputs are an LSTM and its states trains one epoch, logging a loss for each output', async () => {
    const g = buildGraph('lstm_outputs', (b) => {
      const x = b.add('Input', { shape: [5, 3] }, 'x');
      const lstm = b.add('LSTM', { units: 4, return_state: true }, 'lstm', [x]);
      b.add('Dense', { units: 3, activation: 'softmax' }, 'classes', [lstm]);
    });
    // classes is the one layer nothing reads; listing the states makes them outputs too.
    const graph: Graph = {
      ...g,
      outputs: [
        { node: g.nodes[1].id, output: 1 },
        { node: g.nodes[1].id, output: 2 },
      ],
    };
    expect(analyze(graph).outputTensors.length).toBe(3);
    const base = tf.memory().numTensors;
    const r = await trainModel(tf, graph, { epochs: 1, batchSize: 8, samples: 24, optimizer: 'adam', learningRate: 0.01, data: 'task' });
    expect(r.epochsRun).toBe(1);
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(Object.keys(r.logs).sort()).toEqual([
      'classes_acc',
      'classes_loss',
      'loss',
      'lstm_state_c_loss',
      'lstm_state_c_mae',
      'lstm_state_h_loss',
      'lstm_state_h_mae',
    ]);
    expect(r.metricName).toBe('lstm_state_h_mae');
    expect(tf.memory().numTensors).toBe(base);
  });

  it('the encoder–decoder (two Inputs of None length, states into the decoder) trains one epoch at its trial sizes', async () => {
    const g = tinyEncoderDecoder();
    const settings = {
      epochs: 1,
      batchSize: 8,
      samples: 16,
      optimizer: 'adam',
      learningRate: 0.01,
      data: 'task',
      trialSizes: { 'encoder_input[1]': 5, 'decoder_input[1]': 4 },
    } as const;
    const a = analyze(withTrialSizes(g, settings));
    expect(a.valid).toBe(true);
    const base = tf.memory().numTensors;
    const r = await trainModel(tf, g, settings);
    expect([r.epochsRun, r.stopped, Number.isFinite(r.loss)]).toEqual([1, false, true]);
    expect(tf.memory().numTensors).toBe(base);
  });

  it('an encoder whose output and states are both read trains (tfjs applies it again after the decoder started from its states)', async () => {
    const g = buildGraph('enc_dec_head', (b) => {
      const x = b.add('Input', { shape: [4, 3] }, 'x');
      const enc = b.add('GRU', { units: 3, return_state: true, return_sequences: true }, 'enc', [x]);
      b.add('SimpleRNN', { units: 3 }, 'dec', [x, { node: enc, output: 1 }]);
      b.add('GRU', { units: 2 }, 'head', [enc]);
    });
    const base = tf.memory().numTensors;
    const r = await trainModel(tf, g, { epochs: 1, batchSize: 4, samples: 8, optimizer: 'sgd', learningRate: 0.01, data: 'noise' });
    expect([r.epochsRun, Number.isFinite(r.loss)]).toEqual([1, true]);
    expect(tf.memory().numTensors).toBe(base);
  });

  it('on the wasm backend: MultiHeadAttention with the causal mask and its scores as an output, and an LSTM started from states, train one epoch', async () => {
    const g = buildGraph('wasm_states', (b) => {
      const x = b.add('Input', { shape: [4, 6] }, 'x');
      const mha = b.add('MultiHeadAttention', { num_heads: 2, key_dim: 3, return_attention_scores: true, use_causal_mask: true }, 'mha', [x]);
      const enc = b.add('LSTM', { units: 3, return_state: true }, 'enc', [mha]);
      b.add('LSTM', { units: 3 }, 'dec', [x, { node: enc, output: 1 }, { node: enc, output: 2 }]);
      b.add('Flatten', {}, 'scores', [{ node: mha, output: 1 }]);
      b.add('Dense', { units: 2, activation: 'softmax' }, 'head', [enc]);
    });
    expect(analyze(g).valid).toBe(true);
    expect(await tf.setBackend('wasm')).toBe(true);
    try {
      const r = await trainModel(tf, g, { epochs: 1, batchSize: 4, samples: 8, optimizer: 'adam', learningRate: 0.01, data: 'task' });
      expect([r.epochsRun, Number.isFinite(r.loss)]).toEqual([1, true]);
      expect(
        Object.keys(r.logs)
          .filter((k) => k.endsWith('_loss'))
          .sort(),
      ).toEqual(['dec_loss', 'head_loss', 'scores_loss']);
    } finally {
      await cpuBackend();
    }
  });

  it('MultiHeadAttention whose attention scores are an output trains one epoch (scores as regression)', async () => {
    const g = buildGraph('mha_train', (b) => {
      const x = b.add('Input', { shape: [4, 6] }, 'x');
      const mha = b.add('MultiHeadAttention', { num_heads: 2, key_dim: 3, return_attention_scores: true, use_causal_mask: true }, 'mha', [x]);
      b.add('GlobalAveragePooling1D', {}, 'pool', [mha]);
    });
    const graph: Graph = { ...g, outputs: [{ node: g.nodes[1].id, output: 1 }] };
    const outs = trainingOutputs(graph, analyze(graph));
    expect(outs.map((o) => [o.name, o.target.kind, o.shape])).toEqual([
      ['mha_attention_scores', 'regression', [null, 2, 4, 4]],
      ['pool', 'regression', [null, 6]],
    ]);
    const base = tf.memory().numTensors;
    const r = await trainModel(tf, graph, { epochs: 1, batchSize: 8, samples: 16, optimizer: 'sgd', learningRate: 0.01, data: 'noise' });
    expect([r.epochsRun, Number.isFinite(r.loss)]).toEqual([1, true]);
    expect(Object.keys(r.logs)).toContain('mha_attention_scores_loss');
    expect(tf.memory().numTensors).toBe(base);
  });
});
