/**
 * Contract: the backend rule (src/runtime/backend.ts) against the real tfjs-backend-wasm, run in Node.
 * Every registered layer kind is trained for one batch on stock wasm (after a trainable layer, so its own
 * gradient kernels run); the kinds that fail must be exactly those WASM_CANNOT_TRAIN lists, failing on the
 * kernel it names. With Layerlab's kernels registered, only the kinds the pure rule (`wasmBlocker`) names may
 * fail. Then the worker's handler (host.ts) must time the backends it can start ('auto': wasm and cpu in Node,
 * where webgl does not exist), or use the one asked for.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING, defaultParams, layerDef, type Graph, type Params } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { wasmBlocker, WASM_CANNOT_TRAIN } from '../../src/runtime/backend';
import { createRuntimeHost, type HostOptions } from '../../src/runtime/host';
import { registerWasmKernels, unregisterWasmKernels } from '../../src/runtime/kernels';
import type { BackendChoice, RuntimeEvent, StartedEvent } from '../../src/runtime/protocol';
import { trainModel } from '../../src/runtime/train';
import { LAYER_KINDS } from '../helpers/layerCases';

/**
 * How each kind is trained here: its parameters and input shape(s), and whether a trainable Dense comes
 * first. Without a trainable layer before it, tfjs never computes the gradient *through* a weightless kind
 * (pooling, reshaping, merging…), so its gradient kernels would go untested; Embedding (integer ids),
 * ThresholdedReLU and Masking (no gradient through them in tfjs, on any backend) take the input directly.
 */
