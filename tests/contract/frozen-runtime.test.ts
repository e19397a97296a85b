/**
 * Frozen layers (Keras trainable=False) in the runtime: a frozen node's tfjs layer is built with `trainable: false`,
 * so tfjs's trainable / non-trainable counts equal the core's, and a training step leaves the frozen weights as they
 * were while the others move. Asked of tfjs on Node's cpu backend.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, trainingBlock, type Graph } from '../../src/core';
import { setTrainable } from '../../src/core/graph/frozen';
import { buildGraph } from '../../src/core/templates/build';
import { buildError, buildModel, disposeModel } from '../../src/runtime/buildModel';
import { cpuBackend, weightCount } from '../helpers/tfjs';

beforeAll(cpuBackend);

/** Input (6) → Dense 5 (frozen) → BatchNormalization (frozen) → Bidirectional LSTM 3 (frozen) … → Dense 2. */
function tiny(freeze: readonly string[]): Graph {
  let g = buildGraph('frozen_tiny', (b) => {
    const x = b.add('Input', { shape: [6] }, 'x');
    const d1 = b.add('Dense', { units: 5, activation: 'relu' }, 'base_dense', [x]);
    const bn = b.add('BatchNormalization', {}, 'base_bn', [d1]);
    const r = b.add('Reshape', { target_shape: [5, 1] }, 'as_seq', [bn]);
    const bi = b.add('Bidirectional', { layer: 'LSTM', units: 3 }, 'base_bilstm', [r]);
    b.add('Dense', { units: 2 }, 'head', [bi]);
  });
  const ids = g.nodes.filter((n) => freeze.includes(n.name)).map((n) => n.id);
  const r = setTrainable(g, ids, false);
  if (!r.ok) throw new Error(r.reason);
  g = r.graph;
  return g;
}

describe('frozen layers in tfjs', () => {
  it.each([[['base_dense']], [['base_dense', 'base_bn', 'base_bilstm']], [[]]])('frozen %j: tfjs counts equal the core totals', (freeze) => {
    const g = tiny(freeze);
    const a = analyze(g);
    expect(a.valid).toBe(true);
    const model = buildModel(tf, g, a);
    try {
      expect(weightCount(model.trainableWeights)).toBe(a.totals.trainable);
      expect(weightCount(model.nonTrainableWeights)).toBe(a.totals.nonTrainable);
      expect(model.countParams()).toBe(a.totals.total);
      for (const name of freeze) expect(model.getLayer(name).trainableWeights, name).toHaveLength(0);
    } finally {
      disposeModel(tf, model);
    }
    if (freeze.length) {
      // The same graph unfrozen: the frozen layers' weights move back to the trainable count.
      const open = analyze(tiny([]));
      expect(a.totals.total).toBe(open.totals.total);
      expect(a.totals.trainable).toBeLessThan(open.totals.trainable);
    }
  });

  it('a model with every layer frozen builds in tfjs (its summary works) with no trainable weight; only training is refused', () => {
    const g = tiny(['base_dense', 'base_bn', 'base_bilstm', 'head']);
    const a = analyze(g);
    expect(buildError(a)).toBeNull();
    expect(trainingBlock(a)).toMatch(/frozen/);
    const model = buildModel(tf, g, a);
    try {
      expect(model.trainableWeights).toHaveLength(0);
      expect(weightCount(model.nonTrainableWeights)).toBe(a.totals.total);
    } finally {
      disposeModel(tf, model);
    }
  });

  it('a frozen BatchNormalization runs in inference mode while training, as in Keras 3: its moving statistics stay', async () => {
    for (const frozen of [true, false]) {
      const g = tiny(frozen ? ['base_bn'] : []);
      const model = buildModel(tf, g, analyze(g));
      try {
        model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
        // BatchNormalization's weights: gamma, beta, moving_mean, moving_variance.
        const moving = () =>
          model
            .getLayer('base_bn')
            .getWeights()
            .slice(2)
            .map((w) => w.arraySync() as number[]);
        const before = moving();
        const xs = tf.randomNormal([8, 6], 3, 2, 'float32', 3);
        const ys = tf.randomNormal([8, 2], 0, 1, 'float32', 4);
        await model.fit(xs, ys, { epochs: 1, batchSize: 8, verbose: 0 });
        xs.dispose();
        ys.dispose();
        if (frozen) expect(moving()).toEqual(before);
        else expect(moving()).not.toEqual(before);
      } finally {
        disposeModel(tf, model);
      }
    }
  });

  it('one training step leaves the frozen kernel unchanged and moves the trainable one', async () => {
    const g = tiny(['base_dense']);
    const model = buildModel(tf, g, analyze(g));
    try {
      model.compile({ optimizer: tf.train.sgd(0.5), loss: 'meanSquaredError' });
      const frozen = model.getLayer('base_dense').getWeights()[0].arraySync() as number[][];
      const head = model.getLayer('head').getWeights()[0].arraySync() as number[][];
      const xs = tf.randomNormal([8, 6], 0, 1, 'float32', 1);
      const ys = tf.randomNormal([8, 2], 0, 1, 'float32', 2);
      await model.fit(xs, ys, { epochs: 1, batchSize: 8, verbose: 0 });
      xs.dispose();
      ys.dispose();
      expect(model.getLayer('base_dense').getWeights()[0].arraySync()).toEqual(frozen);
      const after = model.getLayer('head').getWeights()[0].arraySync() as number[][];
      expect(after.flat().some((v, i) => v !== head.flat()[i])).toBe(true);
    } finally {
      disposeModel(tf, model);
    }
  });
});
