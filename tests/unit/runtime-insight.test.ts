/**
 * The look inside a training model (src/runtime/insight.ts): histograms, dead ReLU units and the first Conv2D's
 * filters, checked against tfjs's own weights and against activations computed here with plain tfjs ops.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING, type Graph, type TrainingSettings } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { buildModel, disposeModel } from '../../src/runtime/buildModel';
import { createRuntimeHost } from '../../src/runtime/host';
import { createInsight, histogramOf, HISTOGRAM_BINS, HISTOGRAM_SAMPLE, InsightSchedule, INSIGHT_MAX_FILTERS } from '../../src/runtime/insight';
import type { InsightSnapshot, RuntimeEvent } from '../../src/runtime/protocol';
import { trainModel } from '../../src/runtime/train';
import { cpuBackend } from '../helpers/tfjs';

beforeAll(cpuBackend);

const settings = (s: Partial<TrainingSettings> = {}): TrainingSettings => ({
  ...DEFAULT_TRAINING,
  epochs: 2,
  batchSize: 16,
  samples: 64,
  learningRate: 0.01,
  ...s,
});

/** Input [4] → Dense 8 relu → ReLU layer after a linear Dense 5 → Dense 3 softmax. */
const mlp = (): Graph =>
  buildGraph('mlp', (b) => {
    const x = b.add('Input', { shape: [4] }, 'x');
    const h = b.add('Dense', { units: 8, activation: 'relu' }, 'hidden', [x]);
    const l = b.add('Dense', { units: 5 }, 'linear', [h]);
    const r = b.add('ReLU', {}, 'relu', [l]);
    b.add('Dense', { units: 3, activation: 'softmax' }, 'out', [r]);
  });

/** Input 8×8×3 → Conv2D(filters) 3×3 relu → Flatten → Dense 2 softmax. */
const cnn = (filters = 4, channels = 3): Graph =>
  buildGraph('cnn', (b) => {
    const x = b.add('Input', { shape: [8, 8, channels] }, 'img');
    const c = b.add('Conv2D', { filters, kernel_size: [3, 3], activation: 'relu' }, 'conv', [x]);
    const f = b.add('Flatten', {}, 'flat', [c]);
    b.add('Dense', { units: 2, activation: 'softmax' }, 'out', [f]);
  });

describe('histogramOf', () => {
  it('bins values over [min, max] with the last bin closed, and gives their mean and standard deviation', () => {
    const values = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10];
    const h = histogramOf(values, values.length, 5);
    expect(h).toMatchObject({ min: 0, max: 10, sampled: 12, total: 12, nonFinite: 0 });
    // Bins of width 2: [0,2) [2,4) [4,6) [6,8) [8,10].
    expect(h.counts).toEqual([2, 2, 2, 2, 4]);
    const mean = values.reduce((a, b) => a + b) / values.length;
    expect(h.mean).toBeCloseTo(mean, 12);
    expect(h.std).toBeCloseTo(Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length), 12);
  });

  it('puts equal values in one bin, leaves out non-finite ones and counts them, and handles no values', () => {
    const h = histogramOf([2, 2, Number.NaN, 2, Number.POSITIVE_INFINITY]);
    expect(h.counts.reduce((a, b) => a + b)).toBe(3);
    expect(h.counts.filter((c) => c > 0)).toEqual([3]);
    expect(h).toMatchObject({ min: 2, max: 2, mean: 2, std: 0, nonFinite: 2, sampled: 5 });
    expect(histogramOf([])).toMatchObject({ sampled: 0, counts: new Array(HISTOGRAM_BINS).fill(0) });
  });
});

describe('InsightSchedule', () => {
  it('waits nine times the last cost (a tenth of the time) and at least the minimum interval', () => {
    const s = new InsightSchedule(0.1, 500);
    expect(s.due(0)).toBe(true);
    s.taken(1000, 200); // the next after 1,800 ms of training
    expect(s.due(2799)).toBe(false);
    expect(s.due(2800)).toBe(true);
    s.taken(3000, 10); // cheap: the minimum interval rules
    expect(s.due(3499)).toBe(false);
    expect(s.due(3500)).toBe(true);
    // The default: a twentieth, 19 times the cost.
    const d = new InsightSchedule();
    d.taken(0, 100);
    expect([d.due(1899), d.due(1900)]).toEqual([false, true]);
  });
});

