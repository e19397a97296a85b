/**
 * Training on dummy data with the npm tfjs on the cpu backend (tiny models only: cpu is slow).
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { analyze, DEFAULT_TRAINING, type Graph, type Params, type TrainingSettings } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { buildModel } from '../../src/runtime/buildModel';
import { makeDummyData } from '../../src/runtime/dummyData';
import { summarizeModel, trainModel } from '../../src/runtime/train';
import type { TrainProgress } from '../../src/runtime/protocol';
import { cpuBackend } from '../helpers/tfjs';

beforeAll(cpuBackend);
afterEach(() => vi.restoreAllMocks());

const settings = (s: Partial<TrainingSettings> = {}): TrainingSettings => ({
  ...DEFAULT_TRAINING,
  epochs: 2,
  batchSize: 16,
  samples: 64,
  learningRate: 0.01,
  ...s,
});

/** Input [4] → Dense 8 relu → Dense `units` with `activation`. */
const tiny = (units = 3, activation = 'softmax', extra: Params = {}): Graph =>
  buildGraph('tiny', (b) => {
    const x = b.add('Input', { shape: [4] }, 'x');
    const h = b.add('Dense', { units: 8, activation: 'relu' }, 'hidden', [x]);
    b.add('Dense', { units, activation, ...extra }, 'out', [h]);
  });

/** Two inputs joined by Concatenate, two heads: a 3-class softmax and a 2-value regression. */
const twoByTwo = (): Graph =>
  buildGraph('two_by_two', (b) => {
    const a = b.add('Input', { shape: [4] }, 'a');
    const c = b.add('Input', { shape: [3] }, 'b');
    const j = b.add('Concatenate', {}, 'joined', [a, c]);
    const h = b.add('Dense', { units: 6, activation: 'relu' }, 'h', [j]);
    b.add('Dense', { units: 3, activation: 'softmax' }, 'classes', [h]);
    b.add('Dense', { units: 2 }, 'values', [h]);
  });

/** Records what `compile` receives (the Sequential wrapper forwards its args to an inner LayersModel). */
function spyCompile() {
  return vi.spyOn(tf.LayersModel.prototype, 'compile');
}

