/**
 * The memory estimate (src/core/memory.ts) and the runtime refusing, before allocating anything, a model
 * that would not fit; and 50 build / train / dispose cycles ending with tfjs's tensor count at its baseline.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, DEFAULT_TRAINING, estimateTrainingMemory, formatBytes, memoryRefusal, TRAINING_MEMORY_LIMIT, type Graph } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { createRuntimeHost } from '../../src/runtime/host';
import type { RuntimeEvent } from '../../src/runtime/protocol';
import { tpl } from '../helpers/templates';

const huge = (): Graph =>
  buildGraph('huge', (b) => void b.add('Dense', { units: 1_000_000, activation: 'softmax' }, 'big', [b.add('Input', { shape: [1_000_000] }, 'x')]));

describe('estimateTrainingMemory', () => {
  it('adds weights, gradients, optimizer slots, activations of a batch and the data set, as documented (seed CNN)', () => {
    const g = tpl('product-classifier');
    const a = analyze(g);
    const e = estimateTrainingMemory(g, a, { batchSize: 32, samples: 256, optimizer: 'adam' });
    expect(e.weights).toBe(822_922 * 4);
    expect(e.gradients).toBe(822_922 * 4);
    expect(e.optimizer).toBe(822_922 * 4 * 2);
    // Per-sample outputs: input 64·64·3, conv1 62·62·32, pool1 31·31·32, conv2 29·29·64, pool2 14·14·64,
    // flatten 12,544, dense1 64, dropout 64, softmax 10.
    const perSample = 12_288 + 123_008 + 30_752 + 53_824 + 12_544 + 12_544 + 64 + 64 + 10;
    expect(e.activations).toBe(4 * 32 * perSample * 2);
    expect(e.data).toBe(4 * 256 * (12_288 + 1));
    expect(e.total).toBe(e.weights + e.gradients + e.optimizer + e.activations + e.data);
    expect(e.fits).toBe(true);
    expect(estimateTrainingMemory(g, a, { batchSize: 32, samples: 256, optimizer: 'sgd' }).optimizer).toBe(0);
    // A batch larger than the data set is one batch of all samples.
    expect(estimateTrainingMemory(g, a, { batchSize: 1000, samples: 10, optimizer: 'sgd' }).activations).toBe(4 * 10 * perSample * 2);
  });

  it('refuses Dense(10^6) after a 10^6-wide input with the figure and the limit', () => {
    const g = huge();
    const e = estimateTrainingMemory(g, analyze(g), DEFAULT_TRAINING);
    expect(e.fits).toBe(false);
    expect(e.total).toBeGreaterThan(1.6e13);
    const msg = memoryRefusal(e)!;
    expect(msg).toMatch(
      /^Training this model would need about 14\.\d+ TB of memory, more than the 2 GB Layerlab allows in a browser tab \(largest part: optimizer slots, 7\.\d+ TB\)/,
    );
    expect(memoryRefusal(estimateTrainingMemory(g, analyze(g), DEFAULT_TRAINING, Infinity))).toBeNull();
    expect(TRAINING_MEMORY_LIMIT).toBe(2 * 1024 ** 3);
  });

  it('formats bytes in binary multiples', () => {
    expect([formatBytes(512), formatBytes(1536), formatBytes(3.5 * 1024 ** 2), formatBytes(2 * 1024 ** 3), formatBytes(123.4 * 1024 ** 4)]).toEqual([
      '512 B',
      '1.5 kB',
      '3.5 MB',
      '2 GB',
      '123 TB',
    ]);
  });
});

describe('the worker handler and memory', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
  });

  it('refuses a model that would not fit before touching any backend or allocating a tensor', async () => {
    let switches = 0;
    const spy = Object.assign(Object.create(tf) as typeof tf, { setBackend: (n: string) => (switches++, tf.setBackend(n)) });
    const before = tf.memory();
    const events: RuntimeEvent[] = [];
    await createRuntimeHost(spy, (e) => events.push(e)).handle({ type: 'train', id: 1, graph: huge(), settings: DEFAULT_TRAINING });
    expect(events).toEqual([{ type: 'error', id: 1, message: expect.stringMatching(/would need about 14\.\d+ TB of memory, more than the 2 GB/) }]);
    expect(switches).toBe(0);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });

  it('leaves tf.memory() at its baseline after 50 build / train / dispose cycles (Conv2D on wasm with Layerlab kernels, and auto)', async () => {
    const g = buildGraph('tiny_cnn', (b) => {
      let x = b.add('Input', { shape: [8, 8, 2] }, 'x');
      x = b.add('Conv2D', { filters: 3, kernel_size: [3, 3], strides: [2, 2], padding: 'same', activation: 'relu' }, 'conv', [x]);
      x = b.add('MaxPooling2D', {}, 'pool', [x]);
      x = b.add('Flatten', {}, 'flat', [x]);
      b.add('Dense', { units: 3, activation: 'softmax' }, 'out', [x]);
    });
    const settings = { ...DEFAULT_TRAINING, epochs: 1, batchSize: 8, samples: 16 };
    // A new handler each time (no cached trial); every tenth cycle chooses by timing wasm and cpu.
    const cycle = async (i: number) => {
      const events: RuntimeEvent[] = [];
      const backend = i % 10 === 0 ? 'auto' : 'wasm';
      await createRuntimeHost(tf, (e) => events.push(e)).handle({ type: 'train', id: i, graph: g, settings, backend });
      expect(events.at(-1)?.type, JSON.stringify(events.at(-1))).toBe('done');
    };
    await cycle(1); // warm-up: tfjs caches a few scalars on first use
    await tf.setBackend('wasm');
    const base = tf.memory();
    for (let i = 2; i <= 51; i++) await cycle(i);
    await tf.setBackend('wasm');
    expect(tf.memory().numTensors).toBe(base.numTensors);
    expect(tf.memory().numBytes).toBe(base.numBytes);
  });
});