describe('createInsight', () => {
  it("gives each layer's weight histograms from tfjs's weights and its activations as plain tfjs ops compute them", async () => {
    const graph = mlp();
    const model = buildModel(tf, graph);
    const xs = tf.randomUniform([40, 4], -1, 1, 'float32', 7);
    const probe = createInsight(tf, model, { graph, xs: [xs] });
    try {
      const snap = await probe.snapshot({ epoch: 0, batch: 0, seen: 0 });
      expect(snap.probeSamples).toBe(32);
      expect(snap.layers.map((l) => l.name)).toEqual(['hidden', 'linear', 'relu', 'out']);
      const hidden = model.getLayer('hidden');
      const [kernel, bias] = hidden.getWeights();
      const h = snap.layers[0];
      expect(h.weights.map((w) => [w.name, w.shape, w.trainable])).toEqual([
        ['kernel', [4, 8], true],
        ['bias', [8], true],
      ]);
      expect(h.weights[0].histogram).toEqual(histogramOf(kernel.dataSync(), 32));
      // The activations, computed without the probe model: relu(x·W + b) on the first 32 samples.
      const act = tf.relu(tf.matMul(xs.slice(0, 32), kernel).add(bias));
      const expected = histogramOf(act.dataSync());
      expect(h.activation.counts).toEqual(expected.counts);
      expect(h.activation.max).toBeCloseTo(expected.max, 5);
      expect(h.activation.mean).toBeCloseTo(expected.mean, 5);
      // Dead units: those whose output is 0 for all 32 probe samples.
      const perUnit = act.max(0).dataSync();
      expect(h.dead).toEqual({ units: 8, dead: Array.from(perUnit).filter((v) => !(v > 0)).length, samples: 32 });
      // A ReLU layer counts; a linear Dense and a softmax do not.
      expect(snap.layers.map((l) => !!l.dead)).toEqual([true, false, true, false]);
      expect(snap.filters).toBeUndefined();
      act.dispose(); // kernel and bias are the layer's own tensors (getWeights reads them)
    } finally {
      probe.dispose();
      disposeModel(tf, model);
      xs.dispose();
    }
  });

  it('finds the units a large negative bias kills, and frees every tensor it made', async () => {
    const graph = mlp();
    const model = buildModel(tf, graph);
    const xs = tf.randomUniform([16, 4], -1, 1, 'float32', 3);
    const hidden = model.getLayer('hidden');
    const [kernel] = hidden.getWeights();
    // Units 0, 3 and 5 get a bias no input in [-1, 1] can overcome; the others a bias that keeps them alive.
    const bias = tf.tensor1d([-100, 100, 100, -100, 100, -100, 100, 100]);
    hidden.setWeights([kernel, bias]);
    const before = tf.memory().numTensors;
    const probe = createInsight(tf, model, { graph, xs: [xs] });
    const snap = await probe.snapshot({ epoch: 0, batch: 0, seen: 0 });
    probe.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(snap.probeSamples).toBe(16);
    expect(snap.layers[0].dead).toEqual({ units: 8, dead: 3, samples: 16 });
    xs.dispose();
    disposeModel(tf, model);
  });

  it("draws the first Conv2D's filters from its kernel, channels last, at most INSIGHT_MAX_FILTERS", async () => {
    for (const [filters, channels] of [
      [4, 3],
      [40, 1],
    ]) {
      const graph = cnn(filters, channels);
      const model = buildModel(tf, graph);
      const xs = tf.randomUniform([8, 8, 8, channels]);
      const probe = createInsight(tf, model, { graph, xs: [xs] });
      const snap = await probe.snapshot({ epoch: 0, batch: 0, seen: 0 });
      const f = snap.filters!;
      expect(f).toMatchObject({ layer: 'conv', kernelSize: [3, 3], channels, count: filters });
      expect(f.values).toHaveLength(Math.min(filters, INSIGHT_MAX_FILTERS));
      const kernel = model.getLayer('conv').getWeights()[0];
      const k = kernel.arraySync() as number[][][][];
      const last = f.values.length - 1;
      // Filter `last`, row 2, column 1, channel 0: kernel[2][1][0][last].
      expect(f.values[last][(2 * 3 + 1) * channels]).toBeCloseTo(k[2][1][0][last], 6);
      expect(f.values[0]).toHaveLength(9 * channels);
      // The conv's activations (8 samples × 6 × 6 × filters) fit the sample; dead units are per filter.
      expect(snap.layers[0].dead?.units).toBe(filters);
      probe.dispose();
      xs.dispose();
      disposeModel(tf, model);
    }
  });

  it('samples a tensor larger than HISTOGRAM_SAMPLE values and says of how many', async () => {
    const graph = buildGraph('wide', (b) => {
      const x = b.add('Input', { shape: [64] }, 'x');
      b.add('Dense', { units: 300 }, 'wide', [x]);
    });
    const model = buildModel(tf, graph);
    const xs = tf.randomUniform([4, 64]);
    const probe = createInsight(tf, model, { graph, xs: [xs] });
    const kernel = (await probe.snapshot({ epoch: 0, batch: 0, seen: 0 })).layers[0].weights[0].histogram;
    expect(kernel.total).toBe(64 * 300);
    expect(kernel.sampled).toBeLessThanOrEqual(HISTOGRAM_SAMPLE);
    expect(kernel.sampled).toBeGreaterThan(HISTOGRAM_SAMPLE / 2);
    expect(kernel.counts.reduce((a, b) => a + b)).toBe(kernel.sampled);
    probe.dispose();
    xs.dispose();
    disposeModel(tf, model);
  });
});

