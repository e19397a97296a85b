/**
 * The bench page: `window.bench.layerlab(...)` trains a seed template through Layerlab's runtime (the real
 * RuntimeClient and training worker); `window.bench.plain(...)` trains the hand-written model in a plain tfjs
 * worker. Both report samples/s over the batches after the first. bench/run.mjs drives it.
 */
import { templateById, type TrainingSettings } from '../../src/core';
import { RuntimeClient } from '../../src/runtime/client';
import type { BackendChoice } from '../../src/runtime/protocol';
import type { PlainRequest, RunResult } from './protocol';

/** Batches of generated data per run; longer runs repeat them over epochs. */
const DATA_BATCHES = 20;

async function layerlab(template: string, backend: BackendChoice, batch: number, maxBatches: number, seconds: number, insight = false): Promise<RunResult> {
  const graph = templateById(template)!.build();
  // At most 20 batches of data (webgl keeps a tensor in one texture, at most 8192² values), repeated over epochs.
  const perEpoch = Math.min(maxBatches, DATA_BATCHES);
  const settings: TrainingSettings = {
    epochs: Math.ceil(maxBatches / perEpoch),
    batchSize: batch,
    samples: batch * perEpoch,
    optimizer: 'adam',
    learningRate: 0.001,
    data: 'noise',
  };
  const client = new RuntimeClient();
  const t0 = performance.now();
  const marks: { batch: number; elapsed: number }[] = [];
  let started: { backend: string; reason: string; threads?: number; at: number } | null = null;
  // With `insight`: how many looks inside the run took, and their worker time (runtime/insight.ts).
  const looks: number[] = [];
  try {
    const result = await client.train(
      graph,
      settings,
      (e) => {
        if (e.type === 'started') started = { backend: e.backend, reason: e.reason, threads: e.threads, at: performance.now() - t0 };
        else if (e.type === 'insight') {
          if (e.insight) looks.push(e.insight.costMs);
        } else if (e.phase === 'batch') {
          marks.push({ batch: e.progress.epoch * e.progress.batchesPerEpoch + e.progress.batch, elapsed: e.progress.elapsed });
          if (marks.length > 1 && e.progress.elapsed - marks[0].elapsed > seconds * 1000) client.stop();
        }
      },
      backend,
      { insight },
    );
    const s = started as { backend: string; reason: string; threads?: number; at: number } | null;
    const base = {
      backend: s?.backend,
      reason: s?.reason,
      threads: s?.threads,
      startMs: s?.at,
      total: performance.now() - t0,
      ...(insight ? { looks: looks.length, lookMs: looks.reduce((a, b) => a + b, 0) / Math.max(1, looks.length) } : {}),
    };
    if (marks.length >= 2) {
      const a = marks[0];
      const b = marks[marks.length - 1];
      return { ...base, samplesPerSec: ((b.batch - a.batch) * batch * 1000) / (b.elapsed - a.elapsed), batches: b.batch, firstBatchMs: a.elapsed };
    }
    if (marks.length === 1) return { ...base, samplesPerSec: (batch * 1000) / result.elapsed, batches: 1, withWarmup: true };
    return { ...base, error: 'no batch reported' };
  } catch (e) {
    return { error: (e as Error).message, total: performance.now() - t0 };
  } finally {
    client.dispose();
  }
}

function plain(req: PlainRequest): Promise<RunResult> {
  const w = new Worker(new URL('./plainWorker.ts', import.meta.url), { type: 'module' });
  return new Promise<RunResult>((resolve) => {
    w.onmessage = (e: MessageEvent<RunResult>) => resolve(e.data);
    w.onerror = (e) => resolve({ error: e.message || 'worker failed' });
    w.postMessage(req);
  }).finally(() => w.terminate());
}

(window as unknown as { bench: unknown }).bench = { layerlab, plain, isolated: () => crossOriginIsolated, cores: () => navigator.hardwareConcurrency };
document.getElementById('status')!.textContent = 'ready';
