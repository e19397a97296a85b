/**
 * The training worker (a module Web Worker created by client.ts). It owns tfjs: the main thread never
 * loads it. Requests and events are typed in protocol.ts; the handling is in host.ts.
 *
 * Backends: tfjs-backend-wasm registers 'wasm'; its three binaries are imported with Vite's `?url` (Vite
 * hashes them) and handed to `setWasmPaths` before any `setBackend('wasm')` (PITFALLS §3). Which backend a
 * graph trains on is decided per request (backend.ts) and reported in the 'started' event.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
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

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
});

const host = createRuntimeHost(tf, (event) => scope.postMessage(event));

scope.onmessage = (event) => {
  void host.handle(event.data);
};

/** Anything that escapes the host still reaches the main thread, as an error of the running training (id 0 when none). */
const report = (what: unknown) => {
  const withMessage = what as { message?: unknown } | null;
  const message =
    what instanceof Error ? what.message : typeof withMessage?.message === 'string' && withMessage.message ? withMessage.message : String(what ?? 'unknown error');
  scope.postMessage({ type: 'error', id: host.trainingId ?? 0, message: `The training worker hit an unexpected error: ${message}` });
};
scope.addEventListener('error', (e) => {
  report(e.error ?? e.message);
  e.preventDefault(); // reported above; the page's worker.onerror is kept for a worker that fails to load
});
scope.addEventListener('unhandledrejection', (e) => report(e.reason));
