/**
 * The training worker (a module Web Worker created by client.ts). It owns tfjs: the main thread never
 * loads it. Requests and events are typed in protocol.ts; the handling is in host.ts.
 *
 * Backends: tfjs-backend-wasm registers 'wasm'; its three binaries are imported with Vite's `?url` (Vite
 * hashes them) and handed to `setWasmPaths` before any `setBackend('wasm')` (docs/browser-runtime.md, Threads, paths and the production build). The host registers
 * Layerlab's wasm gradient kernels (kernels/index.ts) as it is created, before any backend starts. Which
 * backend a graph trains on is decided per request (backend.ts: timed trials, or the user's choice) and
 * reported in the 'started' event, with wasm's thread count (threads need the page to be cross-origin
 * isolated: vite.config.ts serves the headers).
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { errorText } from './errorText';
import { createRuntimeHost } from './host';
import type { RuntimeEvent, RuntimeRequest } from './protocol';

/** The parts of DedicatedWorkerGlobalScope used here (the app's TypeScript lib has no WebWorker types). */
interface WorkerScope {
  postMessage(message: RuntimeEvent): void;
  onmessage: ((event: MessageEvent<RuntimeRequest>) => void) | null;
  addEventListener(type: 'error', listener: (event: { message?: string; error?: unknown; preventDefault(): void }) => void): void;
  addEventListener(type: 'unhandledrejection', listener: (event: { reason?: unknown }) => void): void;
}

const scope = self as unknown as WorkerScope;

/**
 * Threads for wasm: tfjs-backend-wasm 4.22 sizes XNNPACK's thread pool in a static initializer of its wasm
 * module at navigator.hardwareConcurrency / 2 (between 1 and 4), whatever `setThreadsCount` says (tfjs
 * #8513; measured: 1 thread on a 2-core machine). That halving leaves room for a page's main thread, but here
 * the training worker is the only busy thread, so the wasm module is shown twice the core count and uses
 * every core: the seed CNN trains ≈ 1.3× faster on 2 cores (bench/, README "Performance"). Nothing else in
 * this worker reads hardwareConcurrency.
 */
const cores = Math.max(1, navigator.hardwareConcurrency || 1);
Object.defineProperty(navigator, 'hardwareConcurrency', { value: 2 * cores, configurable: true });
setThreadsCount(cores);
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
});

/** The WebGL renderer's name, from a throw-away WebGL2 context (null when WebGL2 is unavailable). */
function webglRenderer(): string | null {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return null;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return name;
  } catch {
    return null;
  }
}

const host = createRuntimeHost(tf, (event) => scope.postMessage(event), { wasmThreads: getThreadsCount, webglRenderer });

scope.onmessage = (event) => {
  void host.handle(event.data);
};

/** Anything that escapes the host still reaches the main thread, as an error of the running training (id 0 when none). */
const report = (what: unknown) => {
  scope.postMessage({ type: 'error', id: host.trainingId ?? 0, message: `The training worker hit an unexpected error: ${errorText(what)}` });
};
scope.addEventListener('error', (e) => {
  report(e.error ?? e.message);
  e.preventDefault(); // reported above; the page's worker.onerror is kept for a worker that fails to load
});
scope.addEventListener('unhandledrejection', (e) => report(e.reason));
