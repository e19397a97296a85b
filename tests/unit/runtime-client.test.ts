/**
 * The main-thread client against the worker's real handler, run in-process: a fake Worker passes
 * structured clones of every message both ways, one event-loop task later, as a real worker would.
 * tfjs is the npm package; only 'cpu' is registered in Node, so the handler falls back to it.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING, type Graph } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { trainingBackends } from '../../src/runtime/backend';
import { RuntimeClient, type WorkerLike } from '../../src/runtime/client';
import { createRuntimeHost } from '../../src/runtime/host';
import type { RuntimeEvent, RuntimeRequest, TrainEvent } from '../../src/runtime/protocol';

class FakeWorker implements WorkerLike {
  onmessage: WorkerLike['onmessage'] = null;
  onerror: WorkerLike['onerror'] = null;
  terminated = false;
  readonly requests: RuntimeRequest[] = [];
  private readonly host = createRuntimeHost(tf, (e) => this.deliver(e), { batchEventMs: 0 });

  postMessage(message: RuntimeRequest): void {
    const copy = structuredClone(message);
    this.requests.push(copy);
    setImmediate(() => void this.host.handle(copy));
  }
  terminate(): void {
    this.terminated = true;
  }
  /** Worker → page, unless terminated. */
  deliver(e: RuntimeEvent): void {
    const copy = structuredClone(e);
    setImmediate(() => {
      if (!this.terminated) this.onmessage?.({ data: copy } as MessageEvent<RuntimeEvent>);
    });
  }
}

function setup() {
  const workers: FakeWorker[] = [];
  const client = new RuntimeClient(() => {
    const w = new FakeWorker();
    workers.push(w);
    return w;
  });
  return { client, workers };
}

const tiny = (): Graph =>
  buildGraph('tiny', (b) => {
    const x = b.add('Input', { shape: [4] }, 'x');
    b.add('Dense', { units: 3, activation: 'softmax' }, 'out', [b.add('Dense', { units: 8, activation: 'relu' }, 'h', [x])]);
  });
const settings = { ...DEFAULT_TRAINING, epochs: 3, batchSize: 8, samples: 64, learningRate: 0.01 };

describe('trainingBackends', () => {
  it("times wasm, webgl and cpu for any graph Layerlab's wasm kernels cover (Conv2D included), or the backend the user names", () => {
    expect(trainingBackends(tiny())).toMatchObject({ candidates: ['wasm', 'webgl', 'cpu'], timed: true });
    const cnn = buildGraph('cnn', (b) => void b.add('Conv2D', { filters: 1 }, 'c1', [b.add('Input', { shape: [8, 8, 1] }, 'x')]));
    expect(trainingBackends(cnn)).toMatchObject({ candidates: ['wasm', 'webgl', 'cpu'], timed: true });
    expect(trainingBackends(cnn, 'webgl')).toEqual({ candidates: ['webgl'], reason: 'webgl was chosen in the training panel' });
  });
});

describe('worker handler backend start-up', () => {
  it('gives up on a backend that never finishes initialising and names it in the reason', async () => {
    // A tfjs whose setBackend('wasm') hangs, as threaded wasm can when its pthread workers fail.
    const hanging = Object.assign(Object.create(tf) as typeof tf, {
      setBackend: (name: string) => (name === 'wasm' ? new Promise<boolean>(() => {}) : tf.setBackend(name)),
    });
    const events: RuntimeEvent[] = [];
    const host = createRuntimeHost(hanging, (e) => events.push(e), { backendTimeoutMs: 50 });
    await host.handle({ type: 'train', id: 3, graph: tiny(), settings: { ...settings, epochs: 1 } });
    expect(events[0]).toMatchObject({ type: 'started', backend: 'cpu', reason: expect.stringContaining('wasm failed (no answer within 0.05 s)') });
    expect(events.at(-1)).toMatchObject({ type: 'done', backend: 'cpu' });
  });

  it('names a backend that throws a non-Error without "[object Object]"', async () => {
    // Emscripten and some tfjs paths throw plain objects or numbers, not Errors.
    const throwing = Object.assign(Object.create(tf) as typeof tf, {
      setBackend: (name: string) => (name === 'wasm' ? Promise.reject({ code: 7 }) : tf.setBackend(name)),
    });
    const events: RuntimeEvent[] = [];
    await createRuntimeHost(throwing, (e) => events.push(e)).handle({ type: 'train', id: 4, graph: tiny(), settings: { ...settings, epochs: 1 } });
    const started = events[0] as Extract<RuntimeEvent, { type: 'started' }>;
    expect(started).toMatchObject({ type: 'started', backend: 'cpu', reason: expect.stringContaining('wasm failed (a thrown value: an object)') });
    expect(started.reason).not.toMatch(/\[object Object\]/);
  });
});

