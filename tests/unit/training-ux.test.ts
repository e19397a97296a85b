/**
 * Training behaviour the panel reports (cpu backend, tiny models): a loss that becomes NaN or infinite stops
 * training with where it happened; the learnable synthetic task's labels are a fixed function of the inputs,
 * balanced, and a model learns them (its loss falls well below chance), while on noise it cannot.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, DEFAULT_TRAINING, outputTarget, type Graph, type TrainingSettings } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { makeDummyData, makeTaskLabels } from '../../src/runtime/dummyData';
import { trainModel } from '../../src/runtime/train';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const classifier = (k = 3): Graph =>
  buildGraph('clf', (b) => {
    const x = b.add('Input', { shape: [8] }, 'x');
    b.add('Dense', { units: k, activation: 'softmax' }, 'out', [b.add('Dense', { units: 32, activation: 'relu' }, 'h', [x])]);
  });

describe('non-finite loss', () => {
  it('stops training after the batch whose loss is NaN or infinite, saying where', async () => {
    const g = buildGraph('reg', (b) => void b.add('Dense', { units: 2 }, 'out', [b.add('Input', { shape: [4] }, 'x')]));
    const s: TrainingSettings = { ...DEFAULT_TRAINING, optimizer: 'sgd', learningRate: 1e12, epochs: 5, batchSize: 4, samples: 64 };
    const before = tf.memory().numTensors;
    const r = await trainModel(tf, g, s);
    expect(r.nonFinite).toBeDefined();
    expect(Number.isFinite(r.nonFinite!.loss)).toBe(false);
    expect(r.stopped).toBe(true);
    expect(r.nonFinite!.epoch).toBe(0); // it blows up within the first epoch
    expect(r.nonFinite!.batch).toBeLessThan(16);
    expect(r.epochsRun).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reports no nonFinite for a healthy run', async () => {
    const r = await trainModel(tf, classifier(), { ...DEFAULT_TRAINING, epochs: 1, batchSize: 16, samples: 32 });
    expect(r.nonFinite).toBeUndefined();
    expect(r.stopped).toBe(false);
  });
});

describe('the learnable synthetic task', () => {
  it('labels are a fixed function of the inputs: same inputs, same labels, across calls', () => {
    const g = classifier(4);
    const a = analyze(g);
    const target = outputTarget(g.nodes.find((n) => n.name === 'out')!, a.nodes.get(a.outputs[0])!.outputShape!);
    const x = tf.randomUniform([200, 8], 0, 1, 'float32', 7);
    const y1 = makeTaskLabels(tf, target, [x]);
    const y2 = makeTaskLabels(tf, target, [x]);
    expect(y1.shape).toEqual([200, 1]);
    expect(Array.from(y1.dataSync())).toEqual(Array.from(y2.dataSync()));
    // Roughly balanced: each of the 4 classes appears.
    const counts = [0, 0, 0, 0];
    for (const v of y1.dataSync()) counts[v]++;
    expect(Math.min(...counts)).toBeGreaterThan(10);
    tf.dispose([x, y1, y2]);
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
    const s: TrainingSettings = { ...DEFAULT_TRAINING, epochs: 30, batchSize: 32, samples: 256, learningRate: 0.01 };
    const task = await trainModel(tf, classifier(), { ...s, data: 'task' });
    const noise = await trainModel(tf, classifier(), { ...s, data: 'noise', epochs: 5 });
    const chance = Math.log(3); // cross-entropy of a uniform guess over 3 classes
    expect(task.loss!).toBeLessThan(0.6 * chance);
    expect(task.metric!).toBeGreaterThan(0.75);
    expect(noise.loss!).toBeGreaterThan(0.9 * chance);
  });
});