const TRAIN_CASES: Readonly<Record<string, { params: Params; inputs: number[][]; direct?: boolean }>> = {
  Dense: { params: { units: 3 }, inputs: [[4]] },
  Activation: { params: { activation: 'tanh' }, inputs: [[4]] },
  Dropout: { params: { rate: 0.5 }, inputs: [[4]] },
  Flatten: { params: {}, inputs: [[4, 4, 1]] },
  Reshape: { params: { target_shape: [2, -1] }, inputs: [[4, 2]] },
  Permute: { params: { dims: [2, 1] }, inputs: [[3, 2]] },
  RepeatVector: { params: { n: 2 }, inputs: [[3]] },
  Embedding: { params: { input_dim: 5, output_dim: 2 }, inputs: [[3]], direct: true },
  Masking: { params: {}, inputs: [[3, 2]], direct: true },
  Conv1D: { params: { filters: 2, kernel_size: [2] }, inputs: [[5, 1]] },
  Conv2D: { params: { filters: 2, kernel_size: [3, 3] }, inputs: [[6, 6, 1]] },
  Conv3D: { params: { filters: 2, kernel_size: [2, 2, 2] }, inputs: [[3, 3, 3, 1]] },
  SeparableConv2D: { params: { filters: 2, kernel_size: [2, 2] }, inputs: [[4, 4, 1]] },
  DepthwiseConv2D: { params: { kernel_size: [2, 2] }, inputs: [[4, 4, 1]] },
  Conv2DTranspose: { params: { filters: 2, kernel_size: [2, 2], strides: [2, 2] }, inputs: [[3, 3, 1]] },
  UpSampling2D: { params: {}, inputs: [[2, 2, 1]] },
  ZeroPadding2D: { params: {}, inputs: [[2, 2, 1]] },
  Cropping2D: { params: { cropping: [1, 0, 0, 1] }, inputs: [[3, 3, 1]] },
  Conv1DTranspose: { params: { filters: 2, kernel_size: [3], strides: [2], output_padding: [1] }, inputs: [[3, 2]] },
  UpSampling1D: { params: {}, inputs: [[3, 2]] },
  UpSampling3D: { params: { size: [1, 2, 2] }, inputs: [[2, 2, 2, 1]] },
  ZeroPadding1D: { params: { padding: [1, 2] }, inputs: [[3, 2]] },
  ZeroPadding3D: { params: {}, inputs: [[1, 2, 2, 1]] },
  Cropping1D: { params: { cropping: [1, 0] }, inputs: [[3, 2]] },
  Cropping3D: { params: { cropping: [0, 1, 1, 0, 0, 1] }, inputs: [[2, 3, 3, 1]] },
  GlobalMaxPooling3D: { params: {}, inputs: [[2, 2, 2, 2]] },
  GlobalAveragePooling3D: { params: { keepdims: true }, inputs: [[2, 2, 2, 2]] },
  MaxPooling1D: { params: { pool_size: [2] }, inputs: [[4, 1]] },
  MaxPooling2D: { params: {}, inputs: [[4, 4, 1]] },
  MaxPooling3D: { params: {}, inputs: [[2, 2, 2, 1]] },
  AveragePooling1D: { params: { pool_size: [2] }, inputs: [[4, 1]] },
  AveragePooling2D: { params: {}, inputs: [[4, 4, 1]] },
  AveragePooling3D: { params: {}, inputs: [[2, 2, 2, 1]] },
  GlobalMaxPooling1D: { params: {}, inputs: [[4, 2]] },
  GlobalMaxPooling2D: { params: {}, inputs: [[3, 3, 2]] },
  GlobalAveragePooling1D: { params: {}, inputs: [[4, 2]] },
  GlobalAveragePooling2D: { params: {}, inputs: [[3, 3, 2]] },
  BatchNormalization: { params: {}, inputs: [[4]] },
  LayerNormalization: { params: {}, inputs: [[4]] },
  Concatenate: { params: {}, inputs: [[4], [3]] },
  Add: { params: {}, inputs: [[4], [4]] },
  Multiply: { params: {}, inputs: [[4], [4]] },
  Average: { params: {}, inputs: [[4], [4]] },
  Maximum: { params: {}, inputs: [[4], [4]] },
  Minimum: { params: {}, inputs: [[4], [4]] },
  Dot: {
    params: { axes: [2, 2] },
    inputs: [
      [3, 2],
      [4, 2],
    ],
  },
  SimpleRNN: { params: { units: 2 }, inputs: [[3, 2]] },
  LSTM: { params: { units: 2 }, inputs: [[3, 2]] },
  GRU: { params: { units: 2 }, inputs: [[3, 2]] },
  Bidirectional: { params: { layer: 'LSTM', units: 2 }, inputs: [[3, 2]] },
  TimeDistributed: { params: { layer: 'Dense', units: 2 }, inputs: [[3, 2]] },
  ReLU: { params: { max_value: 6 }, inputs: [[4]] },
  LeakyReLU: { params: {}, inputs: [[4]] },
  PReLU: { params: {}, inputs: [[4]] },
  ELU: { params: {}, inputs: [[4]] },
  Softmax: { params: {}, inputs: [[4]] },
  ThresholdedReLU: { params: {}, inputs: [[4]], direct: true },
  GaussianNoise: { params: { stddev: 0.1 }, inputs: [[4]] },
  GaussianDropout: { params: { rate: 0.2 }, inputs: [[4]] },
  AlphaDropout: { params: { rate: 0.2 }, inputs: [[4]] },
  SpatialDropout1D: { params: { rate: 0.2 }, inputs: [[3, 2]] },
  SpatialDropout2D: { params: { rate: 0.2 }, inputs: [[3, 3, 2]] },
  SpatialDropout3D: { params: { rate: 0.2 }, inputs: [[2, 3, 3, 2]] },
  Rescaling: { params: { scale: 0.5 }, inputs: [[4]] },
  GroupNormalization: { params: { groups: 2 }, inputs: [[3, 4]] },
  UnitNormalization: { params: {}, inputs: [[4]] },
  Normalization: { params: {}, inputs: [[4]] },
  Identity: { params: {}, inputs: [[4]] },
  Subtract: { params: {}, inputs: [[4], [4]] },
  Resizing: { params: { height: 2, width: 3 }, inputs: [[3, 3, 2]] },
  CenterCrop: { params: { height: 2, width: 2 }, inputs: [[3, 3, 2]] },
  MultiHeadAttention: {
    params: { num_heads: 2, key_dim: 2, dropout: 0.1 },
    inputs: [
      [3, 4],
      [5, 2],
    ],
  },
  Attention: {
    params: { use_scale: true, score_mode: 'concat', dropout: 0.1 },
    inputs: [
      [3, 2],
      [4, 2],
    ],
  },
  AdditiveAttention: { params: {}, inputs: [[3, 2]] },
};

/** A tiny trainable graph around one layer of `kind`: Input(s) → [Dense] → kind → [Flatten] → Dense(2, softmax). */
function trainGraph(kind: string): Graph {
  const c = TRAIN_CASES[kind];
  return buildGraph(`g_${kind}`, (b) => {
    const ins = c.inputs.map((shape, i) => {
      const x = b.add('Input', { shape }, `x${i}`);
      return c.direct ? x : b.add('Dense', { units: shape[shape.length - 1] }, `pre${i}`, [x]);
    });
    let y = b.add(kind, c.params, 'layer', ins);
    const def = layerDef(kind)!;
    if (
      def.outputShape(
        c.inputs.map((s) => [null, ...s]),
        { ...defaultParams(def), ...c.params },
      ).length > 2
    )
      y = b.add('Flatten', {}, 'flat', [y]);
    b.add('Dense', { units: 2, activation: 'softmax' }, 'out', [y]);
  });
}