describe('RuntimeClient ⇄ worker handler', () => {
  it('creates no worker until the first call', async () => {
    const { client, workers } = setup();
    expect(workers).toHaveLength(0);
    await client.summary(tiny());
    expect(workers).toHaveLength(1);
    client.dispose();
  });

  it("answers a summary with tfjs's text and totals", async () => {
    const { client } = setup();
    const s = await client.summary(tiny());
    expect(s.backend).toBe('cpu');
    expect(s.totals.total).toBe(4 * 8 + 8 + 8 * 3 + 3);
    expect(s.text).toContain(`Total params: ${s.totals.total}`);
    client.dispose();
  });

  it('trains: started (backend and why), batch and epoch progress, then the final result', async () => {
    const { client } = setup();
    const events: TrainEvent[] = [];
    const r = await client.train(tiny(), settings, (e) => events.push(e));
    expect(events[0]).toMatchObject({
      type: 'started',
      backend: 'cpu',
      reason: expect.stringMatching(/^cpu: [\d.]+ samples\/s in a 3-step trial; wasm failed \(Backend name 'wasm' not found in registry\); webgl failed/),
    });
    const epochs = events.filter((e) => e.type === 'progress' && e.phase === 'epoch');
    const batches = events.filter((e) => e.type === 'progress' && e.phase === 'batch');
    expect(epochs).toHaveLength(3);
    expect(batches).toHaveLength(3 * 8);
    expect(r).toMatchObject({ backend: 'cpu', stopped: false, epochsRun: 3, metricName: 'acc' });
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(client.training).toBe(false);
    client.dispose();
  });

  it('stop() ends the training soon after the request arrives, with stopped: true', async () => {
    const { client, workers } = setup();
    let batches = 0;
    const r = await client.train(tiny(), { ...settings, epochs: 20 }, (e) => {
      if (e.type === 'progress' && e.phase === 'batch' && ++batches === 1) client.stop();
    });
    expect(r.stopped).toBe(true);
    expect(r.epochsRun).toBe(1);
    expect(batches).toBeLessThanOrEqual(4); // 8 per epoch; the stop crosses two message hops
    expect(workers[0].requests.map((q) => q.type)).toEqual(['train', 'stop']);
    client.dispose();
  });

  it('refuses a second training while one runs, and allows one after', async () => {
    const { client } = setup();
    const first = client.train(tiny(), settings);
    await expect(client.train(tiny(), settings)).rejects.toThrow(/already running/);
    await first;
    await expect(client.train(tiny(), { ...settings, epochs: 1 })).resolves.toMatchObject({ stopped: false });
    client.dispose();
  });

  it('rejects with the validator message for an invalid graph, and with the reason for bad settings', async () => {
    const { client } = setup();
    const g = tiny();
    await expect(client.train({ ...g, edges: [] }, settings)).rejects.toThrow(/has no input; connect/);
    await expect(client.summary({ ...g, edges: [] })).rejects.toThrow(/has no input; connect/);
    await expect(client.train(g, { ...settings, learningRate: 0 })).rejects.toThrow(/learning rate/i);
    expect(client.training).toBe(false);
    client.dispose();
  });

  it('rejects every pending call when the worker fails, and starts a new worker next time', async () => {
    const { client, workers } = setup();
    const p = client.summary(tiny());
    workers[0].onerror?.({ message: 'SyntaxError: bad chunk' } as ErrorEvent);
    await expect(p).rejects.toThrow(/training worker stopped: SyntaxError: bad chunk/);
    expect(workers[0].terminated).toBe(true);
    await client.summary(tiny());
    expect(workers).toHaveLength(2);
    client.dispose();
  });

  it('replaces the worker after an error marked restart, once nothing is pending', async () => {
    const { client, workers } = setup();
    const p = client.summary(tiny());
    // Simulate a failure inside training reported by the worker for this request.
    workers[0].deliver({ type: 'error', id: 1, message: 'Training on the wasm backend failed: boom', restart: true });
    await expect(p).rejects.toThrow('boom');
    await client.summary(tiny());
    expect(workers).toHaveLength(2);
    expect(workers[0].terminated).toBe(true);
    client.dispose();
  });

  it('dispose() terminates the worker and rejects what is in flight', async () => {
    const { client, workers } = setup();
    const p = client.train(tiny(), settings);
    client.dispose();
    await expect(p).rejects.toThrow(/closed/);
    expect(workers[0].terminated).toBe(true);
    expect(client.training).toBe(false);
  });
});
