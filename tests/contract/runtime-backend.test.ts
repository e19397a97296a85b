/**
 * Contract: the backend rule (src/runtime/backend.ts) against the real tfjs-backend-wasm, run in Node.
 * Every registered layer kind is trained for one batch on wasm; the kinds that fail must be exactly those
 * WASM_CANNOT_TRAIN lists, failing on the kernel it names. Then the worker's handler (host.ts) must pick
 * wasm for a graph wasm can train, and fall back past webgl (absent in Node) to cpu for one it cannot.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING, LAYER_DEFS, type Graph } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { trainingBackends, WASM_CANNOT_TRAIN } from '../../src/runtime/backend';
import { createRuntimeHost } from '../../src/runtime/host';
import type { RuntimeEvent } from '../../src/runtime/protocol';
import { trainModel } from '../../src/runtime/train';

/** A tiny trainable graph that contains the kind, ending in a 2-class softmax. */
const GRAPHS: Readonly<Record<string, () => Graph>> = {
  Dense: () => buildGraph('g_dense', (b) => void b.add('Dense', { units: 2, activation: 'softmax' }, 'out', [b.add('Input', { shape: [4] }, 'x')])),
  Dropout: () => buildGraph('g_dropout', (b) => {
    const d = b.add('Dropout', { rate: 0.5 }, 'drop', [b.add('Input', { shape: [4] }, 'x')]);
    b.add('Dense', { units: 2, activation: 'softmax' }, 'out', [d]);
  }),
  Flatten: () => buildGraph('g_flatten', (b) => {
    const f = b.add('Flatten', {}, 'flat', [b.add('Input', { shape: [4, 4, 1] }, 'x')]);
    b.add('Dense', { units: 2, activation: 'softmax' }, 'out', [f]);
  }),
  Conv2D: () => buildGraph('g_conv', (b) => {
    const c = b.add('Conv2D', { filters: 2, kernel_size: [3, 3] }, 'conv', [b.add('Input', { shape: [6, 6, 1] }, 'x')]);
    b.add('Dense', { units: 2, activation: 'softmax' }, 'out', [b.add('Flatten', {}, 'flat', [c])]);
  }),
  MaxPooling2D: () => buildGraph('g_pool', (b) => {
    const p = b.add('MaxPooling2D', {}, 'pool', [b.add('Input', { shape: [4, 4, 1] }, 'x')]);
    b.add('Dense', { units: 2, activation: 'softmax' }, 'out', [b.add('Flatten', {}, 'flat', [p])]);
  }),
  Concatenate: () => buildGraph('g_concat', (b) => {
    const c = b.add('Concatenate', {}, 'cat', [b.add('Input', { shape: [4] }, 'x1'), b.add('Input', { shape: [3] }, 'x2')]);
    b.add('Dense', { units: 2, activation: 'softmax' }, 'out', [c]);
  }),
};

const settings = { ...DEFAULT_TRAINING, epochs: 1, batchSize: 8, samples: 8 };
const kinds = LAYER_DEFS.filter((d) => d.kind !== 'Input').map((d) => d.kind);

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
});

describe('which kinds train on stock wasm', () => {
  it('has a training graph for every kind', () => {
    expect(kinds.length).toBeGreaterThan(0);
    expect(kinds.filter((k) => !GRAPHS[k])).toEqual([]);
  });

  it('fails exactly for the kinds WASM_CANNOT_TRAIN lists, on the kernel it names', async () => {
    await tf.setBackend('wasm');
    const failures: Record<string, string> = {};
    for (const kind of kinds) {
      try {
        await trainModel(tf, GRAPHS[kind](), settings);
      } catch (e) {
        failures[kind] = (e as Error).message;
      }
    }
    expect(Object.keys(failures).sort()).toEqual(Object.keys(WASM_CANNOT_TRAIN).sort());
    for (const [kind, kernel] of Object.entries(WASM_CANNOT_TRAIN)) {
      expect(failures[kind]).toContain(`Kernel '${kernel}' not registered for backend 'wasm'`);
      expect(tf.getKernel(kernel, 'wasm')).toBeUndefined();
      expect(tf.getKernel(kernel, 'cpu')).toBeDefined();
    }
  });
});

it('records what tfjs does after a kernel fails mid-fit: tensors stay behind (why the client then replaces its worker)', async () => {
  await tf.setBackend('wasm');
  await trainModel(tf, GRAPHS.Dense(), settings); // warm-up: tfjs caches a few scalars on first use
  const base = tf.memory().numTensors;
  await trainModel(tf, GRAPHS.Dense(), settings);
  expect(tf.memory().numTensors).toBe(base);
  await expect(trainModel(tf, GRAPHS.Conv2D(), settings)).rejects.toThrow(/Conv2DBackpropFilter/);
  expect(tf.memory().numTensors).toBeGreaterThan(base);
});

describe('the worker handler picks a backend per graph', () => {
  const run = async (graph: Graph) => {
    const events: RuntimeEvent[] = [];
    const host = createRuntimeHost(tf, (e) => events.push(e));
    await host.handle({ type: 'train', id: 7, graph, settings });
    return events;
  };

  it('trains a graph without Conv2D on wasm and says why', async () => {
    const events = await run(GRAPHS.Concatenate());
    const started = events.find((e) => e.type === 'started');
    expect(started).toMatchObject({ backend: 'wasm', reason: expect.stringMatching(/can train on wasm/) });
    expect(events.at(-1)).toMatchObject({ type: 'done', backend: 'wasm', result: { stopped: false, epochsRun: 1 } });
  });

  it('sends a Conv2D graph past webgl (not registered in Node) to cpu, naming the missing kernel and the failure', async () => {
    expect(trainingBackends(GRAPHS.Conv2D()).candidates).toEqual(['webgl', 'cpu']);
    const events = await run(GRAPHS.Conv2D());
    const started = events.find((e) => e.type === 'started');
    expect(started?.type === 'started' && started.backend).toBe('cpu');
    expect(started?.type === 'started' && started.reason).toMatch(/'conv' \(Conv2D\) cannot train on wasm .*Conv2DBackpropFilter.*webgl failed to start \(Backend name 'webgl' not found in registry\).*cpu is used/);
    expect(events.at(-1)).toMatchObject({ type: 'done', backend: 'cpu' });
  });

  it('asks for a fresh worker after a failure inside training, not after a refused request', async () => {
    // Without its WASM_CANNOT_TRAIN entry, the rule sends Conv2D to wasm, where fit fails mid-way.
    const table = WASM_CANNOT_TRAIN as Record<string, string>;
    const saved = table.Conv2D;
    delete table.Conv2D;
    try {
      const events = await run(GRAPHS.Conv2D());
      expect(events.map((e) => e.type)).toEqual(['started', 'error']);
      expect(events[1]).toMatchObject({ restart: true, message: expect.stringMatching(/^Training on the wasm backend failed: .*Conv2DBackpropFilter/) });
    } finally {
      table.Conv2D = saved;
    }
    const refused = await run({ name: 'empty', nodes: [], edges: [] });
    expect(refused).toEqual([{ type: 'error', id: 7, message: expect.stringMatching(/no layers/) }]);
  });
});