/** The Conv2D graph of the v0 tests (no Dense before it: its own weights need Conv2DBackpropFilter). */
const conv2dGraph = () =>
  buildGraph('g_conv', (b) => {
    const c = b.add('Conv2D', { filters: 2, kernel_size: [3, 3] }, 'conv', [b.add('Input', { shape: [6, 6, 1] }, 'x')]);
    b.add('Dense', { units: 2, activation: 'softmax' }, 'out', [b.add('Flatten', {}, 'flat', [c])]);
  });

/** Graphs the handler tests below train. */
const GRAPHS = {
  Dense: () => trainGraph('Dense'),
  Concatenate: () => trainGraph('Concatenate'),
  Conv2D: conv2dGraph,
};

const settings = { ...DEFAULT_TRAINING, epochs: 1, batchSize: 8, samples: 8 };

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
});

/** Trains every kind once on wasm; the error message of each kind that fails. */
const wasmFailures = async (): Promise<Record<string, string>> => {
  await tf.setBackend('wasm');
  const failures: Record<string, string> = {};
  for (const kind of LAYER_KINDS) {
    try {
      await trainModel(tf, trainGraph(kind), settings);
    } catch (e) {
      failures[kind] = (e as Error).message;
    }
  }
  return failures;
};

describe('which kinds train on stock wasm', () => {
  it('has a training graph for every kind', () => {
    expect(LAYER_KINDS.length).toBeGreaterThan(0);
    expect(LAYER_KINDS.filter((k) => !TRAIN_CASES[k])).toEqual([]);
  });

  it('fails exactly for the kinds WASM_CANNOT_TRAIN lists, on the kernel it names', async () => {
    const failures = await wasmFailures();
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

describe("with Layerlab's wasm kernels (src/runtime/kernels)", () => {
  it('every kind trains on wasm except those wasmBlocker still names (their kernel is missing from both)', async () => {
    registerWasmKernels(tf);
    try {
      const failures = await wasmFailures();
      const blocked = LAYER_KINDS.filter((k) => wasmBlocker(trainGraph(k)));
      expect(Object.keys(failures).sort()).toEqual(blocked.sort());
      for (const kind of blocked) expect(failures[kind]).toContain(`Kernel '${WASM_CANNOT_TRAIN[kind]}' not registered for backend 'wasm'`);
      expect(blocked.length).toBeLessThan(Object.keys(WASM_CANNOT_TRAIN).length);
    } finally {
      unregisterWasmKernels(tf);
    }
  });
});

describe('the worker handler picks a backend per graph', () => {
  const run = async (graph: Graph, backend?: BackendChoice, opts: HostOptions = {}) => {
    const events: RuntimeEvent[] = [];
    const host = createRuntimeHost(tf, (e) => events.push(e), opts);
    await host.handle({ type: 'train', id: 7, graph, settings, ...(backend ? { backend } : {}) });
    return events;
  };
  const startedOf = (events: RuntimeEvent[]) => events.find((e): e is StartedEvent => e.type === 'started');

  it("'auto' times wasm and cpu (webgl is not registered in Node), keeps the faster and says so with the figures", async () => {
    const events = await run(GRAPHS.Concatenate());
    const started = startedOf(events)!;
    expect(['wasm', 'cpu']).toContain(started.backend);
    const other = started.backend === 'wasm' ? 'cpu' : 'wasm';
    expect(started.reason).toMatch(
      new RegExp(
        `^${started.backend}: [\\d.]+ samples/s vs ${other} [\\d.]+ samples/s in a 3-step trial; webgl failed \\(Backend name 'webgl' not found in registry\\)`,
      ),
    );
    expect(events.at(-1)).toMatchObject({ type: 'done', backend: started.backend, result: { stopped: false, epochsRun: 1 } });
  });

  it('trains a Conv2D graph on wasm when asked, with the registered gradient kernels', async () => {
    const events = await run(GRAPHS.Conv2D(), 'wasm');
    expect(startedOf(events)).toMatchObject({ backend: 'wasm', reason: 'wasm was chosen in the training panel.' });
    expect(events.at(-1)).toMatchObject({ type: 'done', backend: 'wasm', result: { stopped: false, epochsRun: 1 } });
  });

  it('asks for a fresh worker after a failure inside training, not after a refused request', async () => {
    // With the stock kernels only, Conv2D's gradient fails mid-fit on wasm.
    unregisterWasmKernels(tf);
    const events = await run(GRAPHS.Conv2D(), 'wasm', { wasmKernels: false });
    expect(events.map((e) => e.type)).toEqual(['started', 'error']);
    expect(events[1]).toMatchObject({ restart: true, message: expect.stringMatching(/^Training on the wasm backend failed: .*Conv2DBackpropFilter/) });
    const refused = await run({ name: 'empty', nodes: [], edges: [] });
    expect(refused).toEqual([{ type: 'error', id: 7, message: expect.stringMatching(/no layers/) }]);
  });
});
