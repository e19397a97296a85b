/**
 * Training behaviour the panel reports (cpu backend, tiny models): a loss that becomes NaN or infinite stops
 * training with where it happened; the learnable synthetic task's labels are one fixed function of the inputs
 * (a model fit on one draw predicts a fresh draw), balanced, and learnt (the loss falls well below chance),
 * while on noise they are not.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, DEFAULT_TRAINING, type Graph, type TrainingSettings } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { buildModel } from '../../src/runtime/buildModel';
import { makeDummyData } from '../../src/runtime/dummyData';
import { nonFiniteAdvice } from '../../src/panels/trainingAdvice';
import { timeTrainingSteps, trainModel } from '../../src/runtime/train';
import { cpuBackend } from '../helpers/tfjs';

beforeAll(cpuBackend);

const classifier = (k = 3): Graph =>
  buildGraph('clf', (b) => {
    const x = b.add('Input', { shape: [8] }, 'x');
    b.add('Dense', { units: k, activation: 'softmax' }, 'out', [b.add('Dense', { units: 32, activation: 'relu' }, 'h', [x])]);
  });

describe('non-finite loss', () => {
  it('stops training after the batch whose loss is NaN or infinite, saying where', async () => {
    // Linear layers and plain SGD at the largest learning rate the settings allow (10): each step
    // overshoots by a growing factor, so the loss overflows within the first epoch.
    const g = buildGraph('reg', (b) => {
      let x = b.add('Input', { shape: [16] }, 'x');
      for (let i = 0; i < 3; i++) x = b.add('Dense', { units: 64 }, `h${i}`, [x]);
      b.add('Dense', { units: 2 }, 'out', [x]);
    });
    const s: TrainingSettings = { ...DEFAULT_TRAINING, optimizer: 'sgd', learningRate: 10, epochs: 5, batchSize: 4, samples: 64 };
    const before = tf.memory().numTensors;
    const r = await trainModel(tf, g, s);
    expect(r.nonFinite).toBeDefined();
    expect(Number.isFinite(r.nonFinite!.loss)).toBe(false);
    expect(r.stopped).toBe(true);
    expect(r.nonFinite!.epoch).toBe(0); // it blows up within the first epoch
    expect(r.nonFinite!.batch).toBeLessThan(16);
    expect(r.epochsRun).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    expect(nonFiniteAdvice(r, s)).toMatch(
      new RegExp(
        `^The loss became (NaN \\(not a number\\)|infinite) in epoch 1, batch ${r.nonFinite!.batch}, so training stopped there; the model in the editor is unchanged\\. Try: lower the learning rate \\(10 → 1\\); use adam, which adapts its steps; add BatchNormalization after large layers\\.$`,
      ),
    );
  });

  it('reports no nonFinite for a healthy run', async () => {
    const r = await trainModel(tf, classifier(), { ...DEFAULT_TRAINING, epochs: 1, batchSize: 16, samples: 32 });
    expect(r.nonFinite).toBeUndefined();
    expect(r.stopped).toBe(false);
    expect(nonFiniteAdvice(r, DEFAULT_TRAINING)).toBeNull();
  });
});

describe('the learnable synthetic task', () => {
  it('is one fixed function of the inputs: a model fit on one draw predicts the labels of a fresh draw; classes balanced', async () => {
    const g = classifier(4);
    const a = analyze(g);
    const train = makeDummyData(tf, g, 512, a, 'task');
    const fresh = makeDummyData(tf, g, 256, a, 'task');
    expect(train.xs[0].shape).toEqual([512, 8]);
    expect(train.ys[0].shape).toEqual([512, 1]);
    expect(tf.min(train.xs[0]).dataSync()[0]).toBeGreaterThan(0);
    expect(tf.max(train.xs[0]).dataSync()[0]).toBeLessThan(1);
    const counts = [0, 0, 0, 0];
    for (const v of train.ys[0].dataSync()) counts[v]++;
    expect(Math.min(...counts)).toBeGreaterThan(40);
    const model = buildModel(tf, g, a);
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    await model.fit(train.xs[0], train.ys[0], { epochs: 40, batchSize: 32, verbose: 0 });
    const [, acc] = model.evaluate(fresh.xs[0], fresh.ys[0]) as tf.Scalar[];
    expect(acc.dataSync()[0]).toBeGreaterThan(0.55); // chance: 0.25
    model.dispose();
    tf.dispose([...train.xs, ...train.ys, ...fresh.xs, ...fresh.ys]);
  });

  it('makes 0/1 labels for a sigmoid output and standard-scale values for a regression, per output of a two-output model', () => {
    const g = buildGraph('two', (b) => {
      const x1 = b.add('Input', { shape: [3, 2] }, 'x1');
      const x2 = b.add('Input', { shape: [5] }, 'x2');
      const c = b.add('Concatenate', {}, 'cat', [b.add('Flatten', {}, 'f', [x1]), x2]);
      b.add('Dense', { units: 1, activation: 'sigmoid' }, 'bin', [c]);
      b.add('Dense', { units: 3 }, 'reg', [c]);
    });
    const d = makeDummyData(tf, g, 400, analyze(g), 'task');
    const [bin, reg] = d.ys;
    const b = bin.dataSync();
    expect(bin.shape).toEqual([400, 1]);
    expect([...b].every((v) => v === 0 || v === 1)).toBe(true);
    const ones = [...b].filter((v) => v === 1).length;
    expect(ones).toBeGreaterThan(100);
    expect(ones).toBeLessThan(300);
    expect(reg.shape).toEqual([400, 3]);
    const sd = Math.sqrt(tf.moments(reg).variance.dataSync()[0]);
    expect(sd).toBeGreaterThan(0.5);
    expect(sd).toBeLessThan(2);
    tf.dispose([...d.xs, ...d.ys]);
  });

  it('is learnt (loss falls far below chance), while noise labels are not', async () => {
    const s: TrainingSettings = { ...DEFAULT_TRAINING, epochs: 40, batchSize: 32, samples: 256, learningRate: 0.01 };
    const task = await trainModel(tf, classifier(), { ...s, data: 'task' });
    const noise = await trainModel(tf, classifier(), { ...s, data: 'noise', epochs: 5 });
    const chance = Math.log(3); // cross-entropy of a uniform guess over 3 classes
    expect(task.loss!).toBeLessThan(0.6 * chance);
    expect(task.metric!).toBeGreaterThan(0.65);
    expect(noise.loss!).toBeGreaterThan(0.9 * chance);
  });
});

describe('timeTrainingSteps (a backend trial)', () => {
  it('times a warm-up and 3 real steps of one batch, frees everything, and stops waiting when the budget ends', async () => {
    const g = classifier();
    const s = { ...DEFAULT_TRAINING, batchSize: 16, samples: 64 };
    await timeTrainingSteps(tf, g, s); // warm-up: tfjs caches a few scalars on first use
    const before = tf.memory().numTensors;
    const t = await timeTrainingSteps(tf, g, s, { steps: 3 });
    expect(t).toMatchObject({ batch: 16, steps: 3, timedOut: false });
    expect(t.samplesPerSec).toBeCloseTo((16 / t.stepMs) * 1000, 6);
    expect(tf.memory().numTensors).toBe(before);
    const late = await timeTrainingSteps(tf, g, s, { steps: 3, budgetMs: 0 });
    expect(late.timedOut).toBe(true);
    expect(late.steps).toBeLessThan(3);
    await new Promise((r) => setTimeout(r, 50)); // an abandoned step frees its model when it ends
    expect(tf.memory().numTensors).toBe(before);
  });
});