describe('trainModel with onInsight', () => {
  it('looks before the first batch and after the last, the weights move in between, and no tensor is left', async () => {
    const snaps: InsightSnapshot[] = [];
    const before = tf.memory().numTensors;
    const r = await trainModel(tf, mlp(), settings({ epochs: 3 }), { onInsight: (s) => snaps.push(s) });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.epochsRun).toBe(3);
    expect(snaps.length).toBeGreaterThanOrEqual(2);
    expect(snaps[0]).toMatchObject({ epoch: 0, batch: 0, seen: 0 });
    expect(snaps.at(-1)).toMatchObject({ epoch: 2, batch: 4, seen: 12 });
    const kernel = (s: InsightSnapshot) => s.layers[0].weights[0].histogram;
    expect(kernel(snaps.at(-1)!).mean).not.toBe(kernel(snaps[0]).mean);
    for (const s of snaps) expect(s.costMs).toBeGreaterThanOrEqual(0);
  });

  it('trains on when a snapshot fails, saying why once', async () => {
    const errors: string[] = [];
    const broken = Object.assign(Object.create(tf) as typeof tf, {
      model: () => {
        throw new Error('no probe today');
      },
    });
    const r = await trainModel(broken, mlp(), settings({ epochs: 1 }), { onInsight: () => {}, onInsightError: (m) => errors.push(m) });
    expect(r.epochsRun).toBe(1);
    expect(errors).toEqual(['Layerlab cannot look inside this model: no probe today']);
  });
});

describe('the worker host', () => {
  it("sends 'insight' events only when the train request asks for them", async () => {
    for (const insight of [true, false]) {
      const events: RuntimeEvent[] = [];
      const host = createRuntimeHost(tf, (e) => events.push(e));
      await host.handle({
        type: 'train',
        id: 1,
        graph: cnn(),
        settings: settings({ epochs: 1, samples: 16 }),
        backend: 'cpu',
        ...(insight ? { insight } : {}),
      });
      const looks = events.filter((e) => e.type === 'insight');
      expect(events.at(-1)?.type).toBe('done');
      if (insight) {
        expect(looks.length).toBeGreaterThanOrEqual(2);
        expect(looks[0]).toMatchObject({ id: 1, insight: { seen: 0, filters: { layer: 'conv' } } });
      } else expect(looks).toEqual([]);
    }
  });
});