describe('trainModel', () => {
  it('trains a tiny classifier for 2 epochs with finite loss, reporting every batch and epoch', async () => {
    const batches: TrainProgress[] = [];
    const epochs: TrainProgress[] = [];
    const r = await trainModel(tf, tiny(), settings(), { onBatch: (p) => batches.push(p), onEpoch: (p) => epochs.push(p) });
    expect(batches.map((p) => [p.epoch, p.batch])).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
      [0, 4],
      [1, 1],
      [1, 2],
      [1, 3],
      [1, 4],
    ]);
    expect(batches.every((p) => p.batchesPerEpoch === 4 && p.epochs === 2 && Number.isFinite(p.loss))).toBe(true);
    expect(epochs.map((p) => [p.epoch, p.batch])).toEqual([
      [0, 4],
      [1, 4],
    ]);
    expect(epochs.map((p) => p.elapsed)).toEqual([...epochs.map((p) => p.elapsed)].sort((a, b) => a - b));
    expect(r.stopped).toBe(false);
    expect(r.epochsRun).toBe(2);
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(r.metricName).toBe('acc');
    expect(r.metric).toBeGreaterThanOrEqual(0);
    expect(r.metric).toBeLessThanOrEqual(1);
    expect(r.logs).toEqual(epochs[1].logs);
  });

  it('ends within one batch of a stop request', async () => {
    let calls = 0;
    const r = await trainModel(tf, tiny(), settings({ epochs: 5 }), { onBatch: () => calls++, shouldStop: () => calls >= 1 });
    expect(calls).toBe(1);
    expect(r.stopped).toBe(true);
    expect(r.epochsRun).toBe(1);
    expect(Number.isFinite(r.loss)).toBe(true);
  });

  it('sees a stop that arrives as a separate event-loop task after the batch', async () => {
    let stop = false;
    let calls = 0;
    const r = await trainModel(tf, tiny(), settings({ epochs: 5 }), {
      onBatch: () => {
        if (++calls === 1) setImmediate(() => (stop = true));
      },
      shouldStop: () => stop,
    });
    expect(r.stopped).toBe(true);
    expect(calls).toBeLessThanOrEqual(2);
  });

  it('picks sparse categorical cross-entropy, binary cross-entropy and mean squared error from the output layer', async () => {
    const compile = spyCompile();
    const binary = await trainModel(tf, tiny(1, 'sigmoid'), settings({ epochs: 1 }));
    const regression = await trainModel(tf, tiny(2, 'linear'), settings({ epochs: 1 }));
    const classes = await trainModel(tf, tiny(3, 'softmax'), settings({ epochs: 1 }));
    expect(compile.mock.calls.map(([args]) => [args.loss, args.metrics])).toEqual([
      [['binaryCrossentropy'], ['accuracy']],
      [['meanSquaredError'], ['mae']],
      [['sparseCategoricalCrossentropy'], ['accuracy']],
    ]);
    expect([binary.metricName, regression.metricName, classes.metricName]).toEqual(['acc', 'mae', 'acc']);
    for (const r of [binary, regression, classes]) expect(Number.isFinite(r.loss)).toBe(true);
  });

  it('makes labels tfjs accepts for each target: class ids in [0, k), 0/1, standard normal', () => {
    const g = twoByTwo();
    const bin = tiny(1, 'sigmoid');
    const d1 = makeDummyData(tf, g, 500);
    const d2 = makeDummyData(tf, bin, 500);
    try {
      expect(d1.xs.map((x) => x.shape)).toEqual([
        [500, 4],
        [500, 3],
      ]);
      expect(d1.ys.map((y) => y.shape)).toEqual([
        [500, 1],
        [500, 2],
      ]);
      const cls = d1.ys[0].dataSync();
      expect(cls.every((v) => Number.isInteger(v) && v >= 0 && v < 3)).toBe(true);
      expect(new Set(cls).size).toBe(3);
      const reg = Array.from(d1.ys[1].dataSync());
      const mean = reg.reduce((s, v) => s + v, 0) / reg.length;
      expect(Math.abs(mean)).toBeLessThan(0.2);
      expect(reg.some((v) => v < 0)).toBe(true);
      expect(new Set(d2.ys[0].dataSync())).toEqual(new Set([0, 1]));
    } finally {
      tf.dispose([...d1.xs, ...d1.ys, ...d2.xs, ...d2.ys]);
    }
  });

  it('trains a two-input, two-output functional graph, logging each output', async () => {
    const compile = spyCompile();
    const r = await trainModel(tf, twoByTwo(), settings({ epochs: 1 }));
    expect(compile.mock.calls[0][0].loss).toEqual(['sparseCategoricalCrossentropy', 'meanSquaredError']);
    expect(compile.mock.calls[0][0].metrics).toEqual({ classes: 'accuracy', values: 'mae' });
    expect(Object.keys(r.logs).sort()).toEqual(['classes_acc', 'classes_loss', 'loss', 'values_loss', 'values_mae']);
    expect(r.metricName).toBe('classes_acc');
    expect(r.logs.loss).toBeCloseTo(r.logs.classes_loss + r.logs.values_loss, 4);
  });

  it('trains a tiny Conv2D model on cpu', async () => {
    const g = buildGraph('tiny_cnn', (b) => {
      const x = b.add('Input', { shape: [8, 8, 1] }, 'img');
      const c = b.add('Conv2D', { filters: 2, kernel_size: [3, 3], strides: [2, 2], padding: 'same', activation: 'relu' }, 'conv', [x]);
      const f = b.add('Flatten', {}, 'flat', [c]);
      b.add('Dense', { units: 2, activation: 'softmax' }, 'out', [f]);
    });
    const r = await trainModel(tf, g, settings({ epochs: 1, samples: 32 }));
    expect(Number.isFinite(r.loss)).toBe(true);
  });

  it('rejects an invalid graph with its first diagnostic, and bad settings, leaving no tensors', async () => {
    const base = tf.memory().numTensors;
    const bad = tiny(3, 'softmax');
    const broken: Graph = { ...bad, edges: bad.edges.slice(1) };
    const first = analyze(broken).diagnostics[0].message;
    await expect(trainModel(tf, broken, settings())).rejects.toThrow(first);
    await expect(trainModel(tf, tiny(), settings({ batchSize: 0 }))).rejects.toThrow('Batch size must be at least 1 (got 0).');
    await expect(trainModel(tf, tiny(), settings({ epochs: 1e21 }))).rejects.toThrow('Epochs must be at most 10,000 (got 1e+21).');
    expect(tf.memory().numTensors).toBe(base);
  });

  it('returns tf.memory().numTensors to its baseline after 5 train/dispose cycles (every optimizer)', async () => {
    await trainModel(tf, tiny(), settings({ epochs: 1 })); // warm-up: tfjs keeps a few cached scalars
    const base = tf.memory().numTensors;
    const optimizers = ['adam', 'sgd', 'rmsprop', 'adam', 'sgd'] as const;
    for (const optimizer of optimizers) await trainModel(tf, optimizer === 'sgd' ? twoByTwo() : tiny(), settings({ epochs: 1, optimizer }));
    expect(tf.memory().numTensors).toBe(base);
  });
});

describe('summarizeModel', () => {
  it("returns tfjs's rows, totals and summary text, and disposes the model", () => {
    const base = tf.memory().numTensors;
    const s = summarizeModel(tf, tiny());
    expect(s.rows).toEqual([
      { name: 'hidden', className: 'Dense', outputShape: [null, 8], params: 40 },
      { name: 'out', className: 'Dense', outputShape: [null, 3], params: 27 },
    ]);
    expect(s.totals).toEqual({ total: 67, trainable: 67, nonTrainable: 0 });
    expect(s.text).toMatch(/Total params: 67/);
    expect(s.text).toMatch(/hidden \(Dense\)/);
    expect(tf.memory().numTensors).toBe(base);
  });

  it('lists the InputLayers of a functional model', () => {
    const s = summarizeModel(tf, twoByTwo());
    expect(s.rows.map((r) => [r.name, r.className])).toEqual([
      ['a', 'InputLayer'],
      ['b', 'InputLayer'],
      ['joined', 'Concatenate'],
      ['h', 'Dense'],
      ['classes', 'Dense'],
      ['values', 'Dense'],
    ]);
  });

  it('refuses an invalid graph with its first diagnostic, and a graph of Inputs only', () => {
    const g = twoByTwo();
    const broken: Graph = { ...g, edges: g.edges.filter((e) => !e.target.endsWith('_2')) };
    const first = analyze(broken).diagnostics[0].message;
    expect(first).toBeTruthy();
    expect(() => buildModel(tf, broken)).toThrow(first);
    const inputsOnly: Graph = { ...g, nodes: g.nodes.filter((n) => n.kind === 'Input'), edges: [] };
    expect(() => buildModel(tf, inputsOnly)).toThrow(/no layers yet/);
  });

  it('builds a model whose inputs and outputs follow the graph order', () => {
    const m = buildModel(tf, twoByTwo());
    try {
      expect(m.inputNames).toEqual(['a', 'b']);
      expect(m.outputNames).toEqual(['classes', 'values']);
      expect(m.name).toBe('two_by_two');
    } finally {
      m.dispose();
    }
  });
});
