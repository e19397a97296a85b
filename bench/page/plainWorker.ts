/**
 * Bench worker: trains a hand-written seed model (handwritten.ts) with plain tfjs `model.fit` on one backend
 * and reports its throughput. Stock tfjs, unless `kernels` asks for Layerlab's wasm kernels and `allCores`
 * for its thread count (to measure the runtime's own overhead on the same backend, kernels and threads).
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { registerWasmKernels } from '../../src/runtime/kernels';
import { dataFor, productClassifier, purchasePredictor } from './handwritten';
import type { PlainRequest, RunResult } from './protocol';

setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd });

const scope = self as unknown as { postMessage(m: RunResult): void; onmessage: ((e: MessageEvent<PlainRequest>) => void) | null };

scope.onmessage = async (e) => {
  const r = e.data;
  const t0 = performance.now();
  const stamps: number[] = [];
  try {
    if (r.kernels) registerWasmKernels(tf);
    if (r.allCores) {
      // As Layerlab's worker does (src/runtime/worker.ts): XNNPACK on every core rather than half of them.
      const cores = Math.max(1, navigator.hardwareConcurrency || 1);
      Object.defineProperty(navigator, 'hardwareConcurrency', { value: 2 * cores, configurable: true });
      setThreadsCount(cores);
    }
    if (!(await tf.setBackend(r.backend))) throw new Error(`backend ${r.backend} failed to start`);
    await tf.ready();
    const model = r.template === 'product-classifier' ? productClassifier(tf) : purchasePredictor(tf);
    // At most 20 batches of data (webgl keeps a tensor in one texture, at most 8192² values), repeated over epochs.
    const perEpoch = Math.min(r.maxBatches, 20);
    const { xs, ys } = dataFor(tf, r.template, r.batch * perEpoch);
    if (r.profile) {
      // Per-kernel wall time of training steps (tf.profile), after two warm-up steps.
      const [bx, by] = [Array.isArray(xs) ? xs.map((t) => t.slice(0, r.batch)) : xs.slice(0, r.batch), ys.slice(0, r.batch)];
      for (let i = 0; i < 2; i++) await model.trainOnBatch(bx, by);
      const t0 = performance.now();
      for (let i = 0; i < 3; i++) await model.trainOnBatch(bx, by);
      const stepMs = (performance.now() - t0) / 3;
      const info = await tf.profile(async () => void (await model.trainOnBatch(bx, by)));
      const perKernel: Record<string, number> = {};
      for (const k of info.kernels) perKernel[k.name] = (perKernel[k.name] ?? 0) + (k.kernelTimeMs as number);
      tf.dispose([...(Array.isArray(bx) ? bx : [bx]), by, ...(Array.isArray(xs) ? xs : [xs]), ys]);
      model.dispose();
      scope.postMessage({ backend: r.backend, stepMs, perKernel, threads: r.backend === 'wasm' ? getThreadsCount() : undefined });
      return;
    }
    const start = performance.now();
    await model.fit(xs, ys, {
      epochs: Math.ceil(r.maxBatches / perEpoch),
      batchSize: r.batch,
      shuffle: true,
      verbose: 0,
      yieldEvery: 'never',
      callbacks: {
        onBatchEnd: async () => {
          stamps.push(performance.now());
          if (performance.now() - start > r.seconds * 1000) model.stopTraining = true;
        },
      },
    });
    tf.dispose([...(Array.isArray(xs) ? xs : [xs]), ys]);
    model.dispose();
    scope.postMessage(
      resultOf(r.batch, start, stamps, { backend: r.backend, threads: r.backend === 'wasm' ? getThreadsCount() : undefined, total: performance.now() - t0 }),
    );
  } catch (err) {
    scope.postMessage({ error: (err as Error).message, backend: r.backend, batches: stamps.length, total: performance.now() - t0 });
  }
};

/**
 * samples/s over the batches after the first (warm-up: shader compilation, operator set-up); when only one
 * batch finished, over that batch (flagged `withWarmup`).
 */
function resultOf(batch: number, start: number, stamps: number[], extra: Partial<RunResult>): RunResult {
  if (stamps.length >= 2) {
    const span = stamps[stamps.length - 1] - stamps[0];
    return { ...extra, samplesPerSec: ((stamps.length - 1) * batch * 1000) / span, batches: stamps.length, firstBatchMs: stamps[0] - start };
  }
  if (stamps.length === 1)
    return { ...extra, samplesPerSec: (batch * 1000) / (stamps[0] - start), batches: 1, withWarmup: true, firstBatchMs: stamps[0] - start };
  return { ...extra, error: 'no batch finished', batches: 0 };
}
